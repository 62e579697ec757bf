import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from articles.models import Status
from newsroom.sitemaps import SITEMAPS
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory
from tests.html import sitemap_urls
from tests.plans import assert_read_in_order_from

pytestmark = pytest.mark.django_db

NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"
KYIV = ZoneInfo("Europe/Kyiv")


def sitemap_dates(client):
    """{address: lastmod} of every dated address in the sitemap's pages."""
    return {
        url.findtext(f"{SITEMAP}loc"): datetime.fromisoformat(url.findtext(f"{SITEMAP}lastmod"))
        for url in sitemap_urls(client)
        if url.findtext(f"{SITEMAP}lastmod")
    }


@pytest.fixture
def articles():
    section = SectionFactory(name="Business")
    author = AuthorFactory(name="Mariia Kovalenko")
    public = ArticleFactory(headline="Grain exports rise", section=section, authors=[author])
    other = ArticleFactory(headline="Metro runs", section=SectionFactory(name="Europe"))
    draft = ArticleFactory(
        headline="Secret draft", status=Status.DRAFT, published_at=None, section=section
    )
    return public, other, draft


def rss_titles(response):
    assert response.status_code == 200
    return [item.findtext("title") for item in ET.fromstring(response.content).iter("item")]


def atom_titles(response):
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


def test_rss_and_atom_list_published_articles_only(client, articles):
    assert sorted(rss_titles(client.get("/rss/"))) == ["Grain exports rise", "Metro runs"]
    assert sorted(atom_titles(client.get("/atom/"))) == ["Grain exports rise", "Metro runs"]


def test_section_and_author_feeds_hold_their_own_articles(client, articles):
    assert rss_titles(client.get("/sections/business/rss/")) == ["Grain exports rise"]
    assert atom_titles(client.get("/sections/business/atom/")) == ["Grain exports rise"]
    assert rss_titles(client.get("/authors/mariia-kovalenko/rss/")) == ["Grain exports rise"]
    assert atom_titles(client.get("/authors/mariia-kovalenko/atom/")) == ["Grain exports rise"]


def test_a_desks_feed_holds_its_newest_thirty_that_readers_may_see_newest_first(client):
    desk = AuthorFactory(name="News desk", kind="desk")
    now = timezone.now()
    for minutes in range(35, 0, -1):
        ArticleFactory(
            headline=f"Update {minutes}",
            published_at=now - timedelta(minutes=minutes),
            authors=[desk],
        )
    ArticleFactory(headline="Draft", status=Status.DRAFT, published_at=None, authors=[desk])
    ArticleFactory(headline="Later", published_at=now + timedelta(hours=1), authors=[desk])
    assert rss_titles(client.get("/authors/news-desk/rss/")) == [
        f"Update {minutes}" for minutes in range(1, 31)
    ]


def test_feed_of_an_unknown_section_is_not_found(client):
    assert client.get("/sections/nowhere/rss/").status_code == 404


def test_sitemap_lists_public_articles_sections_and_authors(client, articles):
    locations = [url.findtext(f"{SITEMAP}loc") for url in sitemap_urls(client)]
    assert any(loc.endswith("/news/grain-exports-rise/") for loc in locations)
    assert any(loc.endswith("/sections/business/") for loc in locations)
    assert any(loc.endswith("/authors/mariia-kovalenko/") for loc in locations)
    assert not any("secret-draft" in loc for loc in locations)


