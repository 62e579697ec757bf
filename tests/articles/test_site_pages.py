import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from articles.models import Article, Status
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    DeskFactory,
    FeedItemFactory,
    SectionFactory,
    TagFactory,
    image_file,
)
from tests.html import find, find_all, parse, text

pytestmark = pytest.mark.django_db

KYIV = ZoneInfo("Europe/Kyiv")


def page_text(response):
    return response.content.decode()


def json_ld_of(response):
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', page_text(response), re.S
    )
    assert match, "the page has no JSON-LD"
    return json.loads(match.group(1))


@pytest.fixture
def sample_article():
    ukraine = SectionFactory(name="Ukraine news")
    article = ArticleFactory(
        headline="Media: Putin preparing to visit North Korea",
        section=ukraine,
        published_at=datetime(2024, 1, 21, 7, 14, tzinfo=KYIV),
        body=(
            "Russian dictator Vladimir Putin announced his willingness to visit Pyongyang.\n\n"
            ":::card\ntitle: Military intelligence: North Korea supplying shells\n"
            "excerpt: North Korea has supplied Russia with around one million rounds.\n"
            "publisher: The Kyiv Independent\nauthor: Elsa Court\n:::\n\n"
            "In the short term, this cooperation has already been felt in Ukraine."
        ),
        hero_image=image_file("putin.jpg", size=(1600, 1000)),
        hero_alt="Vladimir Putin at a meeting",
        hero_caption="Putin meets Choe Son Hui.",
        hero_credit="Photo: AFP",
        authors=[
            AuthorFactory(name="Rachel Amran", bio="Rachel covers politics."),
            DeskFactory(),
        ],
    )
    article.tags.set([TagFactory(name="North Korea")])
    # Written and published at the same moment, as the sample was.
    Article.objects.filter(pk=article.pk).update(modified_at=article.published_at)
    article.refresh_from_db()
    return article


def test_article_page_shows_byline_date_reading_time_and_hero(client, sample_article):
    response = client.get(sample_article.get_absolute_url())
    content = page_text(response)
    assert content.index("Skip to content") < content.index("<h1>")
    assert '<a href="/authors/rachel-amran/">Rachel Amran</a> and <a href=' in content
    assert '<time datetime="2024-01-21T07:14:00+02:00">January 21, 2024 7:14 AM</time>' in content
    # 43 words at 275 a minute is 9.4 s, plus 12 s for the hero image: under one minute.
    assert re.findall(r"<span>(\d+ min read)</span>", content) == ["1 min read"]
    assert "Updated" not in content.split('<div class="body">')[0]
    assert 'type="image/webp"' in content and "480w" in content and "1200w" in content
    assert 'width="1200" height="750"' in content
    assert "Putin meets Choe Son Hui." in content and "Photo: AFP" in content
    assert 'class="related-card"' in content and "Elsa Court" in content
    assert "Authors: Rachel Amran, The Kyiv Independent news desk" in content
    assert "Rachel covers politics." in content


def test_article_edited_after_publication_says_updated(client, sample_article):
    edited = sample_article.published_at + timedelta(minutes=5)
    Article.objects.filter(pk=sample_article.pk).update(modified_at=edited)
    content = page_text(client.get(sample_article.get_absolute_url()))
    assert "<span>Updated <time" in content


def test_ai_audio_is_announced_with_a_player(client, sample_article):
    from django.core.files.base import ContentFile

    sample_article.audio.save("story.mp3", ContentFile(b"ID3"), save=False)
    sample_article.audio_ai_generated = True
    sample_article.save()
    content = page_text(client.get(sample_article.get_absolute_url()))
    assert "This audio is created with AI assistance" in content
    assert "<audio controls" in content


