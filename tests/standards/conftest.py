"""The public site checked by independent tools (pytest -m standards).

One server for the whole run, like the browser tests' (pytest-django's LiveServer), holding the
demo content and the imported sample page. Every page, feed and sitemap is fetched once; the
tests hand what was fetched to the W3C Nu HTML Checker, axe-core, feedparser, the sitemaps.org
schema and extruct. The site's address (NEWSROOM_SITE_URL) is not the server's, so that every
link is seen to come from the setting and never from the Host a request sent.
"""

import os
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import override_settings

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).parent
NODE_MODULES = HERE / "node_modules"
SITE_URL = "https://news.example.org"
SAMPLE = "samples/kyiv-independent-2024-01-21.txt"
SAMPLE_ARTICLE = "/news/media-putin-preparing-to-visit-north-korea/"
HERO_ARTICLE = "/news/kharkiv-reopens-schools-underground-as-classes-return/"

# The pages checked: name -> path (the feed item's is found once the data is loaded).
PAGES = {
    "home": "/",
    "sample-article": SAMPLE_ARTICLE,
    "hero-article": HERO_ARTICLE,
    "feed": "/feed/",
    "feed-item": None,
    "section": "/sections/ukraine-news/",
    "author": "/authors/rachel-amran/",
    "tag": "/tags/kyiv/",
    "archive": "/archive/",
    "sections": "/sections/",
    "authors": "/authors/",
    "tags": "/tags/",
    "corrections": "/corrections/",
    "search": "/search/?q=Kiev",
    "search-nothing-found": "/search/?q=zaporizhzhiastal",
    "not-found": "/news/no-such-story/",
}


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.standards)


def node_module(path):
    """A file of an npm package from tests/standards/package.json; fails saying how to get it."""
    found = NODE_MODULES / path
    if not found.exists():
        pytest.fail(f"{found} is missing: run `npm ci --prefix tests/standards`")
    return found


@pytest.fixture(autouse=True)
def _fast_and_isolated():
    """The site is loaded once for the session: no per-test settings or uploads folder."""


@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes

    @property
    def text(self):
        return self.body.decode()


class Site:
    """The running site: fetch a path as a reader's browser would, with any Host."""

    def __init__(self, url):
        self.url = url
        self.pages = dict(PAGES)

    def fetch(self, path, host=None):
        request = urllib.request.Request(self.url + path)
        if host:
            request.add_header("Host", host)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return Answer(response.status, response.headers["Content-Type"], response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.headers["Content-Type"], error.read())


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker):
    """A test database for the session. These tests carry no django_db mark (which would
    empty the tables after each one): the data is loaded once and read through the server."""
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        databases = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    yield
    with django_db_blocker.unblock():
        teardown_databases(databases, verbosity=0)


@pytest.fixture(scope="session")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo content and the imported sample, served until the session ends."""
    from django.core.management import call_command
    from pytest_django.live_server_helper import LiveServer

    from articles.models import Article, Correction
    from feed.models import FeedItem
    from newsroom import demo

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock():
        with override_settings(MEDIA_ROOT=media), override_site_url():
            demo.load()
            call_command("import_text", SAMPLE, verbosity=0)
            # The sample is checked with its narration's player, and is in the podcast.
            call_command("narrate", SAMPLE_ARTICLE.split("/")[2], verbosity=0)
            # Made now, to the microsecond: its <time> is checked on the article and /corrections/.
            Correction.objects.create(
                article=Article.objects.get(slug=HERO_ARTICLE.split("/")[2]),
                text="An earlier version gave the wrong number of schools.",
            )
            server = LiveServer("localhost")
            running = Site(server.url)
            running.pages["feed-item"] = (
                FeedItem.objects.published().latest().first().get_absolute_url()
            )
            try:
                yield running
            finally:
                server.stop()


def override_site_url():
    from django.conf import settings

    return override_settings(NEWSROOM={**settings.NEWSROOM, "SITE_URL": SITE_URL})


@pytest.fixture(scope="session")
def pages(site):
    """Every page of PAGES as fetched: name -> Answer."""
    return {name: site.fetch(path) for name, path in site.pages.items()}


def java():
    """The java command the HTML checker runs on; fails saying how to get it."""
    try:
        subprocess.run(["java", "-version"], capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.fail("java is missing: install Debian's default-jre-headless")
    return "java"
