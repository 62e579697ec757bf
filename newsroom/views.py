"""Site-wide answers that belong to no one app: robots.txt and the favicon."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe

from newsroom import seo


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Allow: /",
        "",
        f"Sitemap: {seo.absolute('/sitemap.xml')}",
        f"Sitemap: {seo.absolute('/news-sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico; send them to the logo, resolved when asked.

    Resolving it per request keeps start-up (and `migrate`) working in production mode before
    `collectstatic` has written the manifest of hashed names.
    """
    return HttpResponseRedirect(static(settings.NEWSROOM["LOGO"]))
