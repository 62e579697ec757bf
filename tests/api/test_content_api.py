from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from articles.models import MediaImage, Status
from feed.models import FeedItem
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    FeedItemFactory,
    SectionFactory,
    TagFactory,
    article_with_everything,
    image_file,
)

pytestmark = pytest.mark.django_db
SITE = "http://127.0.0.1:8000"


def ago(**delta):
    return timezone.now() - timedelta(**delta)


def hidden_things():
    """Content readers may not see yet, or any more, under names a test can look for."""
    for status in (Status.DRAFT, Status.REVIEW, Status.UNPUBLISHED):
        ArticleFactory(headline=f"Hidden {status}", status=status)
    ArticleFactory(headline="Hidden scheduled", status=Status.SCHEDULED, published_at=ago(hours=-1))
    FeedItemFactory(headline="Hidden feed draft", status=FeedItem.Status.DRAFT)
    FeedItemFactory(headline="Hidden feed later", published_at=ago(hours=-1))


def every_page(client, url):
    """The results of a list and of every page after it, following `next`."""
    results = []
    while url:
        answer = client.get(url)
        assert answer.status_code == 200, answer.content
        results += answer.json()["results"]
        url = answer.json()["next"]
        assert url is None or url.startswith(SITE + "/api/")
        url = url and url.removeprefix(SITE)
    return results


def test_article_lists_show_published_articles_only_newest_first(client):
    hidden_things()
    for hours in (3, 1, 2):
        ArticleFactory(headline=f"Shown {hours}", published_at=ago(hours=hours))

    listed = every_page(client, "/api/articles/")

    assert [article["headline"] for article in listed] == ["Shown 1", "Shown 2", "Shown 3"]


def test_an_article_comes_with_absolute_addresses_sanitised_html_text_and_structure(client):
    article = article_with_everything()
    picture = MediaImage.objects.create(image=image_file("map.png", fmt="PNG"), alt="A map")
    article.body += (
        f"\n\n:::image\nid: {picture.pk}\ncaption: The front line\n:::\n\n<script>x</script>"
    )
    article.save()

    data = client.get(f"/api/articles/{article.slug}/").json()

    assert data["url"] == f"{SITE}/news/{article.slug}/"
    assert data["section"] == {
        "name": "Ukraine news",
        "slug": "ukraine-news",
        "url": f"{SITE}/sections/ukraine-news/",
    }
    assert [author["name"] for author in data["authors"]] == [
        "Rachel Amran",
        "The Kyiv Independent news desk",
    ]
    assert data["authors"][1]["kind"] == "desk"
    assert [tag["name"] for tag in data["tags"]] == ["North Korea"]
    assert data["image"]["alt"] == "Vladimir Putin and Choe Son Hui shake hands in Moscow"
    assert data["image"]["url"].startswith(f"{SITE}/media/")
    assert data["image"]["renditions"] and all(
        r["url"].startswith(f"{SITE}/media/") for r in data["image"]["renditions"]
    )
    assert "<script>" not in data["body_html"]
    assert f'href="{SITE}/news/north-korea-supplying-shells-to-russia/"' in data["body_html"]
    assert data["body_text"].startswith("Russian dictator Vladimir Putin announced")
    kinds = [block["type"] for block in data["blocks"]]
    assert kinds[:4] == ["text", "card", "text", "image"]
    card = data["blocks"][1]
    assert card["title"] == "North Korea supplying shells to Russia"
    assert card["url"] == f"{SITE}/news/north-korea-supplying-shells-to-russia/"
    image = data["blocks"][3]
    assert (image["alt"], image["caption"]) == ("A map", "The front line")
    assert image["url"].startswith(f"{SITE}/media/")


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SCHEDULED, Status.UNPUBLISHED])
def test_an_article_readers_may_not_see_is_a_json_404(client, status):
    article = ArticleFactory(status=status, published_at=ago(hours=-1))

    answer = client.get(f"/api/articles/{article.slug}/")

    assert answer.status_code == 404
    assert answer.json() == {"status": 404, "message": "Nothing published has this address."}


