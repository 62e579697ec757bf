from django.conf import settings

from newsroom import seo


def site(request):
    """The newsroom's name, logo and colours, the page's address on the public site, the
    sections of the header's menu and Most popular (looked up, together, only by a page that
    draws either)."""
    from articles import furniture

    return {
        **furniture.lazy(request),
        "site": settings.NEWSROOM,
        "canonical_url": seo.absolute(request.path),
        "share_image": seo.default_share_image(),
    }
