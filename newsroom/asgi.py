"""The ASGI entry point (production: gunicorn's uvicorn workers, newsroom/gunicorn.conf.py).

A reader's page kept in this process's copies is sent from the event loop itself, before
Django's request handling starts and with no thread (newsroom.middleware.kept_answer: memory
only, never a call to Redis or the database); every other request goes to Django.
"""

import io
import os
import warnings

from django.core.asgi import get_asgi_application
from django.core.handlers.asgi import ASGIRequest, get_script_prefix
from django.urls import set_script_prefix

# WhiteNoise answers with file iterators, which Django's ASGI handler reads whole before
# sending: fine for static files, small and kept by a CDN. (Uploads are for the web server or
# object storage to serve in production, not for Django.)
warnings.filterwarnings("ignore", "StreamingHttpResponse must consume synchronous iterators")

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django_application = get_asgi_application()

from newsroom import paths  # noqa: E402
from newsroom.middleware import kept_answer  # noqa: E402  (after Django is set up)


async def application(scope, receive, send):
    if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
        await django_application(scope, receive, send)
        return
    prefix = get_script_prefix(scope)
    set_script_prefix(prefix)
    try:
        # A GET's body, if any, is not read: no page depends on it.
        request = ASGIRequest(scope, io.BytesIO())
    except UnicodeDecodeError:
        request = None  # a query string not in UTF-8: Django answers it 400
    response = request and kept_answer(request)
    if response is not None:
        headers = [
            (name.encode("ascii"), value.encode("latin1")) for name, value in response.items()
        ]
        await send(
            {"type": "http.response.start", "status": response.status_code, "headers": headers}
        )
        await send({"type": "http.response.body", "body": response.content})
        return
    with paths.ScriptPrefix(prefix):
        await django_application(scope, receive, send)
