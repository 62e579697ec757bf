"""Who may open the staff preview of an unpublished article, and where it leads back to."""

import pytest
from django.contrib.auth.models import Permission

from articles import preview
from articles.models import ArticleAuthor, Status
from tests.factories import AuthorFactory, article_in, change_url

pytestmark = pytest.mark.django_db


def test_staff_whose_article_rights_were_taken_away_cannot_preview_even_their_own_draft(
    client, user_in_role
):
    writer = user_in_role("Contributor", "writer")
    draft = article_in(Status.DRAFT, owner=writer, headline="Half-written profile")
    client.force_login(writer)
    assert client.get(f"/preview/{draft.pk}/").status_code == 200

    writer.groups.clear()
    response = client.get(f"/preview/{draft.pk}/")

    assert response.status_code == 404
    assert "Half-written profile" not in response.content.decode()


def test_a_contributor_previews_drafts_they_write_or_share_a_byline_on_but_no_others(
    client, user_in_role
):
    writer = user_in_role("Contributor", "writer")
    colleague = user_in_role("Contributor", "colleague")
    theirs = article_in(Status.DRAFT, owner=colleague, headline="The colleague's scoop")
    shared = article_in(Status.DRAFT, owner=colleague, headline="Written together")
    ArticleAuthor.objects.create(article=shared, author=AuthorFactory(name="Writer", user=writer))
    client.force_login(writer)

    refused = client.get(f"/preview/{theirs.pk}/")
    assert refused.status_code == 404
    assert "The colleague's scoop" not in refused.content.decode()
    assert "<h1>Written together</h1>" in client.get(f"/preview/{shared.pk}/").content.decode()


def test_an_editor_previews_any_writers_draft(client, user_in_role):
    writer = user_in_role("Contributor", "writer")
    draft = article_in(Status.REVIEW, owner=writer, headline="Waiting for the desk")
    client.force_login(user_in_role("Editor", "desk"))
    response = client.get(f"/preview/{draft.pk}/")
    assert response.status_code == 200
    assert "<h1>Waiting for the desk</h1>" in response.content.decode()


def test_the_staff_preview_leads_back_to_the_change_form(editor_client):
    draft = article_in(Status.DRAFT, owner=None)
    page = editor_client.get(f"/preview/{draft.pk}/").content.decode()
    banner = page[page.index('class="preview-banner"') :]
    assert f'<a href="{change_url(draft)}">Back to editing</a>' in banner


def test_a_shared_preview_link_does_not_lead_into_the_admin(client):
    draft = article_in(Status.DRAFT, owner=None, headline="Shared with a source")
    page = client.get(preview.share_url(draft)).content.decode()
    assert "<h1>Shared with a source</h1>" in page
    assert "Back to editing" not in page and "/admin/" not in page


def test_staff_who_may_only_view_articles_preview_their_own(client, django_user_model):
    reader = django_user_model.objects.create_user("archivist", password="pw", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_article"))
    draft = article_in(Status.DRAFT, owner=reader, headline="Read but not changed")
    client.force_login(reader)

    response = client.get(f"/preview/{draft.pk}/")

    assert response.status_code == 200
    assert "<h1>Read but not changed</h1>" in response.content.decode()


def test_no_preview_is_kept_by_a_browser_or_a_shared_cache(editor_client, reader):
    draft = article_in(Status.DRAFT, owner=None)

    for answer in (
        editor_client.get(f"/preview/{draft.pk}/"),
        reader.get(preview.share_url(draft)),
    ):
        assert answer.status_code == 200
        assert "no-store" in answer["Cache-Control"]
        assert "private" in answer["Cache-Control"]
