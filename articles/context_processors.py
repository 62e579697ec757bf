from django.conf import settings


def site(request):
    """The newsroom's name, logo and colours, for every template."""
    return {"site": settings.NEWSROOM}
