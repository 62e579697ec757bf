"""Query budgets, the page cache, conditional requests and read counting."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from articles import popularity
from articles.models import Article, ArticleReads, Correction, MediaImage
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    DeskFactory,
    FeedItemFactory,
    SectionFactory,
    TagFactory,
    image_file,
)
from tests.html import find, find_all, links, parse, text

pytestmark = pytest.mark.django_db


def rich_article(co_authors):
    section = SectionFactory(name="Ukraine news")
    linked = ArticleFactory(
        headline="Military intelligence report", section=section, authors=[DeskFactory()]
    )
    picture = MediaImage.objects.create(image=image_file(size=(900, 600)), alt="Kyiv at night")
    article = ArticleFactory(
        section=section,
        hero_image=image_file(),
        hero_alt="A picture",
        body=(
            "First paragraph.\n\n:::card\narticle: military-intelligence-report\n:::\n\n"
            ":::card\ntitle: Elsewhere\nlink: https://example.com/a\n:::\n\n"
            f"{picture.block}\n\nLast paragraph."
        ),
        authors=[AuthorFactory() for _ in range(co_authors)],
    )
    article.tags.set([TagFactory() for _ in range(4)])
    article.related_articles.set(
        [ArticleFactory(section=section, authors=[AuthorFactory()]) for _ in range(co_authors)]
    )
    for number in range(co_authors):
        Correction.objects.create(article=article, text=f"Correction number {number}.")
    for _ in range(6):
        ArticleFactory(section=section, authors=[AuthorFactory()])
        FeedItemFactory(section=section)
    ArticleReads.objects.create(article=linked, day=timezone.localdate(), count=3)
    return article


@pytest.mark.parametrize("cache", ["local memory", "none"])
@pytest.mark.parametrize("co_authors", [1, 10])
def test_article_page_runs_at_most_five_queries(
    client, settings, django_assert_max_num_queries, co_authors, cache
):
    if cache == "none":
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    article = rich_article(co_authors)
    # The article with its bylines, tags and corrections; related and linked articles; the
    # body's pictures; the section menu with Most popular; the feed's boxes with where the feed
    # stands (feed/changes.py).
    with django_assert_max_num_queries(5):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["article"].ordered_authors) == co_authors
    page = parse(response)
    related = find(page, "section", "related-articles")
    assert len(find_all(related, "article", "teaser")) == co_authors
    assert len(find_all(page, "p", "correction")) == co_authors
    assert len(links(find(page, "p", "tags"))) == 4
    body = find(page, "div", "body")
    assert "Military intelligence report" in text(body)
    assert find(body, "img", alt="Kyiv at night")
    assert find_all(find(page, "section", "most-popular"), "li")


@pytest.mark.parametrize("cache", ["local memory", "none"])
@pytest.mark.parametrize("co_authors", [1, 10])
def test_home_page_runs_at_most_five_queries(
    client, settings, django_assert_max_num_queries, co_authors, cache
):
    if cache == "none":
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    rich_article(co_authors)
    for name in ("Business", "Europe", "Opinion"):
        ArticleFactory(
            section=SectionFactory(name=name),
            authors=[AuthorFactory(), DeskFactory()],
            published_at=timezone.now() - timedelta(days=2),  # below Latest
        )
    # The chosen and the newest articles with their bylines; the section menu with Most
    # popular; the section blocks; the News Feed box with where the feed stands.
    with django_assert_max_num_queries(5):
        response = client.get("/")
    assert response.status_code == 200
    assert len(response.context["section_blocks"]) == 4


def test_a_cached_page_is_served_without_queries(client, django_assert_num_queries):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_an_edit_shows_on_the_next_request(client):
    article = ArticleFactory(headline="First headline")
    assert b"First headline" in client.get("/").content
    article.headline = "Second headline"
    article.save()
    assert b"Second headline" in client.get("/").content


@pytest.mark.parametrize(
    ("change", "token"),
    [
        (lambda a: a.section.__class__.objects.filter(pk=a.section_id).get().save(), "PAGES"),
        (lambda a: FeedItemFactory(headline="Breaking update"), "FEED"),
        (lambda a: a.tags.add(TagFactory()), "PAGES"),
        (lambda a: AuthorFactory(name="New author").articles.add(a), "PAGES"),
    ],
    ids=["section", "feed item", "tag", "byline"],
)
def test_related_changes_make_cached_pages_stale(client, change, token):
    from newsroom import freshness

    article = ArticleFactory()
    client.get("/")
    before = getattr(freshness, token).current()
    change(article)
    assert getattr(freshness, token).current() != before


def test_a_feed_item_leaves_pages_without_feed_items_cached(client, django_assert_num_queries):
    section = SectionFactory(name="Ukraine news")
    ArticleFactory(section=section)
    client.get(section.get_absolute_url())
    FeedItemFactory(headline="Breaking update", section=section)
    with django_assert_num_queries(0):
        assert client.get(section.get_absolute_url()).status_code == 200
    assert b"Breaking update" in client.get("/").content


def test_feed_item_shows_on_home_at_once(client):
    ArticleFactory()
    client.get("/")
    FeedItemFactory(headline="Breaking update")
    assert b"Breaking update" in client.get("/").content


def test_pages_answer_conditional_requests_with_304(client):
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(article.get_absolute_url(), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    since = client.get(
        article.get_absolute_url(), headers={"If-Modified-Since": first["Last-Modified"]}
    )
    assert since.status_code == 304


def test_editors_see_the_live_page_not_the_cache(editor_client, client):
    article = ArticleFactory(headline="Before")
    client.get(article.get_absolute_url())
    article.__class__.objects.filter(pk=article.pk).update(headline="After")
    assert b"After" in editor_client.get(article.get_absolute_url()).content


def test_reads_are_counted_in_batches_not_per_request(client, django_assert_num_queries):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        for _ in range(5):
            client.get(article.get_absolute_url())
    assert not ArticleReads.objects.exists()
    assert popularity.flush() == 6
    assert ArticleReads.objects.get(article=article).count == 6


def test_a_read_counts_for_the_local_day_it_was_made_in_across_midnight(client, settings):
    settings.TIME_ZONE = "Europe/Kyiv"
    article = ArticleFactory(published_at=timezone.make_aware(datetime(2026, 2, 1)))
    before_midnight = timezone.make_aware(datetime(2026, 3, 1, 23, 59, 59, 600_000))
    with time_machine.travel(before_midnight, tick=False) as clock:
        client.get(article.get_absolute_url())
        clock.shift(timedelta(milliseconds=500))  # 00:00:00.1, the next day
        client.get(article.get_absolute_url())
        client.get(article.get_absolute_url())
    popularity.flush()
    counts = ArticleReads.objects.filter(article=article).order_by("day")
    assert [(read.day, read.count) for read in counts] == [
        (date(2026, 3, 1), 1),
        (date(2026, 3, 2), 2),
    ]


def test_a_full_batch_is_written_in_one_go(client):
    article = ArticleFactory()
    for _ in range(popularity.FLUSH_EVERY):
        client.get(article.get_absolute_url())
    assert ArticleReads.objects.get(article=article).count == popularity.FLUSH_EVERY


def test_bots_and_editors_are_not_counted(client, editor_client):
    article = ArticleFactory()
    client.get(article.get_absolute_url(), headers={"User-Agent": "Googlebot/2.1"})
    client.get(article.get_absolute_url(), headers={"User-Agent": "Mozilla/5.0 Chrome-Lighthouse"})
    editor_client.get(article.get_absolute_url())
    assert popularity.flush() == 0


def test_most_popular_ranks_reads_of_the_last_seven_days(client):
    today = timezone.localdate()
    hit, steady, stale = ArticleFactory(), ArticleFactory(), ArticleFactory()
    ArticleReads.objects.create(article=hit, day=today, count=50)
    ArticleReads.objects.create(article=steady, day=today, count=10)
    ArticleReads.objects.create(article=steady, day=today - timedelta(days=6), count=30)
    ArticleReads.objects.create(article=stale, day=today - timedelta(days=8), count=500)
    draft = ArticleFactory(status="draft", published_at=None)
    ArticleReads.objects.create(article=draft, day=today, count=900)
    assert popularity.most_popular() == [hit, steady]
    assert list(client.get("/").context["most_popular"]) == [hit, steady]


def test_article_without_a_section_stays_within_the_budget(client, django_assert_max_num_queries):
    article = ArticleFactory(section=None, authors=[AuthorFactory() for _ in range(10)])
    FeedItemFactory(
        section=SectionFactory(name="Ukraine news"),
        published_at=timezone.now() - timedelta(hours=2),
    )
    for _ in range(5):  # newer: the News Feed box shows these
        FeedItemFactory()
    with django_assert_max_num_queries(5):
        response = client.get(article.get_absolute_url())
    block = find(parse(response), "section", class_="section-block")
    assert links(find(block, "h2")) == [("/sections/ukraine-news/", "Ukraine news")]


def test_a_cached_page_shows_a_scheduled_feed_item_once_its_time_comes(client):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as traveller:
        FeedItemFactory(headline="Curfew lifted at dawn", published_at=start + timedelta(minutes=2))
        assert b"Curfew lifted at dawn" not in client.get("/").content
        traveller.move_to(start + timedelta(minutes=1))
        assert b"Curfew lifted at dawn" not in client.get("/").content
        traveller.move_to(start + timedelta(minutes=2, seconds=1))
        assert b"Curfew lifted at dawn" in client.get("/").content


def test_a_page_cached_before_a_change_is_committed_goes_stale_at_the_commit(
    client, django_capture_on_commit_callbacks
):
    article = ArticleFactory(headline="Before")
    with django_capture_on_commit_callbacks(execute=True):
        article.headline = "After"
        article.save()
        # A reader in the gap still sees the committed page, and it gets cached.
        Article.objects.filter(pk=article.pk).update(headline="Before")
        assert b"Before" in client.get(article.get_absolute_url()).content
        Article.objects.filter(pk=article.pk).update(headline="After")
    assert b"After" in client.get(article.get_absolute_url()).content
