"""What a CDN and a feed reader get from the running site: 304s to both conditional headers,
and compressed answers that decompress to the bytes of the plain one."""

import gzip
import urllib.error
import urllib.request

import brotli
import pytest

ADDRESSES = [
    "/robots.txt",
    "/sitemap.xml",
    "/sitemap-articles.xml",
    "/news-sitemap.xml",
    "/rss/",
    "/atom/",
    "/feed/rss/",
    "/audio/rss/",
    "/sections/ukraine-news/rss/",
    "/authors/rachel-amran/atom/",
]
PAGES = ["home", "sample-article", "hero-article", "feed", "feed-item", "section", "author"]
PAGES += ["tag", "archive", "search"]


def get(site, path, **headers):
    request = urllib.request.Request(site.url + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def address(site, name):
    return site.pages.get(name, name)


@pytest.mark.parametrize("name", PAGES + ADDRESSES)
def test_each_address_answers_both_conditional_headers_with_304(site, name):
    path = address(site, name)
    status, headers, _ = get(site, path)
    assert status == 200, path
    assert headers["Cache-Control"] and headers["ETag"] and headers["Last-Modified"], path
    by_tag, _, _ = get(site, path, **{"If-None-Match": headers["ETag"]})
    by_date, _, _ = get(site, path, **{"If-Modified-Since": headers["Last-Modified"]})
    assert (by_tag, by_date) == (304, 304), path


@pytest.mark.parametrize("name", PAGES + ADDRESSES)
def test_compressed_answers_decompress_to_the_same_bytes(site, name):
    path = address(site, name)
    _, plain_headers, plain = get(site, path, **{"Accept-Encoding": "identity"})
    _, gzip_headers, zipped = get(site, path, **{"Accept-Encoding": "gzip"})
    _, br_headers, squeezed = get(site, path, **{"Accept-Encoding": "br, gzip"})
    assert plain_headers["Content-Encoding"] is None
    assert (gzip_headers["Content-Encoding"], br_headers["Content-Encoding"]) == ("gzip", "br")
    assert gzip.decompress(zipped) == plain == brotli.decompress(squeezed)
    assert len(squeezed) < len(plain)