def test_authors_sections_and_tags_are_those_with_published_articles(client):
    shown = ArticleFactory(
        section=SectionFactory(name="War"), authors=[AuthorFactory(name="Kate Tsurkan")]
    )
    shown.tags.set([TagFactory(name="Drones")])
    hidden = ArticleFactory(
        status=Status.DRAFT,
        section=SectionFactory(name="Secret"),
        authors=[AuthorFactory(name="Nobody Yet")],
    )
    hidden.tags.set([TagFactory(name="Embargoed")])

    authors = client.get("/api/authors/").json()["results"]
    sections = client.get("/api/sections/").json()["results"]
    tags = client.get("/api/tags/").json()["results"]

    assert [(a["name"], a["article_count"]) for a in authors] == [("Kate Tsurkan", 1)]
    assert [s["name"] for s in sections] == ["War"]
    assert tags == [
        {"name": "Drones", "slug": "drones", "url": f"{SITE}/tags/drones/", "article_count": 1}
    ]


def test_the_feed_lists_published_items_with_html_and_text(client):
    hidden_things()
    FeedItemFactory(headline="Shown", summary="Air raid in **Lviv**.")

    items = every_page(client, "/api/feed/")

    assert [item["headline"] for item in items] == ["Shown"]
    assert items[0]["summary_html"] == "<p>Air raid in <strong>Lviv</strong>.</p>"
    assert items[0]["summary_text"] == "Air raid in Lviv."
    assert items[0]["url"] == f"{SITE}/feed/{FeedItem.objects.get(headline='Shown').pk}/"


def test_lists_filter_by_section_author_tag_dates_and_words(client):
    war = SectionFactory(name="War")
    reporter = AuthorFactory(name="Asami Terajima")
    first = ArticleFactory(
        headline="Drones over Kyiv", section=war, authors=[reporter], published_at=ago(days=9)
    )
    first.tags.set([TagFactory(name="Drones")])
    ArticleFactory(headline="Budget vote", published_at=ago(days=1))
    FeedItemFactory(headline="Drones over Kharkiv", section=war)
    FeedItemFactory(headline="Budget passed")

    def headlines(url):
        return [row["headline"] for row in every_page(client, url)]

    since = (timezone.localdate() - timedelta(days=5)).isoformat()
    assert headlines("/api/articles/?section=war") == ["Drones over Kyiv"]
    assert headlines(f"/api/articles/?author={reporter.slug}") == ["Drones over Kyiv"]
    assert headlines("/api/articles/?tag=drones") == ["Drones over Kyiv"]
    assert headlines(f"/api/articles/?since={since}") == ["Budget vote"]
    assert headlines(f"/api/articles/?until={since}") == ["Drones over Kyiv"]
    assert headlines("/api/articles/?q=kiev") == ["Drones over Kyiv"]
    assert headlines("/api/feed/?section=war") == ["Drones over Kharkiv"]
    assert headlines("/api/feed/?q=budget") == ["Budget passed"]


@pytest.mark.parametrize("kind", ["articles", "feed"])
def test_a_day_filter_keeps_the_whole_day_in_the_newsrooms_time_zone(client, kind):
    make = ArticleFactory if kind == "articles" else FeedItemFactory
    kyiv = timezone.get_current_timezone()
    make(headline="Late on the 20th", published_at=datetime(2024, 1, 20, 23, 59, tzinfo=kyiv))
    make(headline="Early on the 21st", published_at=datetime(2024, 1, 21, 0, 0, tzinfo=kyiv))

    def headlines(query):
        return [row["headline"] for row in every_page(client, f"/api/{kind}/?{query}")]

    assert headlines("until=2024-01-20") == ["Late on the 20th"]
    assert headlines("since=2024-01-21") == ["Early on the 21st"]
    assert headlines("since=2024-01-20&until=2024-01-21") == [
        "Early on the 21st",
        "Late on the 20th",
    ]


@pytest.mark.parametrize("kind", ["articles", "feed"])
@pytest.mark.parametrize("query", ["since=0001-01-01", "until=9999-12-31"])
def test_a_day_at_either_end_of_the_calendar_keeps_everything(client, kind, query):
    ArticleFactory(headline="Budget vote")
    FeedItemFactory(headline="Budget passed")

    listed = every_page(client, f"/api/{kind}/?{query}")

    assert len(listed) == 1


