from django.conf import settings

from newsroom import seo
from newsroom.paths import path_of


def site(request):
    """The newsroom's name, logo and colours, the page's address on the public site, the
    sections of the header's menu and Most popular (looked up, together, only by a page that
    draws either), and what the menu's drawing depends on: the page, if the menu may mark it
    as the one being read (the sections and their index, all under one path)."""
    from articles import furniture

    sections = path_of("articles:sections")
    return {
        **furniture.lazy(request),
        "menu_page": request.path if request.path.startswith(sections) else "",
        "site": settings.NEWSROOM,
        "canonical_url": seo.absolute(request.path),
        "share_image": seo.default_share_image(),
    }
