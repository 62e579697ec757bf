"""What CDNs and feed readers get from every public address: caching headers, 304s to both
conditional headers, Brotli or gzip, and pages made for signed-in staff kept out of shared
caches."""

import gzip
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import brotli
import feedparser
import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, FeedItemFactory, TagFactory
from tests.html import SITEMAP_NS, sitemap_urls

pytestmark = pytest.mark.django_db

ADDRESSES = [
    "/robots.txt",
    "/sitemap.xml",
    "/sitemap-articles.xml",
    "/news-sitemap.xml",
    "/rss/",
    "/atom/",
    "/feed/",
    "/feed/rss/",
    "/audio/rss/",
    "/search/?q=grain",
]


NOON = datetime(2026, 3, 2, 12, 0, tzinfo=ZoneInfo("Europe/Kyiv"))


def an_article_and_a_feed_item():
    article = ArticleFactory(headline="Grain corridor reopens")
    item = FeedItemFactory(headline="Air raid alert in Kyiv")
    return {"article": article.get_absolute_url(), "item": item.get_absolute_url()}


@pytest.fixture
def site():
    return an_article_and_a_feed_item()


def address_of(site, name):
    """A fixed address, or "article" and "item": those of the site fixture's."""
    return site.get(name, name)


@pytest.mark.parametrize("name", [*ADDRESSES, "article", "item"])
def test_every_public_address_answers_both_conditional_headers_with_304(client, site, name):
    address = address_of(site, name)
    first = client.get(address)
    assert first.status_code == 200, address
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert "Accept-Encoding" in first["Vary"]
    by_tag = client.get(address, headers={"If-None-Match": first["ETag"]})
    by_date = client.get(address, headers={"If-Modified-Since": first["Last-Modified"]})
    assert (by_tag.status_code, by_date.status_code) == (304, 304), address
    assert by_tag["ETag"] == first["ETag"]


@pytest.fixture(params=["PAGE_CACHE_SECONDS=0", "the dummy cache"])
def pages_not_kept(request, settings, time_machine):
    """A site that keeps no copy of its pages: by its setting, or with no cache at all."""
    if request.param == "PAGE_CACHE_SECONDS=0":
        settings.PAGE_CACHE_SECONDS = 0
    else:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
        # With nothing remembered a page is dated when it is made: the clock stands still here.
        time_machine.move_to(timezone.now(), tick=False)
    return request.param


