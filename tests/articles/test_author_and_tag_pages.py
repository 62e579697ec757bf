"""An author's and a tag's pages read their articles from the bylines and the tag's listings,
which carry a copy of each article's time and follow every change to an article's tags,
bylines, status and time, made from any side (articles/listings.py)."""

from datetime import timedelta

import pytest
import reversion
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import workflow
from articles.models import Article, ArticleAuthor, Correction, Status, TagListing
from articles.views import AuthorView, TagView
from newsroom import keyset
from tests.factories import ArticleFactory, AuthorFactory, TagFactory, article_in, change_form
from tests.plans import assert_read_in_order_from

pytestmark = pytest.mark.django_db


def listed(tag):
    """The tag's listings: [(article id, when readers see it)], newest first."""
    return copied_times(TagListing, tag=tag)


def signed(author):
    """The author's bylines: [(article id, the time copied)], newest first."""
    return copied_times(ArticleAuthor, author=author)


def copied_times(model, **subject):
    return list(
        model.objects.filter(**subject)
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


def test_an_article_whose_listing_lags_is_never_shown_to_readers(client):
    """The listings say which articles to read; published() still decides what is shown."""
    tag = TagFactory()
    article = ArticleFactory(headline="Pulled")
    article.tags.add(tag)
    Article.objects.filter(pk=article.pk).update(status=Status.UNPUBLISHED)  # no signal
    assert headlines_on(client, tag) == []


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


def test_a_byline_carries_its_articles_time_through_every_move(user_in_role):
    desk = AuthorFactory(name="The Kyiv Independent news desk", kind="desk")
    article = article_in(Status.DRAFT, owner=None, authors=[desk])
    assert signed(desk) == [(article.pk, None)]
    editor = user_in_role("Editor", "desk")
    workflow.publish(article=article, by=editor)
    article.refresh_from_db()
    assert signed(desk) == [(article.pk, article.published_at)]
    workflow.unpublish(article=article, by=editor)
    assert signed(desk) == [(article.pk, None)]


def test_a_byline_added_in_the_admin_carries_the_articles_time(client, user_in_role):
    client.force_login(user_in_role("Editor", "desk"))
    first, second = AuthorFactory(), AuthorFactory()
    article = article_in(Status.PUBLISHED, owner=None, authors=[first])
    data = change_form(article)
    data.update(
        {
            "bylines-1-position": 1,
            "bylines-1-author": second.pk,
            "bylines-TOTAL_FORMS": "2",
        }
    )
    response = client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert signed(second) == signed(first) == [(article.pk, article.published_at)]


def test_imported_bylines_carry_the_pages_time_and_date():
    from django.core.management import call_command

    call_command("import_text", "samples/kyiv-independent-2024-01-21.txt", verbosity=0)
    article = Article.objects.get()
    times = set(ArticleAuthor.objects.values_list("article_id", "goes_out_at", "changed_at"))
    assert times == {(article.pk, article.published_at, article.date_modified)}


def dates_copied(article):
    """The dates of `article`'s last change its bylines and tag listings hold, and its own."""
    article.refresh_from_db()
    copies = [
        *ArticleAuthor.objects.filter(article=article).values_list("changed_at", flat=True),
        *TagListing.objects.filter(article=article).values_list("changed_at", flat=True),
    ]
    return copies, article.date_modified


def test_the_bylines_and_listings_follow_every_change_readers_are_told_of(
    client, user_in_role, time_machine
):
    """The date an article gives of its last change is copied to its bylines and tag listings
    however it is changed: an edit, a tag added, a correction added or taken away, its authors
    changed on the change form."""
    client.force_login(user_in_role("Editor", "desk"))
    time_machine.move_to(timezone.now() - timedelta(days=1), tick=False)
    article = ArticleFactory(authors=[AuthorFactory()])
    article.tags.add(TagFactory())
    assert dates_copied(article) == ([article.published_at] * 2, article.published_at)

    def edited():
        article = Article.objects.get(pk=article_id)
        article.dek = "The figures were revised."
        article.save()

    def authors_changed():
        second = {"bylines-1-position": 1, "bylines-1-author": AuthorFactory().pk}
        data = change_form(article, **second, **{"bylines-TOTAL_FORMS": "2"})
        assert client.post(f"/admin/articles/article/{article_id}/change/", data).status_code == 302

    article_id = article.pk
    steps = {  # each step, and whether it is a change readers are told of
        "edited": (edited, True),
        "tagged": (lambda: article.tags.add(TagFactory()), False),
        "corrected": (lambda: Correction.objects.create(article=article, text="Odesa."), True),
        "correction taken away": (lambda: Correction.objects.get(article=article).delete(), True),
        "authors changed": (authors_changed, True),
    }
    for step, (change, told) in steps.items():
        before = article.date_modified
        time_machine.move_to(timezone.now() + timedelta(hours=1), tick=False)
        change()
        copies, date = dates_copied(article)
        assert date == (timezone.now() if told else before), step
        assert len(copies) >= 2 and set(copies) == {date}, step


def test_a_restored_revision_brings_back_bylines_under_the_time_the_article_has_now(
    user_in_role,
):
    writer, desk_author = AuthorFactory(name="Writer"), AuthorFactory(name="Desk")
    article = article_in(Status.DRAFT, owner=None, authors=[writer, desk_author])
    drafted = reversion.models.Version.objects.get_for_object(article).first()
    desk = user_in_role("Editor", "desk")
    ArticleAuthor.objects.filter(author=desk_author).delete()
    workflow.publish(article=article, by=desk)
    workflow.restore(article=article, version=drafted, by=desk)
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert signed(desk_author) == signed(writer) == [(article.pk, article.published_at)]


def desk_byline(article, desk):
    ArticleAuthor.objects.create(article=article, author=desk, position=1)


# Each kind of page that reads listed rows: its subject, how an article is filed under it, its
# view and the index its rows are read from.
KINDS = {
    "author": (lambda: AuthorFactory(kind="desk"), desk_byline, AuthorView, "byline_newest"),
    "tag": (TagFactory, lambda article, tag: article.tags.add(tag), TagView, "tag_listing_newest"),
}


@pytest.mark.parametrize("kind", KINDS)
def test_the_page_shows_only_what_readers_may_see_newest_first(client, kind):
    make, file_under, _, _ = KINDS[kind]
    subject, now = make(), timezone.now()
    for status, hours, headline in [
        (Status.PUBLISHED, 3, "Older"),
        (Status.PUBLISHED, 1, "Newest"),
        (Status.SCHEDULED, -1, "Scheduled for later"),
        (Status.SCHEDULED, 2, "Scheduled, now out"),
        (Status.DRAFT, 0, "Draft"),
        (Status.UNPUBLISHED, 0, "Taken down"),
    ]:
        published_at = now - timedelta(hours=hours)
        file_under(
            ArticleFactory(headline=headline, status=status, published_at=published_at), subject
        )
    assert headlines_on(client, subject) == ["Newest", "Scheduled, now out", "Older"]


@pytest.mark.parametrize("kind", KINDS)
def test_articles_of_the_same_time_are_paged_by_id_without_loss_or_repeat(client, kind):
    make, file_under, _, _ = KINDS[kind]
    subject, moment = make(), timezone.now() - timedelta(hours=1)
    articles = [ArticleFactory(published_at=moment) for _ in range(45)]
    for article in articles:
        file_under(article, subject)
    seen, query = [], ""
    while True:
        response = client.get(subject.get_absolute_url() + query)
        seen.extend(article.pk for article in response.context["articles"])
        if not response.context["older_cursor"]:
            break
        query = f"?before={response.context['older_cursor']}"
    assert seen == sorted((article.pk for article in articles), reverse=True)
    back = client.get(f"{subject.get_absolute_url()}?after={keyset.cursor_for(articles[-21])}")
    assert [article.pk for article in back.context["articles"]] == seen[:20]


@pytest.mark.parametrize("kind", KINDS)
def test_the_page_reads_its_rows_in_order_from_one_index(kind):
    """No sort of the subject's articles: the plan walks its index in the page's order."""
    make, file_under, view_class, index = KINDS[kind]
    subject = make()
    articles = [ArticleFactory() for _ in range(30)]
    for article in articles:
        file_under(article, subject)
    view = view_class(kwargs={"slug": subject.slug})
    view.cursors = {"before": keyset.parse(keyset.cursor_for(articles[10]))}
    rows = view.get_queryset().filter(keyset.older_than(*view.cursors["before"], view.columns))
    ordered = rows.order_by("-goes_out_at", "-article_id")[:21]
    assert_read_in_order_from(ordered, index)