def test_article_page_sidebar_has_most_popular_then_the_feeds_boxes(client, sample_article):
    FeedItemFactory(
        headline="Zelensky invites Trump to Ukraine",
        section=sample_article.section,
        published_at=timezone.now() - timedelta(hours=3),
    )
    FeedItemFactory(headline="Russian seaport terminal on fire", summary="The port **burned**.")
    for number in range(4):
        FeedItemFactory(headline=f"Newer update {number}")
    page = parse(client.get(sample_article.get_absolute_url()))
    sidebar = text(find(page, "aside", class_="sidebar"))
    position = 0
    for piece in ("Most popular", "News Feed", "The port burned.", "Ukraine news", "Zelensky"):
        found = sidebar.find(piece, position)
        assert found >= 0, f"{piece!r} missing or out of order in the sidebar: {sidebar!r}"
        position = found + len(piece)


def test_the_section_block_leaves_out_what_the_news_feed_box_shows(client, sample_article):
    for number in range(6):
        FeedItemFactory(headline=f"Update {number}", section=sample_article.section)
    page = parse(client.get(sample_article.get_absolute_url()))
    box = find(page, "section", class_="feed-box", aria_labelledby="feed-box-heading")
    block = find(page, "section", class_="section-block")
    in_box = [text(h) for h in find_all(box, "h3")]
    in_block = [text(h) for h in find_all(block, "h3")]
    assert in_box == [f"Update {n}" for n in (5, 4, 3, 2, 1)]
    assert in_block == ["Update 0"]


def test_article_page_carries_search_and_social_metadata(client, sample_article):
    response = client.get(sample_article.get_absolute_url())
    content = page_text(response)
    url = "http://127.0.0.1:8000/news/media-putin-preparing-to-visit-north-korea/"
    assert "<title>Media: Putin preparing to visit North Korea | The Kyiv Independent</title>" in (
        content
    )
    assert '<meta name="description" content="Russian dictator' in content
    assert f'<link rel="canonical" href="{url}">' in content
    assert '<meta property="og:type" content="article">' in content
    assert '<meta name="twitter:card" content="summary_large_image">' in content
    data = json_ld_of(response)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Media: Putin preparing to visit North Korea"
    assert data["datePublished"] == "2024-01-21T07:14:00+02:00"
    assert data["dateModified"]
    assert data["image"][0].startswith("http://127.0.0.1:8000/media/renditions/")
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Rachel Amran",
            "url": "http://127.0.0.1:8000/authors/rachel-amran/",
        },
        {
            "@type": "Organization",
            "name": "The Kyiv Independent news desk",
            "url": "http://127.0.0.1:8000/authors/the-kyiv-independent-news-desk/",
        },
    ]
    assert data["publisher"]["name"] == "The Kyiv Independent"
    assert data["mainEntityOfPage"]["@id"] == url


def test_json_ld_cannot_be_broken_out_of_by_a_headline(client):
    article = ArticleFactory(headline="</script><script>alert(1)</script>")
    content = page_text(client.get(article.get_absolute_url()))
    assert "<script>alert(1)" not in content
    assert json_ld_of(client.get(article.get_absolute_url()))["headline"].startswith("</script>")


def test_home_shows_top_story_latest_sections_feed_and_popular(client):
    business = SectionFactory(name="Business")
    europe = SectionFactory(name="Europe")
    older = ArticleFactory(headline="Grain exports rise", section=business)
    newest = ArticleFactory(
        headline="Metro keeps running",
        section=europe,
        published_at=timezone.now() - timedelta(minutes=5),
    )
    FeedItemFactory(headline="Air raid alert lifted")
    earlier = [
        ArticleFactory(section=europe, published_at=timezone.now() - timedelta(days=2, hours=n))
        for n in range(5)
    ]
    response = client.get("/")
    assert response.context["top_story"] == newest
    assert response.context["latest"] == [older, *earlier[:4]]
    assert [s.name for s, _ in response.context["section_blocks"]] == ["Europe"]
    assert dict(response.context["section_blocks"])[europe] == [earlier[4]]
    content = page_text(response)
    assert 'class="top-story"' in content and "Air raid alert lifted" in content
    assert "Most popular" in content


def test_home_section_blocks_hold_only_the_latest_four_of_each_section(client):
    section = SectionFactory(name="Ukraine news")
    for hours in range(12):
        ArticleFactory(section=section, published_at=timezone.now() - timedelta(hours=hours + 1))
    blocks = dict(client.get("/").context["section_blocks"])
    assert len(blocks[section]) == 4


