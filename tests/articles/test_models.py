from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import READERS, Article, ArticleAuthor, Author, Status
from tests.factories import ArticleFactory, AuthorFactory, DeskFactory
from tests.rules import assert_rows_agree, assert_split_exactly

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def test_slug_is_made_from_the_headline():
    article = ArticleFactory(headline="Media: Putin preparing to visit North Korea")
    assert article.slug == "media-putin-preparing-to-visit-north-korea"


def test_a_second_article_with_the_same_headline_gets_its_own_slug():
    first = ArticleFactory(headline="Air raid alert in Kyiv")
    second = ArticleFactory(headline="Air raid alert in Kyiv")
    assert first.slug == "air-raid-alert-in-kyiv"
    assert second.slug == "air-raid-alert-in-kyiv-2"


def test_the_database_refuses_two_articles_with_one_slug():
    ArticleFactory(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(slug="same")


def test_published_leaves_out_what_readers_may_not_see():
    now = timezone.now()
    visible = {
        ArticleFactory(status=Status.PUBLISHED, published_at=now - HOUR),
        ArticleFactory(status=Status.SCHEDULED, published_at=now - HOUR),
    }
    ArticleFactory(status=Status.DRAFT, published_at=None)
    ArticleFactory(status=Status.DRAFT, published_at=now - HOUR)
    ArticleFactory(status=Status.REVIEW, published_at=now - HOUR)
    ArticleFactory(status=Status.SCHEDULED, published_at=now + HOUR)
    ArticleFactory(status=Status.PUBLISHED, published_at=now + HOUR)
    ArticleFactory(status=Status.UNPUBLISHED, published_at=now - HOUR)
    assert set(Article.objects.published()) == visible


def test_a_scheduled_article_appears_when_its_time_comes(time_machine):
    time_machine.move_to("2024-01-21 05:00:00+00:00", tick=False)
    article = ArticleFactory(
        status=Status.SCHEDULED, published_at=timezone.now() + timedelta(minutes=30)
    )
    assert article not in Article.objects.published()
    time_machine.shift(timedelta(minutes=31))
    assert article in Article.objects.published()


def test_publishing_without_a_time_publishes_now():
    article = ArticleFactory(status=Status.PUBLISHED, published_at=None)
    assert article.published_at is not None
    assert article.published_at <= timezone.now()


def test_the_database_refuses_a_published_article_without_a_time():
    article = ArticleFactory(status=Status.DRAFT, published_at=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(status=Status.PUBLISHED)


def test_co_authors_keep_their_byline_order():
    desk = DeskFactory()
    rachel = AuthorFactory(name="Rachel Amran")
    elsa = AuthorFactory(name="Elsa Court")
    article = ArticleFactory(authors=[rachel, desk, elsa])
    fetched = Article.objects.with_authors().get(pk=article.pk)
    assert fetched.ordered_authors == [rachel, desk, elsa]
    assert fetched.byline_names == ("Rachel Amran, The Kyiv Independent news desk and Elsa Court")
    assert desk.kind == Author.Kind.DESK


def test_byline_order_follows_position_not_insertion():
    first, second = AuthorFactory(), AuthorFactory()
    article = ArticleFactory()
    ArticleAuthor.objects.create(article=article, author=second, position=2)
    ArticleAuthor.objects.create(article=article, author=first, position=1)
    assert Article.objects.with_authors().get(pk=article.pk).ordered_authors == [first, second]


def test_an_author_appears_once_in_a_byline():
    author = AuthorFactory()
    article = ArticleFactory(authors=[author])
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleAuthor.objects.create(article=article, author=author, position=1)


def test_excerpt_is_taken_from_the_first_paragraph_when_left_blank():
    article = ArticleFactory(body="The *first* paragraph.\n\nThe second one.", excerpt="")
    assert article.excerpt == "The first paragraph."


def test_an_excerpt_written_by_the_editor_is_kept():
    article = ArticleFactory(body="Body.", excerpt="Written by hand.")
    assert article.excerpt == "Written by hand."


def test_authors_and_desks_need_no_login():
    desk = DeskFactory()
    assert desk.user is None
    assert desk.slug == "the-kyiv-independent-news-desk"


def test_bad_author_links_are_refused_with_the_line():
    from django.core.exceptions import ValidationError

    author = Author(name="Someone", links="https://example.com\njavascript:alert(1)")
    with pytest.raises(ValidationError) as error:
        author.full_clean()
    assert "Line 2" in str(error.value)


def article_in_every_status_at_every_time(now):
    for status in Status.values:
        for moment in (now - timedelta(days=1), now, now + timedelta(minutes=1), None):
            if moment is None and status in ("published", "scheduled"):
                continue  # the table refuses it
            ArticleFactory(headline=f"{status} {moment}", status=status, published_at=moment)


def test_every_article_is_either_one_readers_see_or_one_they_do_not():
    now = timezone.now()
    article_in_every_status_at_every_time(now)

    seen = assert_split_exactly(Article, READERS.see(now=now), READERS.do_not_see(now=now))

    assert len(seen) == 2 * 2  # published and scheduled, a day ago and now


def test_an_article_in_hand_is_public_exactly_when_published_finds_it(time_machine):
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    article_in_every_status_at_every_time(now)

    assert_rows_agree(Article)
