"""Roles and status moves: the workflow's services called directly, and the admin's change form
and actions that call them."""

from datetime import timedelta

import pytest
from django.db import DatabaseError
from django.utils import timezone

from articles import workflow
from articles.models import Article, Status
from articles.workflow import WorkflowRefused
from feed.models import FeedItem
from newsroom import dates
from newsroom.models import AuditEntry
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    article_in,
    change_form,
    change_url,
    run_action,
)

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
    elif role == "Contributor" and old not in (D, R):
        # A contributor may not change an article once it has left their hands at all.
        assert response.status_code == 403
        assert article.status == old
    else:
        assert response.status_code == 200
        assert "status" in response.context["adminform"].form.errors
        assert article.status == old


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


@pytest.mark.parametrize(
    "status, menu",
    [(R, [D, R, S, P]), (S, [D, S, P, U]), (P, [P, U]), (U, [D, S, P, U])],
)
def test_the_status_menu_of_an_article_past_its_draft_offers_its_onward_moves(
    status, menu, client, user_in_role
):
    client.force_login(user_in_role("Editor", "desk"))
    article = article_in(status, owner=None)
    form = client.get(change_url(article)).context["adminform"].form
    assert [value for value, _ in form.fields["status"].widget.choices] == menu


def test_a_refused_move_says_exactly_where_the_article_can_go(client, user_in_role):
    client.force_login(user_in_role("Editor", "desk"))
    article = article_in(U, owner=None)

    response = client.post(change_url(article), change_form(article, status=R))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"] == [
        "An article cannot go from “Unpublished” to “In review”. "
        "From here it can go to: Draft, Scheduled, Published."
    ]
    article.refresh_from_db()
    assert article.status == U


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


def test_a_contributor_submits_a_draft_from_the_list_and_the_audit_log_says_so(
    client, user_in_role
):
    writer = user_in_role("Contributor", "writer")
    client.force_login(writer)
    draft = article_in(D, owner=writer)
    in_review = article_in(R, owner=writer)

    assert run_action(client, "submit_for_review", draft, in_review) == [
        "Submitted 1 article(s). 1 could not be: their status does not allow it."
    ]
    draft.refresh_from_db()
    assert draft.status == R
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.user, entry.note) == ("submitted", writer, "From Draft")


def test_an_editor_unpublishes_from_the_list_what_is_out_and_nothing_else(client, user_in_role):
    client.force_login(user_in_role("Editor", "desk"))
    live = article_in(P, owner=None, headline="Live story")
    draft = article_in(D, owner=None)

    assert run_action(client, "unpublish", live, draft) == [
        "Unpublished 1 article(s). 1 could not be: their status does not allow it."
    ]
    live.refresh_from_db()
    draft.refresh_from_db()
    assert (live.status, draft.status) == (U, D)
    assert client.get(live.get_absolute_url()).status_code == 404
    assert AuditEntry.objects.get().action == "unpublished"


def test_publishing_a_scheduled_article_from_the_list_puts_it_out_now(client, user_in_role):
    client.force_login(user_in_role("Editor", "desk"))
    article = article_in(S, owner=None)
    assert run_action(client, "publish", article) == ["Published 1 article(s)."]
    article.refresh_from_db()
    assert article.status == P and article.is_public


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


def test_a_writer_taking_an_article_back_from_review_is_in_the_audit_log(client, user_in_role):
    writer = user_in_role("Contributor", "writer")
    client.force_login(writer)
    article = article_in(R, owner=writer)
    assert client.post(change_url(article), change_form(article, status=D)).status_code == 302
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.user, entry.note) == ("withdrawn", writer, "From In review")


# The services, called directly as commands and importers do.

LATER = timedelta(hours=3)


@pytest.mark.parametrize(
    "service, old, new, action",
    [
        (workflow.submit, D, R, "submitted"),
        (workflow.publish, R, P, "published"),
        (workflow.schedule, D, S, "scheduled"),
        (workflow.unpublish, P, U, "unpublished"),
        (workflow.unpublish, S, U, "unpublished"),
        (workflow.withdraw, R, D, "withdrawn"),
        (workflow.withdraw, U, D, "withdrawn"),
        (workflow.withdraw, S, D, "withdrawn"),
    ],
)
def test_each_service_moves_the_article_and_logs_who_moved_it_and_why(
    service, old, new, action, user_in_role
):
    desk = user_in_role("Editor", "desk")
    article = article_in(old, owner=None)
    extra = {"at": timezone.now() + LATER} if service is workflow.schedule else {}

    returned = service(article=article, by=desk, note="Checked with the lawyers", **extra)

    assert returned is article
    article.refresh_from_db()
    assert article.status == new
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.user, entry.note) == (action, desk, "Checked with the lawyers")
    assert entry.object_id == str(article.pk)


def test_a_service_without_a_note_says_where_the_article_came_from(user_in_role):
    article = article_in(R, owner=None)
    going_out = timezone.now() + LATER
    workflow.schedule(article=article, by=user_in_role("Editor", "desk"), at=going_out)
    when = dates.desk_time(going_out)  # "January 22, 2024, 09:00 (Kyiv)"
    assert AuditEntry.objects.get().note == f"From In review; publication time {when}"


