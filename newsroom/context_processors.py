from django.conf import settings


def site(request):
    """The newsroom's name, logo and colours, and the page's address on the public site."""
    return {
        "site": settings.NEWSROOM,
        "canonical_url": settings.NEWSROOM["SITE_URL"] + request.path,
    }
