from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Status
from feed.models import FeedItem
from search.models import Synonym
from tests import html
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    FeedItemFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def ago(**delta):
    return timezone.now() - timedelta(**delta)


def test_headline_matches_come_before_body_matches_then_newer_before_older(found):
    ArticleFactory(
        headline="Shelling in the south", body="Grain terminal hit.", published_at=ago(hours=1)
    )
    ArticleFactory(headline="Grain deal talks resume", published_at=ago(days=3))
    ArticleFactory(headline="Grain exports grow", published_at=ago(days=1))
    ArticleFactory(headline="Weather", body="Rain over the grain fields.", published_at=ago(days=2))

    assert found(q="grain") == [
        "Grain exports grow",
        "Grain deal talks resume",
        "Shelling in the south",
        "Weather",
    ]


def test_every_word_must_appear_and_quoted_words_together(found):
    ArticleFactory(
        headline="Kyiv metro reopens",
        body="The metro in Kyiv runs again.",
        published_at=ago(days=1),
    )
    ArticleFactory(
        headline="Metro in Kharkiv", body="Trains run underground.", published_at=ago(days=2)
    )

    assert found(q="kyiv metro") == ["Kyiv metro reopens"]
    assert found(q='"metro in kharkiv"') == ["Metro in Kharkiv"]
    assert found(q="kyiv or kharkiv") == ["Kyiv metro reopens", "Metro in Kharkiv"]
    assert found(q="metro -kharkiv") == ["Kyiv metro reopens"]


def test_feed_items_dek_and_author_names_are_searched_too(found):
    ArticleFactory(headline="A", dek="Soldiers describe the Avdiivka withdrawal")
    ArticleFactory(headline="B", authors=[AuthorFactory(name="Illia Ponomarenko")])
    FeedItemFactory(headline="Update", summary="Air raid alert in **Lviv**.")

    assert found(q="avdiivka") == ["A"]
    assert found(q="ponomarenko") == ["B"]
    assert found(q="lviv") == ["Update"]


def test_case_and_accents_do_not_matter(found):
    ArticleFactory(headline="Zaporizhzhia plant: IAEA visit", body="Café owners in Mykolaïv.")

    assert found(q="ZAPORIZHZHIA") == ["Zaporizhzhia plant: IAEA visit"]
    assert found(q="cafe mykolaiv") == ["Zaporizhzhia plant: IAEA visit"]
    assert found(q="Záporizhzhiá") == ["Zaporizhzhia plant: IAEA visit"]


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("Kiev", "Kyiv"),
        ("Kharkov", "Kharkiv"),
        ("Zelenskiy", "Zelensky"),
        ("Zelenskyy", "Zelensky"),
        ("Odessa", "Odesa"),
        ("Kyiv", "Kiev"),
    ],
)
def test_names_are_found_under_their_common_spellings(found, typed, written):
    ArticleFactory(headline=f"Drones over {written}")
    ArticleFactory(headline="Drones over Lutsk")

    assert found(q=typed) == [f"Drones over {written}"]


def test_a_spelling_editors_add_is_used_at_once(found, editor_client):
    ArticleFactory(headline="Fighting near Bakhmut")
    assert found(q="Artemivsk") == []

    response = editor_client.post(
        "/admin/search/synonym/add/", {"spelling": "Artemivsk", "preferred": "Bakhmut"}
    )

    assert response.status_code == 302
    assert Synonym.objects.filter(spelling="Artemivsk").exists()
    assert found(q="artemivsk") == ["Fighting near Bakhmut"]


def test_editors_may_keep_the_synonyms_and_contributors_may_not(client, user_in_role):
    client.force_login(user_in_role("Editor"))
    assert client.get("/admin/search/synonym/").status_code == 200
    response = client.post(
        "/admin/search/synonym/add/", {"spelling": "Nikolaev", "preferred": "Mykolaiv"}
    )
    assert response.status_code == 302

    client.force_login(user_in_role("Contributor"))
    assert client.get("/admin/search/synonym/").status_code == 403


def test_the_words_found_are_marked_in_the_headline_and_the_passage(client):
    ArticleFactory(
        headline="Kyiv <b>bold</b> & co",
        body="Nothing here.\n\nA long paragraph before the words. The Kyiv bridge was hit.",
    )

    page = html.parse(client.get("/search/", {"q": "Kiev bridge"}))

    result = html.find(page, "li", class_="search-result")
    assert [html.text(mark) for mark in html.find_all(result, "mark")] == ["Kyiv", "Kyiv", "bridge"]
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in html.find(result, "h3").html
    assert "The Kyiv bridge" in html.text(html.find(result, "p", class_="search-result__passage"))


def test_drafts_reviews_scheduled_and_unpublished_are_never_found(found):
    ArticleFactory(headline="Kherson published")
    for status in (Status.DRAFT, Status.REVIEW, Status.UNPUBLISHED):
        ArticleFactory(headline=f"Kherson {status}", status=status)
    ArticleFactory(
        headline="Kherson scheduled", status=Status.SCHEDULED, published_at=ago(hours=-2)
    )
    FeedItemFactory(headline="Kherson feed draft", status=FeedItem.Status.DRAFT)
    FeedItemFactory(headline="Kherson feed later", published_at=ago(hours=-1))

    assert found(q="kherson") == ["Kherson published"]


def test_a_scheduled_article_is_found_once_its_time_has_come(found, time_machine):
    ArticleFactory(
        headline="Kherson scheduled", status=Status.SCHEDULED, published_at=ago(hours=-2)
    )

    assert found(q="kherson") == []
    time_machine.move_to(timezone.now() + timedelta(hours=3))
    assert found(q="kherson") == ["Kherson scheduled"]


