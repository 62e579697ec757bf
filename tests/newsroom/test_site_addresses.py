"""Every absolute address the site prints is on NEWSROOM_SITE_URL, whatever Host was sent."""

import re

import pytest

from tests.factories import ArticleFactory

SITE = "https://news.example.org"
ADDRESSES = ["/rss/", "/atom/", "/feed/rss/", "/sitemap.xml", "/news-sitemap.xml", "/robots.txt"]


@pytest.fixture
def site_url(settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "SITE_URL": SITE}
    settings.ALLOWED_HOSTS = ["*"]
    return SITE


@pytest.mark.django_db
@pytest.mark.parametrize("path", ADDRESSES)
def test_feeds_sitemaps_and_robots_link_on_the_site_url_whatever_host_was_sent(
    client, site_url, path
):
    article = ArticleFactory()
    from feed.models import FeedItem

    FeedItem.objects.create(headline="Update", summary="Text", article=article)
    response = client.get(path, HTTP_HOST="localhost:8302", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    text = response.content.decode()
    addresses = re.findall(r"https?://[^\s\"<>]+", text)
    ours = [a for a in addresses if "sitemaps.org" not in a and "google.com" not in a]
    ours = [a for a in ours if "w3.org" not in a and "purl.org" not in a]
    assert ours, f"{path} printed no address"
    assert all(a.startswith(SITE + "/") or a == SITE for a in ours), ours
    assert "localhost:8302" not in text


@pytest.mark.django_db
def test_an_article_page_names_its_canonical_address_on_the_site_url(client, site_url):
    article = ArticleFactory()
    html = client.get(article.get_absolute_url(), HTTP_HOST="localhost:8302").content.decode()
    assert f'<link rel="canonical" href="{SITE}{article.get_absolute_url()}">' in html
