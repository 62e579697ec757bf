from django.conf import settings

from newsroom import seo


def menu_sections():
    from articles.models import Section

    return list(Section.objects.with_published_articles())


def site(request):
    """The newsroom's name, logo and colours, the page's address on the public site, and the
    sections of the header's menu (looked up only by a page that draws the menu)."""
    return {
        "menu_sections": menu_sections,
        "site": settings.NEWSROOM,
        "canonical_url": seo.absolute(request.path),
        "share_image": seo.default_share_image(),
    }
