"""Previews: staff see unpublished articles in the public design; signed links for others."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from articles import preview
from articles.models import ArticleReads, Status
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    FeedItemFactory,
    article_in,
    article_with_everything,
    image_file,
)
from tests.html import find, find_all, parse, text

pytestmark = pytest.mark.django_db


def test_the_change_form_has_a_preview_and_a_shareable_link(editor_client):
    article = article_in(Status.DRAFT, owner=None)
    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert f'href="/preview/{article.pk}/"' in page
    assert f"/preview/{article.pk}/" in page.split('id="share-preview"', 1)[1]


def test_staff_preview_a_draft_in_the_public_design_with_a_banner(editor_client, client):
    article = article_in(Status.DRAFT, owner=None, headline="Not out yet")
    response = editor_client.get(f"/preview/{article.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="preview-banner"' in page and "not visible to readers" in page
    assert "<h1>Not out yet</h1>" in page and 'class="site-header"' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert client.get(f"/news/{article.slug}/").status_code == 404


def test_people_without_a_login_are_sent_to_log_in(client):
    article = article_in(Status.DRAFT, owner=None)
    response = client.get(f"/preview/{article.pk}/")
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_a_contributor_cannot_preview_other_peoples_drafts(client, user_in_role):
    writer = user_in_role("Contributor", "writer")
    client.force_login(writer)
    own = article_in(Status.DRAFT, owner=writer)
    other = article_in(Status.DRAFT, owner=None)
    assert client.get(f"/preview/{own.pk}/").status_code == 200
    assert client.get(f"/preview/{other.pk}/").status_code == 404


def test_a_shareable_link_opens_the_draft_for_anyone(client):
    article = article_in(Status.REVIEW, owner=None, headline="Shared with a source")
    response = client.get(preview.share_url(article))
    assert response.status_code == 200
    assert "<h1>Shared with a source</h1>" in response.content.decode()
    assert "This link works for 24 hours" in response.content.decode()


def test_a_shareable_link_expires_after_a_day(client):
    article = article_in(Status.DRAFT, owner=None)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        url = preview.share_url(article)
        traveller.shift(timedelta(hours=23))
        assert client.get(url).status_code == 200
        traveller.shift(timedelta(hours=2))
        response = client.get(url)
    assert response.status_code == 410
    assert "This preview link has expired" in response.content.decode()


def test_the_link_lifetime_is_a_setting(client, settings):
    settings.PREVIEW_LINK_MAX_AGE = 60
    article = article_in(Status.DRAFT, owner=None)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        url = preview.share_url(article)
        traveller.shift(timedelta(minutes=2))
        assert client.get(url).status_code == 410


def test_a_tampered_link_is_refused_kindly(client):
    article = article_in(Status.DRAFT, owner=None)
    url = preview.share_url(article)
    for bad in [url[:-3] + "xyz/", url.replace(":", "", 1), f"/preview/{article.pk}/nonsense/"]:
        response = client.get(bad)
        assert response.status_code == 403, bad
        assert "This preview link is not valid" in response.content.decode()


def test_a_link_opens_its_own_article_only(client):
    first = article_in(Status.DRAFT, owner=None)
    second = article_in(Status.DRAFT, owner=None)
    token = preview.share_url(first).rstrip("/").rsplit("/", 1)[1]
    assert client.get(f"/preview/{second.pk}/{token}/").status_code == 403
    assert client.get(f"/preview/{first.pk}/{token}/").status_code == 200


def test_a_link_to_a_deleted_article_is_a_404(client):
    article = article_in(Status.DRAFT, owner=None)
    url = preview.share_url(article)
    article.delete()
    assert client.get(url).status_code == 404


def test_view_on_site_opens_the_preview_until_the_article_is_public(editor_client):
    draft = article_in(Status.DRAFT, owner=None)
    live = article_in(Status.PUBLISHED, owner=None)
    draft_page = editor_client.get(f"/admin/articles/article/{draft.pk}/change/")
    assert draft_page.context["absolute_url"] == f"/preview/{draft.pk}/"
    live_page = editor_client.get(f"/admin/articles/article/{live.pk}/change/")
    assert live_page.context["absolute_url"] == f"/news/{live.slug}/"


# A preview is the public page: same template, same context, a banner and noindex besides.

ROBOTS_NOINDEX = '<meta name="robots" content="noindex, nofollow">\n  '
BANNER = re.compile(r'<div class="preview-banner" role="status">.*?</div>\n', re.S)


def without_preview_marks(page):
    """The preview page less its banner and robots line; fails unless it has one of each."""
    assert page.count(ROBOTS_NOINDEX) == 1, "the preview must ask search engines to stay away"
    assert len(BANNER.findall(page)) == 1, "the preview must say it is a preview"
    return BANNER.sub("", page.replace(ROBOTS_NOINDEX, ""))


@time_machine.travel("2024-01-22T10:00:00+02:00", tick=False)
def test_a_preview_of_a_published_article_is_the_public_page_with_a_banner(editor_client, reader):
    article = article_with_everything()
    public = reader.get(article.get_absolute_url()).content.decode()
    assert "preview-banner" not in public and "noindex" not in public

    for who, address in [
        (editor_client, f"/preview/{article.pk}/"),
        (Client(), preview.share_url(article)),
    ]:
        response = who.get(address)
        assert response.status_code == 200, address
        assert without_preview_marks(response.content.decode()) == public, address


@time_machine.travel("2024-01-22T10:00:00+02:00", tick=False)
def test_a_draft_preview_shows_its_words_picture_time_and_sidebar(editor_client):
    popular = ArticleFactory(headline="Most read this week")
    ArticleReads.objects.create(article=popular, day=timezone.localdate(), count=9)
    FeedItemFactory(headline="Ships leave Odesa")
    draft = article_in(
        Status.DRAFT,
        owner=None,
        body="First paragraph of the draft.\n\nSecond paragraph of the draft.",
        hero_image=image_file("putin.jpg", size=(1600, 1000)),
        hero_alt="Vladimir Putin at a meeting",
        authors=[AuthorFactory(name="Rachel Amran")],
    )
    page = parse(editor_client.get(f"/preview/{draft.pk}/"))

    assert [text(p) for p in find_all(find(page, "div", "body"), "p")] == [
        "First paragraph of the draft.",
        "Second paragraph of the draft.",
    ]
    assert "480w" in find(find(page, "figure", "hero"), "source").attributes["srcset"]
    published = find(find(page, "p", "meta"), "time")
    assert text(published) == "January 22, 2024 10:00 AM"
    assert "time of this preview" in text(find(page, "div", "preview-banner"))
    assert text(find(page, "p", "byline")) == "by Rachel Amran"
    assert "Most read this week" in text(find(page, "section", "most-popular"))
    assert "Ships leave Odesa" in text(find(page, "section", "feed-box"))


def test_the_preview_banner_is_styled_by_the_stylesheet_not_inline(editor_client):
    article = article_in(Status.DRAFT, owner=None)
    page = editor_client.get(f"/preview/{article.pk}/").content.decode()
    assert " style=" not in page
    stylesheet = (settings.BASE_DIR / "static/newsroom/site.css").read_text()
    assert ".preview-banner {" in stylesheet
