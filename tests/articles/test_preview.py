"""Previews: staff see unpublished articles in the public design; signed links for others."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.core import signing
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from articles import preview, workflow
from articles.models import ArticleReads, Status
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    FeedItemFactory,
    article_in,
    article_with_everything,
    change_url,
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


def test_the_banner_gives_the_links_lifetime_in_whole_hours_rounded_down(client, settings):
    settings.PREVIEW_LINK_MAX_AGE = 3 * 60 * 60 - 1
    article = article_in(Status.DRAFT, owner=None)

    page = client.get(preview.share_url(article)).content.decode()

    assert "This link works for 2 hours" in page


def test_a_tampered_link_to_an_article_whose_links_were_withdrawn_is_refused_kindly(client, editor):
    article = preview.withdraw_links(article=article_in(Status.DRAFT, owner=None), by=editor)
    url = preview.share_url(article)

    response = client.get(url[:-3] + "xyz/")

    assert response.status_code == 403
    assert "This preview link is not valid" in response.content.decode()


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


def shareable_link(change_form_page):
    """The shareable preview link as the change form shows it, without the site's address."""
    share = find(parse(change_form_page), "p", id="share-preview")
    return urlsplit(find(share, "input").attributes["value"]).path


def test_an_editor_withdraws_the_shared_links_and_those_sent_before_no_longer_open(
    editor_client, client
):
    article = article_in(Status.REVIEW, owner=None, headline="Shared with a source")
    page = editor_client.get(change_url(article))
    sent = shareable_link(page)
    assert client.get(sent).status_code == 200

    withdraw = find(parse(page), "form", id="withdraw-preview-links")
    response = editor_client.post(withdraw.attributes["action"], follow=True)

    assert [str(message) for message in response.context["messages"]] == [
        "Shared preview links withdrawn: links sent before no longer open. "
        "The shareable link on this page is a new one."
    ]
    refused = client.get(sent)
    assert refused.status_code == 410
    assert "This preview link was withdrawn" in refused.content.decode()
    assert "Shared with a source" not in refused.content.decode()
    new = shareable_link(response)
    assert new != sent
    assert "<h1>Shared with a source</h1>" in client.get(new).content.decode()
    history = parse(editor_client.get(f"/admin/articles/article/{article.pk}/history/"))
    assert "editor Edited Withdrew its shared preview links: links sent before no longer open." in (
        text(find(history, "table", id="audit-log"))
    )


def test_the_withdraw_button_sits_by_the_share_link_and_outside_the_change_form(editor_client):
    article = article_in(Status.DRAFT, owner=None)
    page = parse(editor_client.get(change_url(article)))
    button = find(find(page, "p", id="share-preview"), "button")
    assert text(button).strip() == "Withdraw shared links"
    # Its own form, so that Enter in a field of the change form saves the article.
    assert button.attributes["form"] == "withdraw-preview-links"
    assert not find_all(find(page, "form", id="article_form"), "form")
    withdraw = find(page, "form", id="withdraw-preview-links")
    assert withdraw.attributes["method"] == "post"
    assert find(withdraw, "input", name="csrfmiddlewaretoken")


def test_withdrawing_links_needs_the_right_to_change_the_article_and_a_post(client, user_in_role):
    writer = user_in_role("Contributor", "writer")
    article = article_in(Status.PUBLISHED, owner=writer)
    url = f"/admin/articles/article/{article.pk}/withdraw-preview-links/"
    client.force_login(writer)
    page = client.get(change_url(article))
    assert page.status_code == 200 and "Withdraw shared links" not in page.content.decode()
    assert client.post(url).status_code == 403
    client.force_login(user_in_role("Editor", "desk"))
    assert client.get(url).status_code == 405
    article.refresh_from_db()
    assert article.preview_key == 0


def test_a_shared_link_stops_opening_once_the_article_is_unpublished(client):
    article = article_in(Status.PUBLISHED, owner=None, headline="Taken down later")
    url = preview.share_url(article)
    assert client.get(url).status_code == 200
    workflow.unpublish(article=article, by=None)
    response = client.get(url)
    assert response.status_code == 410
    page = response.content.decode()
    assert "This article was unpublished" in page and "Taken down later" not in page


def test_restoring_an_older_revision_does_not_bring_withdrawn_links_back(client, editor):
    article = article_in(Status.DRAFT, owner=None)
    sent = preview.share_url(article)
    older = Version.objects.get_for_object(article).get()
    preview.withdraw_links(article=article, by=editor)
    workflow.restore(article=article, version=older, by=editor)
    assert client.get(sent).status_code == 410


def test_a_link_shared_before_links_could_be_withdrawn_opens_until_it_expires(client):
    article = article_in(Status.DRAFT, owner=None, headline="Shared last week")
    signed = signing.TimestampSigner(salt=f"articles.preview:{article.pk}").sign("preview")
    response = client.get(f"/preview/{article.pk}/{signed.split(':', 1)[1]}/")
    assert "<h1>Shared last week</h1>" in response.content.decode()


# A preview is the public page: same template, same context, a banner and noindex besides.

ROBOTS_NOINDEX = '<meta name="robots" content="noindex, nofollow">'
ROBOTS_PUBLIC = '<meta name="robots" content="max-image-preview:large">'
BANNER = re.compile(r'<div class="preview-banner" role="status">.*?</div>\n', re.S)


FEED_CURSOR = re.compile(r"after=[0-9.]+")


def without_preview_marks(page):
    """The preview page less its banner and robots line; fails unless it has one of each."""
    assert page.count(ROBOTS_NOINDEX) == 1, "the preview must ask search engines to stay away"
    assert len(BANNER.findall(page)) == 1, "the preview must say it is a preview"
    return BANNER.sub("", page.replace(ROBOTS_NOINDEX, ROBOTS_PUBLIC))


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
        # The feed's cursor names the database's state when each page was drawn (on PostgreSQL
        # a transaction number), so it may move between the two requests.
        preview_page = FEED_CURSOR.sub("after=", without_preview_marks(response.content.decode()))
        assert preview_page == FEED_CURSOR.sub("after=", public), address


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
    assert text(published) == "10:00 AM"  # today, so the clock alone
    assert published.attributes["datetime"] == "2024-01-22T10:00:00+02:00"
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
