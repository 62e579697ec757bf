"""Revisions of articles: history, a diff of two, restoring one, and saves that collide."""

import pytest
from django.db import DatabaseError
from reversion.models import Version

from articles import workflow
from articles.models import Status
from articles.workflow import WorkflowRefused
from newsroom.models import AuditEntry
from tests.factories import AuthorFactory, article_in, change_form, change_url, run_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, user_in_role):
    user = user_in_role("Editor", "desk")
    client.force_login(user)
    return client


def edit(client, article, **changes):
    article.refresh_from_db()
    response = client.post(change_url(article), change_form(article, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    return article


def add_byline(data, index, author):
    data[f"bylines-{index}-position"] = index
    data[f"bylines-{index}-author"] = author.pk
    data["bylines-TOTAL_FORMS"] = str(index + 1)
    return data


def test_every_save_records_a_revision_with_who_and_the_authors(desk, user_in_role):
    article = article_in(Status.DRAFT, owner=None, headline="First headline")
    rachel = AuthorFactory(name="Rachel Amran")
    data = add_byline(change_form(article, headline="Second headline"), 0, rachel)
    assert desk.post(change_url(article), data).status_code == 302
    edit(desk, article, headline="Third headline")

    versions = Version.objects.get_for_object(article)
    assert [v.field_dict["headline"] for v in versions] == [
        "Third headline",
        "Second headline",
        "First headline",
    ]
    assert [v.revision.user.username if v.revision.user else None for v in versions] == [
        "desk",
        "desk",
        None,  # made by code, not in the admin
    ]
    history = desk.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    assert "Compare the chosen revisions" in history


def test_two_revisions_are_compared_headline_body_and_authors(desk):
    article = article_in(Status.DRAFT, owner=None, headline="Kyiv metro runs on")
    data = change_form(article, body="Trains run.\n\nStations stay open.")
    assert desk.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    data = change_form(
        article, headline="Kyiv metro keeps running", body="Trains run.\n\nStations are shelters."
    )
    data = add_byline(data, 0, AuthorFactory(name="Elsa Court"))
    assert desk.post(change_url(article), data).status_code == 302
    newer, older, _created = Version.objects.get_for_object(article)

    response = desk.get(
        f"/admin/articles/article/{article.pk}/history/compare/",
        {"from": newer.pk, "to": older.pk},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "-Kyiv metro runs on" in page and "+Kyiv metro keeps running" in page
    assert "-Stations stay open." in page and "+Stations are shelters." in page
    assert "+Elsa Court" in page


def test_comparing_without_two_revisions_says_so(desk):
    article = article_in(Status.DRAFT, owner=None)
    response = desk.get(f"/admin/articles/article/{article.pk}/history/compare/", {"from": "x"})
    assert response.status_code == 200
    assert "Choose two revisions" in response.content.decode()


def test_an_editor_restores_an_old_revision_and_the_audit_log_says_so(desk):
    article = article_in(Status.DRAFT, owner=None, headline="Original headline")
    elsa = AuthorFactory(name="Elsa Court")
    data = add_byline(change_form(article, body="The original body."), 0, elsa)
    assert desk.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    data = change_form(article, headline="Rewritten headline", body="A rewritten body.")
    data["bylines-0-DELETE"] = "on"
    assert desk.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.ordered_authors == []
    version_before = article.version
    _rewritten, original, _created = Version.objects.get_for_object(article)

    url = f"/admin/articles/article/{article.pk}/history/{original.pk}/"
    form = desk.get(url).context["adminform"].form
    data = change_form(article)
    data.update({name: form[name].value() or "" for name in ["headline", "body", "status"]})
    data.update(
        {
            "loaded_version": form["loaded_version"].value(),
            "bylines-0-id": original.revision.version_set.exclude(pk=original.pk).get().object_id,
            "bylines-0-article": article.pk,
            "bylines-0-position": 0,
            "bylines-0-author": elsa.pk,
            "bylines-TOTAL_FORMS": "1",
            "bylines-INITIAL_FORMS": "1",
        }
    )
    response = desk.post(url, data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "Original headline" and article.body == "The original body."
    assert article.ordered_authors == [elsa]
    assert article.version == version_before + 1
    entry = AuditEntry.objects.get(action="restored")
    assert entry.user.username == "desk" and entry.object_id == str(article.pk)


def test_a_contributor_cannot_restore_a_published_article(client, user_in_role):
    writer = user_in_role("Contributor", "writer")
    client.force_login(user_in_role("Editor", "desk"))
    article = article_in(Status.PUBLISHED, owner=writer, headline="As published")
    edit(client, article, headline="Edited once")
    edit(client, article, headline="Edited twice")
    client.force_login(writer)
    version = Version.objects.get_for_object(article).last()
    response = client.post(
        f"/admin/articles/article/{article.pk}/history/{version.pk}/", change_form(article)
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.headline == "Edited twice"


def test_a_second_save_from_a_stale_form_is_refused_and_shows_what_changed(client, user_in_role):
    article = article_in(Status.REVIEW, owner=None, headline="Power cuts in Kyiv")
    first, second = user_in_role("Editor", "desk"), user_in_role("Chief editor", "chief")
    client.force_login(first)
    edit(client, article, body="Opening paragraph.")
    stale = change_form(article, headline="Power cuts across Kyiv tonight")  # chief opens it

    edit(client, article, body="Opening paragraph, rewritten by the desk.")  # desk saves again
    client.force_login(second)
    response = client.post(change_url(article), stale)  # chief saves the stale form

    assert response.status_code == 200
    page = response.content.decode()
    assert "desk saved this article at" in page and "your changes were not saved" in page
    assert "+Opening paragraph, rewritten by the desk." in page
    assert "-Opening paragraph." in page
    article.refresh_from_db()
    assert article.headline == "Power cuts in Kyiv"
    assert article.body == "Opening paragraph, rewritten by the desk."


def test_a_fresh_form_saves_after_the_other_editor_is_done(client, user_in_role):
    article = article_in(Status.REVIEW, owner=None)
    client.force_login(user_in_role("Editor", "desk"))
    edit(client, article, body="One.")
    client.force_login(user_in_role("Chief editor", "chief"))
    edit(client, article, body="Two.")
    assert article.body == "Two."


def test_a_change_form_sent_without_its_loaded_version_is_refused(desk):
    article = article_in(Status.REVIEW, owner=None, headline="As it was")
    data = change_form(article, headline="Saved blind")
    del data["loaded_version"]

    response = desk.post(change_url(article), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "This form did not say which version of the article it was opened on, so it cannot "
        "tell whether someone else saved the article since. Nothing was saved: reload the page "
        "and make your changes again."
    ]
    assert "did not say which version" in response.content.decode()
    article.refresh_from_db()
    assert article.headline == "As it was"


def test_saving_an_article_that_does_not_exist_is_a_message_not_an_error(desk):
    for bad_id in ["abc", "999999"]:
        response = desk.post(f"/admin/articles/article/{bad_id}/change/", {"headline": "x"})
        assert response.status_code == 302 and response.url == "/admin/"


def restore_through_the_revision_page(client, article, version):
    """Open a revision's page and save the form as it shows it."""
    url = f"/admin/articles/article/{article.pk}/history/{version.pk}/"
    form = client.get(url).context["adminform"].form
    data = change_form(article)
    names = ["headline", "body", "status", "loaded_version"]
    data.update({name: form[name].value() or "" for name in names})
    return client.post(url, data)


def test_restoring_a_revision_brings_back_its_words_but_leaves_the_article_published(desk):
    article = article_in(Status.DRAFT, owner=None, headline="Draft headline")
    drafted = Version.objects.get_for_object(article).get()
    article = edit(desk, article, status=Status.PUBLISHED, headline="Published headline")
    page = desk.get(f"/admin/articles/article/{article.pk}/history/{drafted.pk}/")
    assert "The status stays “Published”" in " ".join(page.content.decode().split())

    response = restore_through_the_revision_page(desk, article, drafted)

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.status) == ("Draft headline", Status.PUBLISHED)
    assert desk.get(article.get_absolute_url()).status_code == 200
    assert [e.action for e in AuditEntry.objects.order_by("id")] == ["published", "restored"]


def test_a_writer_cannot_publish_by_restoring_a_revision_that_was_published(client, user_in_role):
    writer = user_in_role("Contributor", "writer")
    client.force_login(user_in_role("Editor", "desk"))
    article = article_in(Status.PUBLISHED, owner=writer, headline="Went out")
    published = Version.objects.get_for_object(article).get()
    edit(client, article, status=Status.UNPUBLISHED)
    edit(client, article, status=Status.DRAFT, headline="Back with the writer")
    client.force_login(writer)

    response = restore_through_the_revision_page(client, article, published)

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.status) == ("Went out", Status.DRAFT)
    assert not article.is_public


def test_restoring_from_a_revision_page_opened_before_someone_saved_is_refused(
    client, user_in_role
):
    desk, chief = user_in_role("Editor", "desk"), user_in_role("Chief editor", "chief")
    article = article_in(Status.REVIEW, owner=None, headline="First words")
    first = Version.objects.get_for_object(article).get()
    client.force_login(desk)
    edit(client, article, headline="Second words")
    url = f"/admin/articles/article/{article.pk}/history/{first.pk}/"
    opened = client.get(url).context["adminform"].form["loaded_version"].value()

    client.force_login(chief)
    edit(client, article, headline="Third words")
    client.force_login(desk)
    response = client.post(url, change_form(article, headline="First words", loaded_version=opened))

    assert response.status_code == 200
    assert "chief saved this article at" in response.content.decode()
    article.refresh_from_db()
    assert article.headline == "Third words"
    assert not AuditEntry.objects.filter(action="restored").exists()


def test_restoring_a_revision_of_a_bulk_action_restores_only_that_article(desk):
    one = article_in(Status.DRAFT, owner=None, headline="One")
    two = article_in(Status.DRAFT, owner=None, headline="Two")
    assert run_action(desk, "publish", one, two) == ["Published 2 article(s)."]
    published_together = Version.objects.get_for_object(one).first()
    assert (
        published_together.revision.version_set.filter(content_type__model="article").count() == 2
    )
    edit(desk, one, headline="One, rewritten")
    edit(desk, two, headline="Two, rewritten")

    response = restore_through_the_revision_page(desk, one, published_together)

    assert response.status_code == 302
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.headline, two.headline) == ("One", "Two, rewritten")


def test_the_restore_service_brings_back_words_and_authors_in_one_logged_save(user_in_role):
    desk = user_in_role("Editor", "desk")
    elsa, rachel = AuthorFactory(name="Elsa Court"), AuthorFactory(name="Rachel Amran")
    article = article_in(Status.PUBLISHED, owner=None, headline="Original", authors=[elsa])
    article.save()  # kept with its byline
    original = Version.objects.get_for_object(article).first()
    article.headline = "Rewritten"
    article.save()
    article.bylines.all().delete()
    article.bylines.create(author=rachel)
    count_before = article.version

    workflow.restore(article=article, version=original, by=desk, note="Rewrite withdrawn")

    article.refresh_from_db()
    assert article.headline == "Original" and article.ordered_authors == [elsa]
    assert article.status == Status.PUBLISHED and article.version == count_before + 1
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.user, entry.note) == ("restored", desk, "Rewrite withdrawn")
    latest = Version.objects.get_for_object(article).first()
    assert latest.revision.user == desk
    assert latest.revision.get_comment().startswith("Restored the revision of ")


def test_the_restore_service_refuses_a_writer_once_the_article_is_out(user_in_role):
    writer = user_in_role("Contributor", "writer")
    article = article_in(Status.PUBLISHED, owner=writer, headline="Out")
    version = Version.objects.get_for_object(article).get()
    with pytest.raises(WorkflowRefused) as refused:
        workflow.restore(article=article, version=version, by=writer)
    assert refused.value.messages == [
        "You may not restore an article that is “Published”: that needs an editor."
    ]


def test_a_restore_whose_audit_entry_fails_changes_nothing(user_in_role, monkeypatch):
    article = article_in(Status.DRAFT, owner=None, headline="Original")
    original = Version.objects.get_for_object(article).get()
    article.headline = "Rewritten"
    article.save()

    def fail(*args, **kwargs):
        raise DatabaseError("audit log unavailable")

    monkeypatch.setattr("newsroom.audit.record", fail)
    with pytest.raises(DatabaseError):
        workflow.restore(article=article, version=original, by=user_in_role("Editor", "desk"))

    article.refresh_from_db()
    assert article.headline == "Rewritten"
    assert Version.objects.get_for_object(article).count() == 2


def test_the_restore_service_refuses_a_revision_of_another_article(user_in_role):
    article = article_in(Status.DRAFT, owner=None, headline="Kyiv metro runs")
    other = article_in(Status.DRAFT, owner=None, headline="Odesa port reopens")
    version = Version.objects.get_for_object(other).get()
    with pytest.raises(WorkflowRefused) as refused:
        workflow.restore(article=article, version=version, by=user_in_role("Editor", "desk"))
    assert refused.value.messages == ["That revision is not one of “Kyiv metro runs”."]
    article.refresh_from_db()
    assert article.headline == "Kyiv metro runs"
    assert not AuditEntry.objects.exists()