@pytest.mark.parametrize(
    "service, old, message",
    [
        (
            workflow.publish,
            D,
            "You may not move an article from “Draft” to “Published”: that needs an editor.",
        ),
        (
            workflow.schedule,
            R,
            "You may not move an article from “In review” to “Scheduled”: that needs an editor.",
        ),
        (
            workflow.withdraw,
            U,
            "You may not change an article that is “Unpublished”: that needs an editor.",
        ),
    ],
)
def test_a_service_refuses_a_user_without_the_right_and_changes_nothing(
    service, old, message, user_in_role
):
    writer = user_in_role("Contributor", "writer")
    article = article_in(old, owner=writer)
    extra = {"at": timezone.now() + LATER} if service is workflow.schedule else {}

    with pytest.raises(WorkflowRefused) as refused:
        service(article=article, by=writer, **extra)

    assert refused.value.messages == [message]
    article.refresh_from_db()
    assert article.status == old
    assert not AuditEntry.objects.exists()


def test_a_refusal_lists_exactly_the_statuses_the_article_can_go_to(user_in_role):
    article = article_in(P, owner=None)
    with pytest.raises(WorkflowRefused) as refused:
        workflow.withdraw(article=article, by=user_in_role("Editor", "desk"))
    assert refused.value.messages == [
        "An article cannot go from “Published” to “Draft”. From here it can go to: Unpublished."
    ]


def test_a_service_refuses_to_move_an_article_where_it_already_is(user_in_role):
    article = article_in(P, owner=None, headline="Out already")
    with pytest.raises(WorkflowRefused, match="“Out already” is already “Published”."):
        workflow.publish(article=article, by=user_in_role("Editor", "desk"))


def test_publishing_keeps_a_time_that_has_come_and_refuses_one_still_to_come(user_in_role):
    desk = user_in_role("Editor", "desk")
    unpublished = article_in(U, owner=None)
    first_out = unpublished.published_at
    workflow.publish(article=unpublished, by=desk)
    assert unpublished.published_at == first_out

    scheduled = article_in(S, owner=None)
    workflow.publish(article=scheduled, by=desk)
    assert scheduled.is_public

    draft = article_in(D, owner=None)
    with pytest.raises(WorkflowRefused) as refused:
        workflow.publish(article=draft, by=desk, at=timezone.now() + LATER)
    assert refused.value.messages == [
        "Choose a publication time that has come to publish, or choose “Scheduled”."
    ]


def test_scheduling_needs_a_time_still_to_come(user_in_role):
    article = article_in(R, owner=None)
    with pytest.raises(WorkflowRefused) as refused:
        workflow.schedule(
            article=article, by=user_in_role("Editor", "desk"), at=timezone.now() - LATER
        )
    assert refused.value.messages == [
        "Choose a publication time in the future to schedule, or choose “Published”."
    ]


def test_the_clock_may_make_any_move_in_the_table_and_is_logged_as_nobody():
    article = article_in(S, owner=None)
    workflow.withdraw(article=article, by=None, note="Embargo lifted early")
    article.refresh_from_db()
    assert article.status == D
    entry = AuditEntry.objects.get()
    assert entry.user is None and str(entry) == f"the clock sent back to draft “{article}”"


def test_nothing_changes_when_the_audit_entry_cannot_be_written(user_in_role, monkeypatch):
    def fail(*args, **kwargs):
        raise DatabaseError("audit log unavailable")

    monkeypatch.setattr("newsroom.audit.record", fail)
    article = article_in(R, owner=None)

    with pytest.raises(DatabaseError):
        workflow.publish(article=article, by=user_in_role("Editor", "desk"))

    article.refresh_from_db()
    assert article.status == R and article.published_at is None


def test_a_time_exactly_now_publishes_but_does_not_schedule(user_in_role, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    desk = user_in_role("Editor", "desk")
    now = timezone.now()
    with pytest.raises(WorkflowRefused, match="Choose a publication time in the future"):
        workflow.schedule(article=article_in(R, owner=None), by=desk, at=now)
    article = workflow.publish(article=article_in(R, owner=None), by=desk, at=now)
    assert article.status == P and article.published_at == now


def test_staff_without_the_article_permission_may_change_no_article(django_user_model):
    intern = django_user_model.objects.create_user("intern", password="pw", is_staff=True)
    article = article_in(D, owner=None)
    with pytest.raises(WorkflowRefused) as refused:
        workflow.submit(article=article, by=intern)
    assert refused.value.messages == [
        "You may not change an article that is “Draft”: that needs an editor."
    ]
    assert Article.objects.get().status == D


def test_a_move_to_unpublished_or_draft_notes_no_publication_time(user_in_role):
    desk = user_in_role("Editor", "desk")
    article = article_in(P, owner=None)
    workflow.unpublish(article=article, by=desk)
    workflow.move(article=article, by=desk, to=D)
    assert list(AuditEntry.objects.order_by("pk").values_list("note", flat=True)) == [
        "From Published",
        "From Unpublished",
    ]
