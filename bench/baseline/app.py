"""The smallest Django site: one view answering a 15 kB HTML string, for comparison."""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="benchmark-baseline",
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
)


# About the size of an article page's HTML, as the measurements used.
PAGE = "<!doctype html><title>Hello</title>" + "<p>Hello, reader.</p>" * 700


def hello(request):
    return HttpResponse(PAGE)


urlpatterns = [path("", hello)]

application = get_wsgi_application()