@pytest.mark.parametrize("kind", ["section", "author", "tag"])
def test_list_pages_are_paginated_twenty_a_page(client, kind):
    section, author, tag = SectionFactory(), AuthorFactory(), TagFactory()
    for _ in range(21):
        article = ArticleFactory(section=section, authors=[author])
        article.tags.add(tag)
    ArticleFactory(status=Status.DRAFT, published_at=None, section=section, authors=[author])
    subject = {"section": section, "author": author, "tag": tag}[kind]
    first = client.get(subject.get_absolute_url())
    assert len(first.context["articles"]) == 20
    older = find(parse(first), "a", rel="next").attributes["href"]
    second = client.get(subject.get_absolute_url() + older)
    assert len(second.context["articles"]) == 1
    assert not find_all(parse(second), "a", rel="next")
    newer = find(parse(second), "a", rel="prev").attributes["href"]
    back = client.get(subject.get_absolute_url() + newer)
    assert back.context["articles"] == first.context["articles"]


@pytest.mark.parametrize(
    "cursor", ["2024", "x-1", "99999999999999999999-1", "-5", "1705814040000000-\u00b3"]
)
def test_a_list_page_with_a_bad_position_says_what_is_wrong(client, cursor):
    section = SectionFactory()
    response = client.get(section.get_absolute_url(), {"before": cursor})
    assert response.status_code == 400
    assert b"'Older' or 'Newer' link" in response.content


def test_author_page_shows_bio_photo_and_feeds(client):
    author = AuthorFactory(name="Elsa Court", bio="Elsa covers defence.", photo=image_file())
    ArticleFactory(authors=[author])
    content = page_text(client.get(author.get_absolute_url()))
    assert "Elsa covers defence." in content and 'class="author-photo"' in content
    assert 'href="/authors/elsa-court/rss/"' in content


def test_archive_filters_by_section_author_tag_and_dates(client):
    section, other = SectionFactory(name="Business"), SectionFactory(name="Europe")
    author = AuthorFactory(name="Mariia Kovalenko")
    tag = TagFactory(name="Trade")
    match = ArticleFactory(
        section=section, authors=[author], published_at=datetime(2024, 1, 10, 12, tzinfo=KYIV)
    )
    match.tags.add(tag)
    ArticleFactory(section=other, published_at=datetime(2024, 1, 10, 12, tzinfo=KYIV))
    ArticleFactory(section=section, published_at=datetime(2023, 6, 1, 12, tzinfo=KYIV))
    response = client.get(
        "/archive/",
        {
            "section": "business",
            "author": "mariia-kovalenko",
            "tag": "trade",
            "since": "2024-01-01",
            "until": "2024-01-31",
        },
    )
    assert list(response.context["articles"]) == [match]
    assert len(client.get("/archive/").context["articles"]) == 3


def test_archive_with_a_bad_date_says_what_is_wrong(client):
    ArticleFactory()
    response = client.get("/archive/", {"since": "2024-13-45"})
    assert response.status_code == 200
    assert "From: Enter a valid date." in page_text(response)


@pytest.mark.parametrize("day", [{"since": "0001-01-01"}, {"until": "9999-12-31"}])
def test_the_archive_from_the_first_day_or_to_the_last_of_the_calendar_lists_everything(
    client, day
):
    ArticleFactory(headline="Budget vote")
    response = client.get("/archive/", day)
    assert response.status_code == 200
    assert [article.headline for article in response.context["articles"]] == ["Budget vote"]


def test_archive_pagination_keeps_the_filter(client):
    section = SectionFactory(name="Business")
    for _ in range(21):
        ArticleFactory(section=section)
    ArticleFactory(section=SectionFactory(name="Europe"))
    first = client.get("/archive/", {"section": "business"})
    older = find(parse(first), "a", rel="next").attributes["href"]
    assert older.startswith("?section=business&before=")
    second = client.get("/archive/" + older)
    assert [article.section.name for article in second.context["articles"]] == ["Business"]


