"""The WSGI entry point: a reader's page kept in this process's copies is sent before Django's
request handling starts (newsroom.middleware.kept_answer); every other request goes to Django."""

import os

from django.core.handlers.wsgi import WSGIRequest, get_script_name
from django.core.wsgi import get_wsgi_application
from django.urls import set_script_prefix

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django_application = get_wsgi_application()

from newsroom import paths  # noqa: E402
from newsroom.middleware import kept_answer  # noqa: E402  (after Django is set up)


def application(environ, start_response):
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return django_application(environ, start_response)
    prefix = get_script_name(environ)
    set_script_prefix(prefix)
    # A copy: WSGIRequest writes the decoded path into the environ it is given, which
    # Django's handler would then fail to decode again.
    response = kept_answer(WSGIRequest(environ.copy()))
    if response is not None:
        start_response(f"{response.status_code} {response.reason_phrase}", response.items())
        # The content alone: closing the response would send request_finished, whose
        # receivers tidy up after database work that this answer did not do.
        return [response.content]
    with paths.ScriptPrefix(prefix):
        return django_application(environ, start_response)