def test_search_answers_like_the_search_page_with_marked_words(client):
    hidden_things()
    ArticleFactory(headline="Weather", body="Rain over Kyiv.", published_at=ago(hours=1))
    ArticleFactory(headline="Kyiv metro", published_at=ago(days=2))
    FeedItemFactory(headline="Kyiv alert", published_at=ago(days=3))

    results = every_page(client, "/api/search/?q=kiev&limit=1")

    assert [(r["kind"], r["headline"]) for r in results] == [
        ("article", "Kyiv metro"),
        ("feed_item", "Kyiv alert"),
        ("article", "Weather"),
    ]
    assert results[0]["marked_headline"] == "<mark>Kyiv</mark> metro"
    assert results[2]["passage"].startswith("Rain over <mark>Kyiv</mark>")
    assert every_page(client, "/api/search/?q=hidden") == []


def test_keyset_pages_follow_next_without_repeats_or_gaps(client):
    moment = ago(hours=1)
    # Equal publication times: the id decides, so no row is lost between pages.
    for number in range(7):
        ArticleFactory(headline=f"Same time {number}", published_at=moment)
    for number in range(5):
        ArticleFactory(
            headline=f"Earlier {number}", published_at=moment - timedelta(microseconds=number + 1)
        )

    listed = every_page(client, "/api/articles/?limit=3")

    assert len(listed) == 12
    assert len({article["id"] for article in listed}) == 12
    assert [a["headline"] for a in listed[:7]] == [f"Same time {n}" for n in range(6, -1, -1)]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("limit=%C2%B3", "limit"),  # "³", which str.isdigit() takes and int() refuses
        ("cursor=nonsense", "cursor"),
        ("cursor=WzEsMl0", "cursor"),
        ("cursor=WyIyMDI2LTAxLTAxIiw5OTk5OTk5OTk5OTk5OTk5OTk5OTk5XQ", "cursor"),
        ("section=nowhere", "section"),
        ("since=yesterday", "since"),
        ("q=" + "k" * 10_000, "q"),
    ],
)
def test_bad_parameters_are_a_json_400_naming_the_parameter(client, query, field):
    ArticleFactory()

    answer = client.get(f"/api/articles/?{query}")

    assert answer.status_code == 400
    assert answer.json()["status"] == 400
    assert field in answer.json()["errors"]


@pytest.mark.parametrize(
    "text", ['"unbalanced', "a OR", "NEAR(x y)", "x\x00y", "*", "-", "kyiv " * 2000]
)
def test_hostile_searches_are_answered_in_json(client, text):
    ArticleFactory(headline="Kyiv bridge")

    answer = client.get("/api/search/", {"q": text})

    assert answer.status_code in (200, 400)
    assert answer["Content-Type"] == "application/json"


def test_search_without_words_is_a_json_400(client):
    answer = client.get("/api/search/")

    assert answer.status_code == 400
    assert answer.json()["errors"] == {"q": ["This field is required."]}


def test_unknown_addresses_and_other_methods_are_json_errors(client):
    assert client.get("/api/nothing-here/").json()["status"] == 404
    # An address with a line break in it is still the API's to answer.
    answer = client.get("/api/articles/a%0Ab/")
    assert answer["Content-Type"] == "application/json"
    assert answer.json()["status"] == 404
    answer = client.post("/api/articles/", {"headline": "Mine"})
    assert answer.status_code == 405
    assert answer.json()["status"] == 405


