"""Finding one's way: the section menu, the index pages, and each story once on the home page."""

from collections import Counter

import pytest

from articles.models import Status
from newsroom import demo
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory
from tests.html import SITEMAP_NS, find, find_all, links, parse, sitemap_urls, text

pytestmark = pytest.mark.django_db


def test_the_header_menu_lists_the_sections_with_articles_in_the_newsrooms_order(client):
    for name, position in (("Opinion", 3), ("Ukraine news", 0), ("Business", 1)):
        ArticleFactory(section=SectionFactory(name=name, position=position))
    SectionFactory(name="Empty", position=2)
    ArticleFactory(
        section=SectionFactory(name="Drafts only"), status=Status.DRAFT, published_at=None
    )
    menu = find(parse(client.get("/")), "nav", aria_label="Sections")
    assert links(menu) == [
        ("/sections/ukraine-news/", "Ukraine news"),
        ("/sections/business/", "Business"),
        ("/sections/opinion/", "Opinion"),
        ("/sections/", "All sections"),
    ]


def test_the_menu_marks_the_section_being_read(client):
    ArticleFactory(section=SectionFactory(name="Business"))
    menu = find(parse(client.get("/sections/business/")), "nav", aria_label="Sections")
    current = find_all(menu, "a", aria_current="page")
    assert [text(link) for link in current] == ["Business"]


def test_the_menu_drawn_for_one_page_marks_no_other(client):
    for name in ("Business", "Europe"):
        ArticleFactory(section=SectionFactory(name=name))
    article = ArticleFactory()
    marked = {}
    for path in [
        "/sections/business/",
        "/sections/europe/",
        "/sections/",
        "/",
        article.get_absolute_url(),
        "/sections/business/",
    ]:
        menu = find(parse(client.get(path)), "nav", aria_label="Sections")
        marked[path] = [text(link) for link in find_all(menu, "a", aria_current="page")]
    assert marked == {
        "/sections/business/": ["Business"],
        "/sections/europe/": ["Europe"],
        "/sections/": ["All sections"],
        "/": [],
        article.get_absolute_url(): [],
    }


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/sections/", [("/sections/business/", "Business"), ("/sections/europe/", "Europe")]),
        (
            "/authors/",
            [("/authors/elsa-court/", "Elsa Court"), ("/authors/rachel-amran/", "Rachel Amran")],
        ),
        ("/tags/", [("/tags/energy/", "Energy"), ("/tags/trade/", "Trade")]),
    ],
)
def test_index_pages_list_only_subjects_with_published_articles(client, path, expected):
    business, europe = SectionFactory(name="Business"), SectionFactory(name="Europe", position=1)
    rachel, elsa = AuthorFactory(name="Rachel Amran"), AuthorFactory(name="Elsa Court")
    trade, energy = TagFactory(name="Trade"), TagFactory(name="Energy")
    for section, author, tag in ((business, rachel, trade), (europe, elsa, energy)):
        ArticleFactory(section=section, authors=[author]).tags.add(tag)
    hidden = ArticleFactory(
        section=SectionFactory(name="Hidden"),
        authors=[AuthorFactory(name="Draft Writer")],
        status=Status.DRAFT,
        published_at=None,
    )
    hidden.tags.add(TagFactory(name="Unseen"))
    response = client.get(path)
    assert response.status_code == 200
    index = find(parse(response), "ul", class_="subject-index")
    assert links(index) == expected


def test_an_index_page_counts_published_articles_only(client):
    rachel = AuthorFactory(name="Rachel Amran", role="Reporter")
    for _ in range(3):
        ArticleFactory(authors=[rachel])
    ArticleFactory(authors=[rachel], status=Status.DRAFT, published_at=None)
    entry = text(find(parse(client.get("/authors/")), "ul", class_="subject-index"))
    assert entry == "Rachel Amran 3 articles Reporter"


def test_index_pages_are_paginated(client):
    for number in range(61):
        ArticleFactory().tags.add(TagFactory(name=f"Tag {number:02}"))
    first = client.get("/tags/")
    assert len(first.context["subjects"]) == 60
    assert len(client.get("/tags/?page=2").context["subjects"]) == 1
    assert 'rel="next" href="?page=2"' in first.content.decode()


def test_the_sitemap_lists_the_index_pages(client):
    locations = [url.findtext(f"{SITEMAP_NS}loc") for url in sitemap_urls(client)]
    for path in ("/sections/", "/authors/", "/tags/"):
        assert f"http://127.0.0.1:8000{path}" in locations


def test_the_home_page_shows_each_article_once(client):
    demo.load()
    page = parse(client.get("/"))

    def stories(block):
        return [href for href, _ in links(find(page, "div", class_=block)) if "/news/" in href]

    top, below = set(stories("home-top")), stories("home-main")
    assert len(top) == 1
    assert [href for href, count in Counter(below).items() if count > 1] == []
    assert top.isdisjoint(below)
    assert len(top) + len(below) == 12  # every demo article


def test_on_a_phone_the_news_feed_box_comes_right_after_the_top_story(client):
    demo.load()
    content = client.get("/").content.decode()
    order = [
        content.index(marker)
        for marker in ('class="top-story"', 'id="feed-box-heading"', 'id="latest-heading"')
    ]
    assert order == sorted(order)
