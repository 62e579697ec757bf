"""Site-wide answers that belong to no one app: robots.txt, the favicon, uploads, lockouts."""

import posixpath
from pathlib import Path

from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils._os import safe_join
from django.views.decorators.http import require_safe
from django.views.static import serve

from articles.uploads import INLINE_CONTENT_TYPES
from newsroom import ranges, seo


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


# A file opened at its own address runs no script, loads nothing, and is never taken for a
# type other than the one it is sent as. The README gives the same headers for a web server.
MEDIA_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox"
    ),
}


def serve_media(request, path):
    """Serve a file under MEDIA_ROOT: pictures and audio inline, anything else as a download.

    Audio answers Range requests (206), so that players can seek.
    """
    content_type = INLINE_CONTENT_TYPES.get(posixpath.splitext(path)[1].lower())
    if content_type and content_type.startswith("audio/") and request.method in ("GET", "HEAD"):
        response = serve_audio(request, path, content_type)
    else:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    for header, value in MEDIA_HEADERS.items():
        response.headers[header] = value
    if content_type:
        if "Content-Type" in response.headers:
            response.headers["Content-Type"] = content_type
    else:
        response.headers["Content-Disposition"] = "attachment"
    return response


def serve_audio(request, path, content_type):
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, path))
    except SuspiciousFileOperation as error:
        raise Http404("No such file.") from error
    if not full.is_file():
        raise Http404("No such file.")
    stat = full.stat()
    return ranges.file_response(
        request, full, content_type, f"{stat.st_mtime_ns:x}-{stat.st_size:x}"
    )


def locked_out(request, original_response=None, credentials=None):
    """The sign-in page's answer while django-axes keeps a username and address out."""
    context = {
        "username": get_client_username(request, credentials) or "",
        "minutes": max(1, round(get_cool_off(request).total_seconds() / 60)),
    }
    return render(request, "admin/locked_out.html", context, status=429)
