import threading
from datetime import date, timedelta

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, ArticleReads, Status
from feed.models import FeedItem
from newsroom import prepared
from tests.factories import ArticleFactory, FeedItemFactory, SectionFactory


def counting(build):
    """`build`, counting its calls in .calls."""

    def counted(**arguments):
        counted.calls += 1
        return build(**arguments)

    counted.calls = 0
    return counted


def headlines(rows):
    return sorted(article.headline for article in rows)


@pytest.mark.django_db
def test_a_prepared_query_gives_what_its_queryset_gives_for_each_runs_values():
    now = timezone.now()
    ArticleFactory(headline="Out", slug="out", published_at=now - timedelta(hours=1))
    ArticleFactory(
        headline="Later",
        slug="later",
        status=Status.SCHEDULED,
        published_at=now + timedelta(hours=1),
    )
    query = prepared.Prepared(
        lambda now, slug: Article.objects.published(now=now).filter(slug=slug)
    )

    assert headlines(query.run(now=now, slug="out")) == ["Out"]
    assert headlines(query.run(now=now, slug="later")) == []
    assert headlines(query.run(now=now + timedelta(hours=2), slug="later")) == ["Later"]


@pytest.mark.django_db
def test_a_prepared_query_is_built_once_for_values_of_one_shape():
    ArticleFactory(headline="One", slug="one")
    build = counting(lambda slug: Article.objects.filter(slug=slug))
    query = prepared.Prepared(build)

    query.run(slug="one")
    with CaptureQueriesContext(connection) as queries:
        rows = query.run(slug="two")

    assert build.calls == 1
    assert rows == [] and len(queries) == 1


@pytest.mark.django_db
def test_each_length_of_a_list_and_a_none_is_a_shape_of_its_own():
    section = SectionFactory(name="World")
    for slug in ("a", "b", "c"):
        ArticleFactory(headline=slug.upper(), slug=slug, section=section)
    ArticleFactory(headline="Unfiled", slug="unfiled", section=None)
    build = counting(lambda slugs, section: Article.objects.filter(slug__in=slugs, section=section))
    query = prepared.Prepared(build)

    assert headlines(query.run(slugs=["a", "b"], section=section.pk)) == ["A", "B"]
    assert headlines(query.run(slugs=["b", "c"], section=section.pk)) == ["B", "C"]
    assert headlines(query.run(slugs=["a", "b", "c"], section=section.pk)) == ["A", "B", "C"]
    assert headlines(query.run(slugs=["unfiled", "a"], section=None)) == ["Unfiled"]
    assert build.calls == 3


@pytest.mark.django_db
def test_a_query_no_row_can_meet_gives_nothing_without_asking_the_database():
    ArticleFactory(slug="one")
    query = prepared.Prepared(lambda slugs: Article.objects.filter(slug__in=slugs))

    with CaptureQueriesContext(connection) as queries:
        assert query.run(slugs=[]) == []

    assert len(queries) == 0


@pytest.mark.django_db
def test_fixed_arguments_are_given_as_they_are_and_each_value_compiles_its_own_query():
    for number in range(4):
        ArticleFactory(
            headline=f"Story {number}", published_at=timezone.now() - timedelta(hours=number)
        )
    build = counting(
        lambda size, now: Article.objects.published(now=now).order_by("-published_at")[:size]
    )
    query = prepared.Prepared(build, fixed=["size"])

    assert [a.headline for a in query.run(size=2, now=timezone.now())] == ["Story 0", "Story 1"]
    assert len(query.run(size=3, now=timezone.now())) == 3
    assert len(query.run(size=2, now=timezone.now())) == 2
    assert build.calls == 2


@pytest.mark.django_db
def test_rows_come_as_the_querysets_iterable_makes_them():
    section = SectionFactory(name="Business")
    ArticleFactory(headline="Markets", slug="markets", section=section)
    values = prepared.Prepared(
        lambda slug: Article.objects.filter(slug=slug).values_list("headline")
    )
    joined = prepared.Prepared(
        lambda slug: Article.objects.select_related("section").with_authors().filter(slug=slug)
    )

    as_dicts = prepared.Prepared(lambda slug: Article.objects.filter(slug=slug).values("slug"))
    named = prepared.Prepared(
        lambda slug: Article.objects.filter(slug=slug).values_list("headline", named=True)
    )

    assert values.run(slug="markets") == [("Markets",)]
    assert as_dicts.run(slug="markets") == [{"slug": "markets"}]
    assert named.run(slug="markets")[0].headline == "Markets"
    (article,) = joined.run(slug="markets")
    with CaptureQueriesContext(connection) as queries:
        assert article.section.name == "Business"
        assert list(article.bylines.all()) == []
    assert len(queries) == 0


def test_a_value_of_a_type_no_column_takes_is_refused_before_anything_is_built():
    query = prepared.Prepared(lambda slug: pytest.fail("built"))

    with pytest.raises(TypeError, match="no value of type object"):
        query.run(slug=object())


@pytest.mark.django_db(transaction=True)
def test_a_query_compiled_in_one_thread_runs_on_another_threads_connection():
    ArticleFactory(headline="Shared", slug="shared")
    query = prepared.Prepared(lambda slug: Article.objects.filter(slug=slug))
    query.run(slug="shared")
    found = []

    def other_thread():
        try:
            found.extend(query.run(slug="shared"))
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()

    assert headlines(found) == ["Shared"]


@pytest.mark.django_db
def test_true_false_and_days_are_bound_as_the_database_compares_them():
    FeedItemFactory(headline="Pinned", pinned=True)
    FeedItemFactory(headline="Not pinned", pinned=False)
    pinned = prepared.Prepared(lambda pinned: FeedItem.objects.filter(pinned=pinned))
    story = ArticleFactory(headline="Read")
    ArticleReads.objects.create(article=story, day=date(2026, 3, 1), count=3)
    read_since = prepared.Prepared(
        lambda day: Article.objects.filter(reads__day__gte=day).distinct()
    )

    assert headlines(pinned.run(pinned=True)) == ["Pinned"]
    assert headlines(pinned.run(pinned=False)) == ["Not pinned"]
    assert headlines(read_since.run(day=date(2026, 3, 1))) == ["Read"]
    assert headlines(read_since.run(day=date(2026, 3, 2))) == []


@pytest.mark.django_db
def test_at_most_shapes_kept_shapes_of_a_query_are_kept_compiled():
    query = prepared.Prepared(lambda slugs: Article.objects.filter(slug__in=slugs))

    for length in range(1, prepared.SHAPES_KEPT + 1):
        query.run(slugs=["a"] * length)
    assert len(query.compiled) == prepared.SHAPES_KEPT

    query.run(slugs=["a"] * (prepared.SHAPES_KEPT + 1))
    assert len(query.compiled) <= prepared.SHAPES_KEPT
