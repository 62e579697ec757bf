from django.conf import settings

from newsroom import seo


def site(request):
    """The newsroom's name, logo and colours, and the page's address on the public site."""
    return {
        "site": settings.NEWSROOM,
        "canonical_url": seo.absolute(request.path),
        "share_image": seo.default_share_image(),
    }