def test_an_answer_has_an_etag_and_an_unchanged_one_is_a_304(client):
    article = ArticleFactory(headline="First")

    first = client.get("/api/articles/")
    again = client.get("/api/articles/", HTTP_IF_NONE_MATCH=first["ETag"])
    article.headline = "Changed"
    article.save()
    changed = client.get("/api/articles/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200 and first["ETag"]
    assert again.status_code == 304
    assert changed.status_code == 200
    assert changed.json()["results"][0]["headline"] == "Changed"


def test_a_kept_answer_is_sent_compressed_with_its_headers_before_the_api_starts(
    client, monkeypatch, django_assert_num_queries
):
    import brotli

    from api.views import ArticleList

    ArticleFactory(headline="First")
    first = client.get("/api/articles/", HTTP_ORIGIN="https://partner.example")
    monkeypatch.setattr(ArticleList, "get", lambda *args, **kwargs: pytest.fail("answered again"))
    with django_assert_num_queries(0):
        kept = client.get(
            "/api/articles/", HTTP_ORIGIN="https://partner.example", HTTP_ACCEPT_ENCODING="br"
        )

    assert kept.status_code == 200 and kept["Content-Encoding"] == "br"
    assert brotli.decompress(kept.content) == first.content
    for header in ("ETag", "Access-Control-Allow-Origin", "X-Content-Type-Options", "Vary"):
        assert kept[header] == first[header], header


def test_a_client_over_its_budget_is_refused_a_kept_answer_too(client, monkeypatch):
    from api.throttling import ClientRateThrottle

    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", {"anon": "2/day"})
    ArticleFactory(headline="First")
    answers = [client.get("/api/articles/", REMOTE_ADDR="192.0.2.1") for _ in range(3)]
    other = client.get("/api/articles/", REMOTE_ADDR="192.0.2.3")

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[-1].json()["status"] == 429 and int(answers[-1]["Retry-After"]) > 0
    assert other.status_code == 200


def test_a_new_feed_item_is_in_the_feed_and_search_answers_at_once(
    client, django_capture_on_commit_callbacks
):
    FeedItemFactory(headline="Story one")
    for path in ("/api/feed/", "/api/search/?q=story"):
        assert len(client.get(path).json()["results"]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        FeedItemFactory(headline="Story two")

    for path in ("/api/feed/", "/api/search/?q=story"):
        assert len(client.get(path).json()["results"]) == 2, path


def test_json_and_the_browsable_pages_are_kept_apart(client):
    ArticleFactory(headline="First")

    page = client.get("/api/articles/", HTTP_ACCEPT="text/html")
    data = client.get("/api/articles/", HTTP_ACCEPT="application/json")

    assert page["Content-Type"].startswith("text/html")
    assert data.json()["results"][0]["headline"] == "First"
    assert "Accept" in data["Vary"]


def test_any_site_may_read_the_api_from_a_browser(client):
    answer = client.get("/api/articles/", HTTP_ORIGIN="https://partner.example")
    preflight = client.options(
        "/api/articles/",
        HTTP_ORIGIN="https://partner.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )

    assert answer["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in answer["Access-Control-Expose-Headers"]
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "Access-Control-Allow-Credentials" not in answer
    assert "Access-Control-Allow-Origin" not in client.get("/")


def test_each_client_is_throttled_on_its_own(client, monkeypatch):
    from api.throttling import ClientRateThrottle

    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", {"anon": "3/day"})

    answers = [client.get("/api/tags/", REMOTE_ADDR="192.0.2.1") for _ in range(4)]
    other = client.get("/api/tags/", REMOTE_ADDR="192.0.2.2")

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert answers[-1].json()["status"] == 429
    assert int(answers[-1]["Retry-After"]) > 0
    assert other.status_code == 200


@pytest.mark.parametrize("path", ["/api/articles/", "/api/feed/", "/api/search/?q=story"])
def test_lists_take_a_fixed_number_of_queries_however_long(
    client, django_assert_max_num_queries, path
):
    def fill(count):
        for number in range(count):
            article = ArticleFactory(
                headline=f"Story {number}",
                authors=[AuthorFactory(), AuthorFactory()],
                hero_image=image_file() if number < 2 else "",
                hero_alt="A picture",
            )
            article.tags.set([TagFactory(), TagFactory()])
            FeedItemFactory(headline=f"Story feed {number}", section=article.section)

    fill(2)
    with django_assert_max_num_queries(9) as few:
        client.get(f"{path}{'&' if '?' in path else '?'}limit=100")
    fill(40)  # which also makes the cached answer stale
    with django_assert_max_num_queries(len(few.captured_queries)):
        answer = client.get(f"{path}{'&' if '?' in path else '?'}limit=100")
    assert len(answer.json()["results"]) > 40


def test_the_schema_describes_every_list_and_the_docs_load_their_own_scripts(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    docs = client.get("/api/docs/")

    for path in ("articles", "articles/{slug}", "authors", "sections", "tags", "feed", "search"):
        assert f"/api/{path}/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/articles/"]["get"]["parameters"]}
    assert {"limit", "cursor", "section", "author", "tag", "since", "until", "q"} <= parameters
    assert docs.status_code == 200
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in docs.content