@pytest.mark.parametrize("name", ["/", *ADDRESSES, "article", "item"])
def test_pages_not_kept_answer_with_the_same_headers_and_304s(client, pages_not_kept, name):
    address = address_of(an_article_and_a_feed_item(), name)
    first = client.get(address, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert first.status_code == 200, address
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert first["ETag"] and first["Last-Modified"] and "Accept-Encoding" in first["Vary"]
    assert first["Content-Encoding"] == "br"
    by_tag = client.get(address, headers={"If-None-Match": first["ETag"]})
    by_date = client.get(address, headers={"If-Modified-Since": first["Last-Modified"]})
    assert (by_tag.status_code, by_date.status_code) == (304, 304), address


@pytest.mark.parametrize("name", ["/", "article", "/feed/", "item", "/rss/", "/sitemap.xml"])
def test_a_page_made_again_with_the_same_content_keeps_its_last_modified(
    client, time_machine, name
):
    time_machine.move_to(NOON, tick=False)
    address = address_of(an_article_and_a_feed_item(), name)
    first = client.get(address)
    time_machine.move_to(NOON + timedelta(hours=1), tick=False)
    TagFactory(name="Harvest")  # an edit shown on none of them: each is made again
    again = client.get(address)
    assert again["ETag"] == first["ETag"]
    assert again["Last-Modified"] == first["Last-Modified"]
    by_date = client.get(address, headers={"If-Modified-Since": first["Last-Modified"]})
    assert by_date.status_code == 304


def test_a_page_whose_content_changed_is_dated_when_it_changed(client, time_machine):
    time_machine.move_to(NOON, tick=False)
    first = client.get("/")
    time_machine.move_to(NOON + timedelta(hours=1), tick=False)
    ArticleFactory(headline="Kyiv metro runs all night")
    again = client.get("/", headers={"If-Modified-Since": first["Last-Modified"]})
    assert again.status_code == 200 and b"Kyiv metro runs all night" in again.content
    assert datetime.strptime(again["Last-Modified"], "%a, %d %b %Y %H:%M:%S GMT").replace(
        tzinfo=ZoneInfo("UTC")
    ) == NOON + timedelta(hours=1)


@pytest.mark.parametrize("name", [*ADDRESSES, "article", "item"])
def test_compressed_answers_decompress_to_the_same_bytes(client, site, name):
    address = address_of(site, name)
    plain = client.get(address, headers={"Accept-Encoding": "identity"})
    zipped = client.get(address, headers={"Accept-Encoding": "gzip"})
    squeezed = client.get(address, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain
    assert (zipped["Content-Encoding"], squeezed["Content-Encoding"]) == ("gzip", "br")
    assert gzip.decompress(zipped.content) == plain.content
    assert brotli.decompress(squeezed.content) == plain.content
    assert zipped["ETag"] == squeezed["ETag"] == plain["ETag"]


def test_a_client_that_refuses_brotli_gets_gzip(client, site):
    answer = client.get("/", headers={"Accept-Encoding": "br;q=0, gzip"})
    assert answer["Content-Encoding"] == "gzip"


def test_a_new_feed_item_is_in_the_feeds_rss_at_the_next_request(client, site):
    first = client.get("/feed/rss/")
    FeedItemFactory(headline="Power back in Kharkiv")
    again = client.get("/feed/rss/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert b"Power back in Kharkiv" in again.content


def sitemap_addresses(client):
    return [url.find(f"{SITEMAP_NS}loc").text for url in sitemap_urls(client)]


def test_a_new_article_is_in_the_rss_and_the_sitemap_at_the_next_request(client, site):
    rss, before = client.get("/rss/"), sitemap_addresses(client)
    article = ArticleFactory(headline="Kyiv metro runs all night")
    assert b"Kyiv metro runs all night" in client.get("/rss/").content
    assert client.get("/rss/", headers={"If-None-Match": rss["ETag"]}).status_code == 200
    address = f"http://127.0.0.1:8000{article.get_absolute_url()}"
    assert address not in before and address in sitemap_addresses(client)


def test_pages_made_for_signed_in_staff_are_kept_out_of_shared_caches(editor_client, site):
    for address in ("/", site["article"], "/feed/", "/rss/"):
        answer = editor_client.get(address)
        assert answer.status_code == 200
        assert answer["Cache-Control"] == "private, max-age=0", address


@pytest.mark.parametrize("page", ["/", "article", "/feed/"])
def test_the_same_content_rendered_again_has_the_same_etag(client, site, page):
    from django.core.cache import cache

    address = site["article"] if page == "article" else page
    first = client.get(address)
    cache.clear()  # another server, or the copy expired: the page is made again
    again = client.get(address)
    assert again.content != first.content  # the live feed's cursor moved on
    assert again["ETag"] == first["ETag"]
    assert client.get(address, headers={"If-None-Match": first["ETag"]}).status_code == 304


@pytest.mark.parametrize("address", ["/feed/updates.json", "/api/articles/"])
def test_json_answers_are_gzipped_for_clients_that_accept_it(client, site, address):
    plain = client.get(address, headers={"Accept-Encoding": "identity"})
    zipped = client.get(address, headers={"Accept-Encoding": "gzip"})
    assert zipped.status_code == plain.status_code == 200
    assert zipped["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain
    assert "Accept-Encoding" in zipped["Vary"]
    assert len(gzip.decompress(zipped.content)) == len(plain.content)


def sitemap_dates(client):
    """{address: its lastmod as a time} of the sitemap of the site's own pages."""
    text = client.get("/sitemap-pages.xml").content.decode()
    found = re.findall(r"<loc>([^<]+)</loc>\s*<lastmod>([^<]+)</lastmod>", text)
    return {loc: datetime.fromisoformat(lastmod) for loc, lastmod in found}


def test_the_sitemap_dates_the_home_page_and_the_feed_by_their_newest_content(client, site):
    from articles.models import Article

    dates = sitemap_dates(client)
    newest = Article.objects.get()
    assert dates["http://127.0.0.1:8000/"] == newest.date_modified.replace(microsecond=0)
    assert dates["http://127.0.0.1:8000/archive/"] == dates["http://127.0.0.1:8000/"]
    later = FeedItemFactory(headline="Power back in Kharkiv", published_at=timezone.now())
    later.refresh_from_db()
    feed_date = sitemap_dates(client)["http://127.0.0.1:8000/feed/"]
    assert feed_date == later.date_modified.replace(microsecond=0)


@pytest.mark.parametrize("before", ["?", "&", "&amp;"])
def test_a_pages_etag_leaves_out_the_feeds_cursor_and_nothing_else(before):
    from newsroom.freshness import etag_of

    def page(cursor, text="thereafter=1"):
        return (
            f'<a href="/feed/">x</a><p>{text}</p><div data-u="/u{before}after={cursor}">'.encode()
        )

    assert etag_of(page("1705.25")) == etag_of(page("1706.5"))
    assert etag_of(page("1705.25", text="thereafter=2")) != etag_of(page("1705.25"))


@pytest.mark.parametrize("path", ["/audio/rss/", "/rss/", "/atom/"])
def test_a_feed_with_nothing_in_it_is_dated_the_same_from_one_second_to_the_next(
    client, time_machine, path
):
    time_machine.move_to("2026-03-01 09:00:00Z", tick=False)
    first = client.get(path)
    time_machine.move_to("2026-03-01 09:00:01Z", tick=False)
    second = client.get(path)

    assert first.content == second.content
    assert first["ETag"] == second["ETag"]
    dated = feedparser.parse(first.content).feed
    assert dated.get("updated_parsed", dated.get("published_parsed"))[:3] == (1970, 1, 1)
