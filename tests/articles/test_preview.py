"""Previews: staff see unpublished articles in the public design; signed links for others."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles import preview
from articles.models import Status
from tests.factories import article_in

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
