"""A tag's page reads its articles from the tag's listings, which follow every change to an
article's tags, status and time, made from either side."""

from datetime import timedelta

import pytest
import reversion
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import workflow
from articles.models import Article, Status, TagListing
from articles.views import TagView
from newsroom import keyset
from tests.factories import ArticleFactory, AuthorFactory, TagFactory, article_in, change_form

pytestmark = pytest.mark.django_db


def listed(tag):
    """The tag's listings: [(article id, when readers see it)], newest first."""
    return list(
        TagListing.objects.filter(tag=tag)
        .order_by("-goes_out_at", "-article")
        .values_list("article_id", "goes_out_at")
    )


def truth(tag):
    """What the listings should hold for `tag`, from the articles themselves."""
    rows = [(article.pk, article.goes_out_at) for article in tag.articles.all()]
    return sorted(rows, key=lambda row: (row[1] is not None, row[1], row[0]), reverse=True)


def headlines_on(client, tag, query=""):
    return [
        article.headline
        for article in client.get(tag.get_absolute_url() + query).context["articles"]
    ]


def test_an_article_tagged_from_either_side_is_listed_with_its_time():
    trade, energy = TagFactory(name="Trade"), TagFactory(name="Energy")
    article = ArticleFactory()
    article.tags.add(trade)
    energy.articles.add(article)
    assert listed(trade) == listed(energy) == [(article.pk, article.published_at)]


def test_tags_taken_away_set_or_cleared_leave_the_listings():
    trade, energy = TagFactory(), TagFactory()
    one, two = ArticleFactory(), ArticleFactory()
    one.tags.set([trade, energy])
    two.tags.set([trade])
    one.tags.remove(energy)
    assert listed(energy) == []
    one.tags.set([energy])
    assert listed(trade) == truth(trade) and listed(energy) == truth(energy)
    trade.articles.remove(two)
    assert listed(trade) == []
    two.tags.add(trade, energy)
    energy.articles.clear()
    assert listed(energy) == [] and listed(trade) == [(two.pk, two.published_at)]
    two.tags.clear()
    assert TagListing.objects.count() == 0


def test_a_new_status_or_time_is_copied_to_the_listings():
    tag = TagFactory()
    article = article_in(Status.DRAFT, owner=None)
    article.tags.add(tag)
    assert listed(tag) == [(article.pk, None)]
    article.status, article.published_at = Status.PUBLISHED, timezone.now() - timedelta(hours=1)
    article.save()
    assert listed(tag) == [(article.pk, article.published_at)]
    article.published_at -= timedelta(days=3)
    article.save()
    assert listed(tag) == [(article.pk, article.published_at)]
    article.status = Status.UNPUBLISHED
    article.save()
    assert listed(tag) == [(article.pk, None)]


def test_an_article_or_tag_deleted_takes_its_listings_away():
    trade, energy = TagFactory(), TagFactory()
    one, two = ArticleFactory(), ArticleFactory()
    one.tags.set([trade, energy])
    two.tags.set([trade, energy])
    one.delete()
    assert listed(trade) == [(two.pk, two.published_at)]
    energy.delete()
    assert list(TagListing.objects.values_list("article_id", "tag_id")) == [(two.pk, trade.pk)]


def test_a_restored_revision_lists_its_tags_under_the_time_the_article_has_now(user_in_role):
    tag = TagFactory()
    article = article_in(Status.DRAFT, owner=None)
    with reversion.create_revision():
        article.tags.add(tag)
        article.save()
    drafted = reversion.models.Version.objects.get_for_object(article).first()
    desk = user_in_role("Editor", "desk")
    workflow.publish(article=article, by=desk)
    article.tags.clear()
    workflow.restore(article=article, version=drafted, by=desk)
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert listed(tag) == [(article.pk, article.published_at)] == truth(tag)


def test_tags_chosen_in_the_admin_are_listed(client, user_in_role):
    client.force_login(user_in_role("Editor", "desk"))
    trade = TagFactory(name="Trade")
    article = article_in(Status.PUBLISHED, owner=None)
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/", change_form(article, tags=[trade.pk])
    )
    assert response.status_code == 302
    article.refresh_from_db()  # the form's time has no microseconds
    assert listed(trade) == [(article.pk, article.published_at)]
    assert headlines_on(client, trade) == [article.headline]


def test_the_tag_page_shows_only_what_readers_may_see_newest_first(client):
    tag = TagFactory()
    now = timezone.now()
    for status, hours, headline in [
        (Status.PUBLISHED, 3, "Older"),
        (Status.PUBLISHED, 1, "Newest"),
        (Status.SCHEDULED, -1, "Scheduled for later"),
        (Status.SCHEDULED, 2, "Scheduled, now out"),
        (Status.DRAFT, 0, "Draft"),
        (Status.UNPUBLISHED, 0, "Taken down"),
    ]:
        ArticleFactory(headline=headline, status=status, published_at=now - timedelta(hours=hours))
    for article in Article.objects.all():
        article.tags.add(tag)
    assert headlines_on(client, tag) == ["Newest", "Scheduled, now out", "Older"]


def test_articles_of_the_same_time_are_paged_by_id_without_loss_or_repeat(client):
    tag = TagFactory()
    moment = timezone.now() - timedelta(hours=1)
    articles = [ArticleFactory(published_at=moment) for _ in range(45)]
    for article in articles:
        article.tags.add(tag)
    seen, query = [], ""
    while True:
        response = client.get(tag.get_absolute_url() + query)
        seen.extend(article.pk for article in response.context["articles"])
        if not response.context["older_cursor"]:
            break
        query = f"?before={response.context['older_cursor']}"
    assert seen == sorted((article.pk for article in articles), reverse=True)
    back = client.get(f"{tag.get_absolute_url()}?after={keyset.cursor_for(articles[-21])}")
    assert [article.pk for article in back.context["articles"]] == seen[:20]


def test_an_article_whose_listing_lags_is_never_shown_to_readers(client):
    """The listings say which articles to read; published() still decides what is shown."""
    tag = TagFactory()
    article = ArticleFactory(headline="Pulled")
    article.tags.add(tag)
    Article.objects.filter(pk=article.pk).update(status=Status.UNPUBLISHED)  # no signal
    assert headlines_on(client, tag) == []


def test_the_tag_page_reads_its_rows_in_order_from_one_index():
    """No sort of the tag's articles: the plan walks the listing index in the page's order."""
    tag = TagFactory()
    articles = [ArticleFactory() for _ in range(30)]
    for article in articles:
        article.tags.add(tag)
    view = TagView(kwargs={"slug": tag.slug})
    view.cursors = {"before": keyset.parse(keyset.cursor_for(articles[10]))}
    listings = view.get_queryset().filter(
        keyset.older_than(*view.cursors["before"], TagView.columns)
    )
    ordered = listings.order_by("-goes_out_at", "-article_id")[:21]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # as if the table were large
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_bitmapscan = off")
        plan = ordered.explain()
    assert "tag_listing_newest" in plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan


def test_a_tag_page_of_many_articles_runs_the_same_queries_as_one_of_few(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    few, many = TagFactory(), TagFactory()
    ArticleFactory(authors=[AuthorFactory()]).tags.add(few)
    for _ in range(25):
        ArticleFactory(authors=[AuthorFactory(), AuthorFactory()]).tags.add(many)
    counts = []
    for tag, shown in [(few, 1), (many, 20)]:
        with CaptureQueriesContext(connection) as queries:
            assert len(headlines_on(client, tag)) == shown
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 6