def test_news_sitemap_holds_the_last_two_days_with_publication_details(client, articles):
    ArticleFactory(headline="Old news", published_at=timezone.now() - timedelta(hours=49))
    response = client.get("/news-sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    titles = [title.text for title in root.iter(f"{NEWS}title")]
    assert sorted(titles) == ["Grain exports rise", "Metro runs"]
    url = root.find(f"{SITEMAP}url")
    assert url.find(f"{SITEMAP}loc").text.startswith("http://127.0.0.1:8000/news/")
    publication = url.find(f"{NEWS}news/{NEWS}publication")
    assert publication.findtext(f"{NEWS}name") == "The Kyiv Independent"
    assert publication.findtext(f"{NEWS}language") == "en"
    assert url.findtext(f"{NEWS}news/{NEWS}publication_date")


def test_news_sitemap_stops_at_a_thousand(client, monkeypatch):
    from newsroom import sitemaps

    monkeypatch.setattr(sitemaps, "NEWS_LIMIT", 2)
    for _ in range(3):
        ArticleFactory()
    root = ET.fromstring(client.get("/news-sitemap.xml").content)
    assert len(root.findall(f"{SITEMAP}url")) == 2


def test_the_sitemap_is_an_index_of_pages_each_of_one_range_of_ids(client, settings, monkeypatch):
    from newsroom import sitemaps

    monkeypatch.setattr(sitemaps, "PAGE_SIZE", 3)
    monkeypatch.setattr(sitemaps.RangedSitemap, "limit", 3)
    published = [ArticleFactory() for _ in range(7)]
    index = ET.fromstring(client.get("/sitemap.xml").content)
    pages = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    article_pages = [page for page in pages if "/sitemap-articles.xml" in page]
    assert len(article_pages) == max(article.pk for article in published) // 3 + 1
    found = [url.findtext(f"{SITEMAP}loc") for url in sitemap_urls(client)]
    for article in published:
        assert sum(loc.endswith(article.get_absolute_url()) for loc in found) == 1
    assert client.get("/sitemap-articles.xml?p=999").status_code == 404
    assert client.get("/sitemap-articles.xml?p=x").status_code == 404


def test_sections_authors_and_tags_are_dated_in_the_sitemap_by_their_newest_change(
    client, time_machine
):
    now = datetime(2026, 3, 2, 12, 0, tzinfo=KYIV)
    section, author = SectionFactory(name="Business"), AuthorFactory(name="Mariia Kovalenko")
    tag = TagFactory(name="Grain")

    def written(headline, when, **fields):
        time_machine.move_to(when, tick=False)
        fields.setdefault("published_at", when)
        article = ArticleFactory(headline=headline, section=section, authors=[author], **fields)
        article.tags.add(tag)
        return article

    written("Grain exports rise", now - timedelta(days=3))
    corrected = written("Grain exports fall", now - timedelta(days=2))
    time_machine.move_to(now - timedelta(days=1, seconds=15), tick=False)
    corrected.dek = "The figures for March were revised."
    corrected.save()
    written("Harvest draft", now, status=Status.DRAFT, published_at=None)
    written("Harvest outlook", now, published_at=now + timedelta(hours=1))
    time_machine.move_to(now - timedelta(hours=6), tick=False)
    elsewhere = ArticleFactory(headline="Metro runs", section=SectionFactory(name="Europe"))
    time_machine.move_to(now, tick=False)

    dates = sitemap_dates(client)
    for subject in (section, author, tag):
        address = f"http://127.0.0.1:8000{subject.get_absolute_url()}"
        assert dates.get(address) == now - timedelta(days=1, seconds=15), address
    address = f"http://127.0.0.1:8000{elsewhere.section.get_absolute_url()}"
    assert dates.get(address) == elsewhere.published_at


def test_a_subject_is_dated_by_the_articles_its_own_page_shows_first(client, time_machine):
    """An edit to an article past the first page of a section, author or tag changes nothing
    a reader of that page sees, so it does not date the page."""
    now = datetime(2026, 3, 2, 12, 0, tzinfo=KYIV)
    section, author, tag = SectionFactory(), AuthorFactory(), TagFactory()
    articles = []
    for hours in range(21, 0, -1):  # the oldest first
        time_machine.move_to(now - timedelta(hours=hours), tick=False)
        article = ArticleFactory(section=section, authors=[author])
        article.tags.add(tag)
        articles.append(article)
    time_machine.move_to(now, tick=False)
    articles[0].dek = "An old story, revised."  # the 21st newest: on the second page
    articles[0].save()
    dates = sitemap_dates(client)
    for subject in (section, author, tag):
        address = f"http://127.0.0.1:8000{subject.get_absolute_url()}"
        assert dates[address] == articles[-1].published_at, address
    articles[1].dek = "A story of the first page, revised."
    articles[1].save()
    dates = sitemap_dates(client)
    for subject in (section, author, tag):
        assert dates[f"http://127.0.0.1:8000{subject.get_absolute_url()}"] == now


@pytest.mark.parametrize(
    "sitemap, file_under, index",
    [
        ("authors", lambda article, author: article.bylines.create(author=author), "byline_newest"),
        ("tags", lambda article, tag: article.tags.add(tag), "tag_listing_newest"),
    ],
)
def test_an_author_or_tag_is_dated_from_its_own_index_entries_alone(sitemap, file_under, index):
    """The date of an author's or a tag's page is read from the first entries of its index,
    which carry each article's date: no article is read, and nothing sorted, so a desk that
    signed 50,000 articles costs what one with twenty does."""
    subject = AuthorFactory() if sitemap == "authors" else TagFactory()
    for _ in range(25):
        file_under(ArticleFactory(), subject)
    rows = SITEMAPS[sitemap].paginator.page(1).object_list
    assert '"articles_article"' not in str(rows.query)
    assert_read_in_order_from(rows, index)
