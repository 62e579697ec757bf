"""Roles and status moves, through the admin's own change form."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Status
from feed.models import FeedItem
from newsroom.models import AuditEntry
from tests.factories import ArticleFactory, AuthorFactory, article_in, change_form, change_url

pytestmark = pytest.mark.django_db

D, R, S, P, U = Status.DRAFT, Status.REVIEW, Status.SCHEDULED, Status.PUBLISHED, Status.UNPUBLISHED

EDITOR_MOVES = {
    D: {D, R, S, P},
    R: {D, R, S, P},
    S: {S, P, U, D},
    P: {P, U},
    U: {U, D, P, S},
}
CONTRIBUTOR_MOVES = {D: {D, R}, R: {D, R}, S: set(), P: set(), U: set()}
ALLOWED = {"Contributor": CONTRIBUTOR_MOVES, "Editor": EDITOR_MOVES, "Chief editor": EDITOR_MOVES}


@pytest.mark.parametrize("role", ["Contributor", "Editor", "Chief editor"])
@pytest.mark.parametrize("old", list(Status))
@pytest.mark.parametrize("new", list(Status))
def test_each_role_makes_only_its_own_status_moves_through_the_change_form(
    role, old, new, client, user_in_role
):
    user = user_in_role(role)
    client.force_login(user)
    article = article_in(old, owner=user)
    published_at = timezone.now() + timedelta(hours=3) if new == S else article.published_at

    response = client.post(
        change_url(article), change_form(article, status=new, published_at=published_at)
    )

    article.refresh_from_db()
    if new in ALLOWED[role][old]:
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert article.status == new
    else:
        assert response.status_code in (200, 403)
        assert article.status == old
        if response.status_code == 200:
            assert "status" in response.context["adminform"].form.errors


def test_a_contributor_cannot_publish_by_posting_status(client, user_in_role):
    writer = user_in_role("Contributor", "writer")
    client.force_login(writer)
    article = article_in(D, owner=writer)

    response = client.post(change_url(article), change_form(article, status=P))

    assert response.status_code == 200
    message = str(response.context["adminform"].form.errors["status"])
    assert "You may not move an article from “Draft” to “Published”" in message
    article.refresh_from_db()
    assert article.status == D and article.published_at is None
    assert not AuditEntry.objects.exists()


def test_a_contributor_cannot_add_an_article_that_is_already_published(client, user_in_role):
    client.force_login(user_in_role("Contributor", "writer"))
    data = change_form(ArticleFactory.build(status=P), status=P)
    del data["loaded_version"]
    response = client.post("/admin/articles/article/add/", data)
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert not Article.objects.exists()


def test_a_contributor_writes_a_draft_that_is_theirs(client, user_in_role):
    writer = user_in_role("Contributor", "writer")
    client.force_login(writer)
    data = change_form(ArticleFactory.build(status=D, published_at=None), status=D)
    del data["loaded_version"]
    response = client.post("/admin/articles/article/add/", data)
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.created_by == writer and article.status == D


def test_a_contributor_sees_only_their_own_articles(client, user_in_role):
    writer = user_in_role("Contributor", "writer")
    client.force_login(writer)
    own = article_in(D, owner=writer, headline="Mine, written alone")
    bylined = article_in(P, owner=None, headline="Mine, with a byline")
    bylined.bylines.create(author=AuthorFactory(name="Writer Person", user=writer))
    other = article_in(D, owner=user_in_role("Contributor", "another"), headline="Not mine")

    listing = client.get("/admin/articles/article/").content.decode()
    assert own.headline in listing and bylined.headline in listing
    assert other.headline not in listing

    response = client.post(change_url(other), change_form(other, headline="Taken over"))
    assert response.status_code == 302 and response.url == "/admin/"
    other.refresh_from_db()
    assert other.headline == "Not mine"


def test_a_contributor_may_read_but_not_edit_their_published_article(client, user_in_role):
    writer = user_in_role("Contributor", "writer")
    client.force_login(writer)
    article = article_in(P, owner=writer)
    assert client.get(change_url(article)).status_code == 200
    response = client.post(change_url(article), change_form(article, headline="Rewritten"))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.headline != "Rewritten"


def test_a_contributor_cannot_set_the_publication_time(client, user_in_role):
    writer = user_in_role("Contributor", "writer")
    client.force_login(writer)
    article = article_in(D, owner=writer)
    response = client.post(change_url(article), change_form(article, published_at=timezone.now()))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.published_at is None


def test_the_status_menu_offers_only_the_moves_the_role_may_make(client, user_in_role):
    writer = user_in_role("Contributor", "writer")
    client.force_login(writer)
    article = article_in(D, owner=writer)
    form = client.get(change_url(article)).context["adminform"].form
    assert [value for value, _ in form.fields["status"].widget.choices] == [D, R]

    client.force_login(user_in_role("Editor", "desk"))
    form = client.get(change_url(article)).context["adminform"].form
    assert [value for value, _ in form.fields["status"].widget.choices] == [D, R, S, P]


def test_contributors_may_not_post_feed_items_and_editors_may(client, user_in_role):
    data = {"headline": "Air raid alert", "summary": "", "status": "published"}
    data.update({"published_at_0": "", "published_at_1": ""})
    client.force_login(user_in_role("Contributor", "writer"))
    assert client.post("/admin/feed/feeditem/add/", data).status_code == 403
    client.force_login(user_in_role("Editor", "desk"))
    assert client.post("/admin/feed/feeditem/add/", data).status_code == 302
    assert FeedItem.objects.get().headline == "Air raid alert"


def test_only_the_chief_editor_manages_users(client, user_in_role):
    client.force_login(user_in_role("Editor", "desk"))
    assert client.get("/admin/auth/user/").status_code == 403
    client.force_login(user_in_role("Chief editor", "chief"))
    assert client.get("/admin/auth/user/").status_code == 200


def test_publish_and_unpublish_actions_are_for_editors_only(client, user_in_role):
    writer = user_in_role("Contributor", "writer")
    draft = article_in(D, owner=writer)
    client.force_login(writer)
    actions = client.get("/admin/articles/article/").context["action_form"].fields["action"]
    assert [name for name, _ in actions.choices if name] == ["submit_for_review"]

    client.force_login(user_in_role("Editor", "desk"))
    response = client.post(
        "/admin/articles/article/", {"action": "publish", "_selected_action": [draft.pk]}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == P and draft.published_at is not None
    assert AuditEntry.objects.get().action == "published"


def test_publishing_sets_the_time_and_republishing_keeps_it(client, user_in_role):
    client.force_login(user_in_role("Editor", "desk"))
    article = article_in(R, owner=None)
    client.post(change_url(article), change_form(article, status=P))
    article.refresh_from_db()
    first = article.published_at
    assert article.status == P and first is not None

    client.post(change_url(article), change_form(article, status=U))
    article.refresh_from_db()
    client.post(change_url(article), change_form(article, status=P))
    article.refresh_from_db()
    # The form shows whole seconds, so that is what survives a round trip.
    assert article.status == P and article.published_at == first.replace(microsecond=0)
    actions = list(AuditEntry.objects.order_by("when", "id").values_list("action", flat=True))
    assert actions == ["published", "unpublished", "published"]
    assert AuditEntry.objects.first().user.username == "desk"


def test_scheduling_needs_a_time_in_the_future(client, user_in_role):
    client.force_login(user_in_role("Editor", "desk"))
    article = article_in(R, owner=None)
    response = client.post(
        change_url(article),
        change_form(article, status=S, published_at=timezone.now() - timedelta(hours=1)),
    )
    assert response.status_code == 200
    assert "in the future" in str(response.context["adminform"].form.errors["status"])


def test_editors_manage_sections_and_contributors_only_see_them(client, user_in_role):
    client.force_login(user_in_role("Contributor", "writer"))
    data = {"name": "Culture", "slug": "", "description": "", "position": 5}
    assert client.post("/admin/articles/section/add/", data).status_code == 403
    client.force_login(user_in_role("Editor", "desk"))
    assert client.post("/admin/articles/section/add/", data).status_code == 302


def test_a_chief_editor_gives_roles_but_cannot_make_superusers(client, user_in_role):
    from django.contrib.auth.models import Group

    client.force_login(user_in_role("Chief editor", "chief"))
    writer = user_in_role("Contributor", "writer")
    data = {
        "username": "writer",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [Group.objects.get(name="Editor").pk],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-05",
        "date_joined_1": "10:00:00",
        "initial-date_joined_0": "2026-01-05",
        "initial-date_joined_1": "10:00:00",
    }
    response = client.post(f"/admin/auth/user/{writer.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    writer.refresh_from_db()
    assert [g.name for g in writer.groups.all()] == ["Editor"]
    assert not writer.is_superuser


def test_a_chief_editor_cannot_take_over_a_superuser_account(client, user_in_role, editor):
    client.force_login(user_in_role("Chief editor", "chief"))
    response = client.post(
        f"/admin/auth/user/{editor.pk}/password/",
        {"password1": "taken-over-9x", "password2": "taken-over-9x"},
    )
    assert response.status_code == 403
    assert client.post(f"/admin/auth/user/{editor.pk}/delete/", {"post": "yes"}).status_code == 403
    editor.refresh_from_db()
    assert editor.check_password("pw") and editor.is_active


def test_a_contributor_withdraws_their_article_from_review_to_keep_writing(client, user_in_role):
    writer = user_in_role("Contributor", "writer")
    client.force_login(writer)
    article = article_in(R, owner=writer)
    response = client.post(change_url(article), change_form(article, status=D, body="More."))
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.body) == (D, "More.")
