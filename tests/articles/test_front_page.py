"""The front page in editors' hands: they choose the top story and the order of the articles
that follow; without their choice the newest article leads."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import FeaturedArticle, Status
from newsroom import freshness
from tests.factories import ArticleFactory, article_in
from tests.html import find, find_all, parse, text

pytestmark = pytest.mark.django_db


def home(client):
    """The home page's top story and the headlines under Latest, as a reader reads them."""
    page = parse(client.get("/"))
    top = text(find(page, "h2", "top-story__headline"))
    latest = [text(find(teaser, "h3")) for teaser in find_all(page, "article", "teaser")]
    return top, latest


def stories(*names):
    """Published articles, the first named the newest."""
    now = timezone.now()
    return [
        ArticleFactory(headline=name, published_at=now - timedelta(hours=hours + 1))
        for hours, name in enumerate(names)
    ]


def test_without_editors_choice_the_newest_article_leads(client):
    stories("Newest", "Older", "Oldest")
    assert home(client) == ("Newest", ["Older", "Oldest"])


def test_editors_choose_the_top_story_and_the_order_that_follows(client):
    newest, older, oldest, archive = stories("Newest", "Older", "Oldest", "From the archive")
    FeaturedArticle.objects.create(article=oldest, position=0)
    FeaturedArticle.objects.create(article=archive, position=1)
    assert home(client) == ("Oldest", ["From the archive", "Newest", "Older"])


def test_a_chosen_article_readers_cannot_open_is_left_out(client):
    newest, older = stories("Newest", "Older")
    draft = article_in(Status.DRAFT, owner=None, headline="Not out yet")
    FeaturedArticle.objects.create(article=draft, position=0)
    FeaturedArticle.objects.create(article=older, position=1)
    assert home(client) == ("Older", ["Newest"])


def test_reordering_the_front_page_in_the_admin_shows_at_once(editor_client, reader):
    first, second, third = stories("First", "Second", "Third")
    slots = [
        FeaturedArticle.objects.create(article=article, position=position)
        for position, article in enumerate([first, second])
    ]
    assert home(reader) == ("First", ["Second", "Third"])

    listing = editor_client.get("/admin/articles/featuredarticle/")
    assert listing.status_code == 200 and "Second" in listing.text
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    ordered = sorted(slots, key=lambda slot: slot.pk)  # the rows as the form numbers them
    for index, slot in enumerate(reversed(ordered)):
        data[f"form-{index}-id"] = str(slot.pk)
        data[f"form-{index}-position"] = "5" if slot.article == first else "2"
    response = editor_client.post("/admin/articles/featuredarticle/", data)
    assert response.status_code == 302

    assert home(reader) == ("Second", ["First", "Third"])


def test_taking_an_article_off_the_front_page_shows_at_once(client):
    newest, older = stories("Newest", "Older")
    chosen = FeaturedArticle.objects.create(article=older, position=0)
    assert home(client)[0] == "Older"
    chosen.delete()
    assert home(client)[0] == "Newest"


@pytest.mark.parametrize("chosen", [0, 1, 12])
def test_the_home_page_runs_a_fixed_number_of_queries_however_many_are_chosen(
    client, django_assert_max_num_queries, chosen
):
    articles = stories(*(f"Story {number}" for number in range(25)))
    for position, article in enumerate(reversed(articles[:chosen])):
        FeaturedArticle.objects.create(article=article, position=position)
    # The chosen, the newest, the section menu with Most popular, the section blocks, the
    # News Feed box with where the feed stands (feed/changes.py). The page cache's tokens are
    # made once, not by every page: made here as a running site has them.
    freshness.PAGES.current(), freshness.FEED.current()
    with django_assert_max_num_queries(5):
        response = client.get("/")
    assert len(response.context["latest"]) == 5