def test_filters_narrow_the_results_by_section_author_kind_and_date(found):
    politics, business = SectionFactory(name="Politics"), SectionFactory(name="Business")
    reporter = AuthorFactory(name="Dinara Khalilova")
    ArticleFactory(
        headline="Budget vote", section=politics, authors=[reporter], published_at=ago(days=10)
    )
    ArticleFactory(headline="Budget deficit", section=business, published_at=ago(days=1))
    FeedItemFactory(headline="Budget passed", section=politics, published_at=ago(hours=2))

    assert found(q="budget", section="politics") == ["Budget passed", "Budget vote"]
    assert found(q="budget", author=reporter.slug) == ["Budget vote"]
    assert found(q="budget", kind="feed_item") == ["Budget passed"]
    assert found(q="budget", kind="article") == ["Budget deficit", "Budget vote"]
    since = (timezone.localdate() - timedelta(days=5)).isoformat()
    assert found(q="budget", since=since) == ["Budget passed", "Budget deficit"]
    assert found(q="budget", until=since) == ["Budget vote"]


@pytest.mark.parametrize("day", [{"since": "0001-01-01"}, {"until": "9999-12-31"}])
def test_a_day_at_either_end_of_the_calendar_narrows_nothing(found, day):
    ArticleFactory(headline="Budget deficit", published_at=ago(days=1))
    FeedItemFactory(headline="Budget passed", published_at=ago(hours=2))

    assert found(q="budget", **day) == ["Budget passed", "Budget deficit"]


def test_results_come_twenty_a_page_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    for number in range(45):
        ArticleFactory(
            headline=f"Sanctions round {number}",
            published_at=ago(minutes=number),
            authors=[AuthorFactory(name=f"Reporter {number % 3}")],
        )
    FeedItemFactory(headline="Sanctions feed item", published_at=ago(days=9))

    # Synonyms, how many entries match (SQLite), the count, the page, its bylines, the marked
    # words, and the site's menu and footer.
    with django_assert_max_num_queries(9):
        first = html.parse(client.get("/search/", {"q": "sanctions"}))
    with django_assert_max_num_queries(9):
        last = html.parse(client.get("/search/", {"q": "sanctions", "page": 3}))

    assert len(html.find_all(first, "li", class_="search-result")) == 20
    assert "46 results" in html.text(first)
    assert [html.text(h3) for h3 in html.find_all(last, "h3")] == [
        "Sanctions round 40",
        "Sanctions round 41",
        "Sanctions round 42",
        "Sanctions round 43",
        "Sanctions round 44",
        "Sanctions feed item",
    ]


HOSTILE = [
    '"unbalanced',
    'kyiv "',
    "a OR",
    "OR OR OR",
    "NEAR(kyiv bridge)",
    "headline:kyiv",
    "kyiv*",
    "* ^ ( ) { } [ ] : ; ! & | < > ' \\",
    "-",
    "- - -kyiv",
    "x\x00y",
    "\x00",
    "k" * 10_000,
    "kyiv " * 2_000,
    "'; DROP TABLE search_entry; --",
    "!kyiv & (bridge | <-> metro)",
    "\ud7ff\ue000\uffff",
    "\x02kyiv\x03",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_are_answered_without_error(client, text):
    ArticleFactory(headline="Kyiv bridge", body="The Kyiv metro.")

    response = client.get("/search/", {"q": text, "page": "1"})

    assert response.status_code == 200
    assert b"Search" in response.content


def test_bad_filters_and_pages_are_told_not_failed(client):
    ArticleFactory(headline="Kyiv bridge")

    assert client.get("/search/", {"q": "kyiv", "since": "yesterday"}).status_code == 200
    assert client.get("/search/", {"q": "kyiv", "section": "nope"}).status_code == 200
    assert client.get("/search/", {"q": "kyiv", "kind": "poem"}).status_code == 200
    assert client.get("/search/", {"q": "kyiv", "page": "999"}).status_code == 404


def test_nothing_found_suggests_what_to_try(client):
    ArticleFactory(headline="Kyiv bridge")

    page = html.parse(client.get("/search/", {"q": "zaporizhzhia -kyiv bridge"}))

    text = html.text(html.find(page, "div", class_="search-empty"))
    assert "Nothing found for “zaporizhzhia -kyiv bridge”" in text
    assert "Use fewer words" in text
    assert "Leave out the words with a minus sign" in text
    assert "another spelling" in text


def test_the_search_page_without_words_invites_a_search(client):
    ArticleFactory(headline="Kyiv bridge")

    page = html.parse(client.get("/search/"))

    assert html.find_all(page, "li", class_="search-result") == []
    assert "Type a word or a name to look for" in html.text(page)


@pytest.mark.parametrize("path", ["/", "/feed/", "/archive/", "/search/"])
def test_every_page_header_has_the_search_box(client, path):
    page = html.parse(client.get(path))

    form = html.find(html.find(page, "header"), "form", role="search")
    assert form.attributes["action"] == "/search/"
    assert form.attributes["method"] == "get"
    field = html.find(form, "input", name="q")
    assert html.find(form, "label", **{"for": field.attributes["id"]})


def test_the_header_box_keeps_the_words_searched(client):
    page = html.parse(client.get("/search/", {"q": 'kyiv "bridge'}))

    field = html.find(html.find(page, "header"), "input", name="q")
    assert field.attributes["value"] == 'kyiv "bridge'