def test_robots_txt_names_the_sitemaps(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert b"Sitemap: http://127.0.0.1:8000/sitemap.xml" in response.content
    assert b"Disallow: /admin/" in response.content


def test_not_found_page_is_in_the_site_design(client):
    response = client.get("/sections/nowhere/")
    assert response.status_code == 404
    assert b'class="site-header"' in response.content


def test_server_error_page_renders_without_a_request_context():
    from django.template.loader import get_template

    html = get_template("500.html").render()
    assert "Something went wrong" in html and "Skip to content" in html


def test_section_page_links_its_feeds(client):
    section = SectionFactory(name="Business")
    ArticleFactory(section=section)
    content = page_text(client.get(section.get_absolute_url()))
    assert 'href="/sections/business/rss/"' in content
    assert 'href="/sections/business/atom/"' in content


def test_the_imported_sample_reads_in_the_order_of_the_captured_page(client):
    from django.core.management import call_command
    from django.utils.html import strip_tags

    call_command("import_text", "samples/kyiv-independent-2024-01-21.txt", verbosity=0)
    # The captured page played its audio where the AI note is; the note shows with a player.
    call_command("narrate", "--missing", verbosity=0)
    article = Article.objects.get()
    text = " ".join(strip_tags(page_text(client.get(article.get_absolute_url()))).split())
    expected = [
        "Skip to content",
        "Media: Putin preparing to visit North Korea",
        "by Rachel Amran and The Kyiv Independent news desk",
        "January 21, 2024 7:14 AM",
        "2 min read",
        "This audio is created with AI assistance",
        "Russian dictator Vladimir Putin announced his willingness to visit Pyongyang",
        "In the short term, this cooperation has already been felt in Ukraine",
        "Military intelligence: North Korea supplying 122 mm, 152 mm shells to Russia",
        "The Kyiv Independent Elsa Court",
        "Authors: Rachel Amran, The Kyiv Independent news desk",
        "Most popular",
        "News Feed",
        "January 21, 2024 7:14 AM Media: Putin preparing to visit North Korea.",
        "January 21, 2024 3:43 AM Russian seaport terminal on fire.",
        "January 20, 2024 1:52 PM Ukraine news Romanian protesters end blockade",
        "January 20, 2024 3:35 AM Ukraine news Zelensky invites Trump to Ukraine.",
    ]
    position = 0
    for piece in expected:
        found = text.find(piece, position)
        assert found >= 0, f"{piece!r} missing or out of order after {text[position:][:80]!r}"
        position = found + len(piece)


@pytest.mark.parametrize(
    "path",
    ["/", "/sections/business/", "/authors/elsa-court/", "/tags/trade/", "/archive/", "/feed/"],
)
def test_every_page_has_title_description_canonical_and_social_tags(client, path):
    article = ArticleFactory(
        section=SectionFactory(name="Business"), authors=[AuthorFactory(name="Elsa Court")]
    )
    article.tags.add(TagFactory(name="Trade"))
    content = page_text(client.get(path))
    assert re.search(r"<title>[^<]+</title>", content)
    assert re.search(r'<meta name="description" content="[^"]+">', content)
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{path}">' in content
    for tag in ("og:title", "og:description", "og:url", "og:type", "og:site_name"):
        assert f'<meta property="{tag}" content="' in content
    assert '<meta name="twitter:card" content="summary_large_image">' in content


def test_favicon_sends_browsers_to_the_logo(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("newsroom/logo.svg")


def test_the_archive_takes_an_author_by_address_name_and_says_when_none_has_it(client):
    author = AuthorFactory(name="Mariia Kovalenko")
    ArticleFactory(headline="Grain exports rise", authors=[author])
    ArticleFactory(headline="Someone else's story")
    found = client.get("/archive/", {"author": "mariia-kovalenko"})
    assert [article.headline for article in found.context["articles"]] == ["Grain exports rise"]
    unknown = client.get("/archive/", {"author": "nobody-here"})
    assert unknown.status_code == 200
    assert "No author has that address name." in page_text(unknown)
