"""Chief editors register webhooks; the secret is shown once and can be replaced."""

import re

import pytest

from newsroom.models import Webhook

pytestmark = pytest.mark.django_db

ADD = "/admin/newsroom/webhook/add/"


@pytest.fixture
def chief(client, user_in_role, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True  # the addresses below are never called
    client.force_login(user_in_role("Chief editor", "chief"))
    return client


def shown_secret(response):
    found = re.search(r"The signing secret is (whsec_[\w-]+)", response.content.decode())
    return found and found.group(1)


def test_a_chief_editor_registers_a_webhook_and_sees_its_secret_once(chief):
    response = chief.post(
        ADD,
        {
            "url": "http://127.0.0.1:9000/hook",
            "events": ["article.published", "feed_item.removed"],
            "active": "on",
        },
        follow=True,
    )
    hook = Webhook.objects.get()
    assert hook.events == ["article.published", "feed_item.removed"]
    assert shown_secret(response) == hook.secret
    assert hook.secret not in chief.cookies.output()

    again = chief.get(f"/admin/newsroom/webhook/{hook.pk}/change/")
    assert hook.secret not in again.content.decode()
    assert f"…{hook.secret[-4:]}" in again.content.decode()


def test_making_a_new_secret_shows_it_once_and_the_old_one_stops_working(chief):
    hook = Webhook.objects.create(url="http://127.0.0.1:9000/hook", events=["article.published"])
    old = hook.secret
    response = chief.post(
        f"/admin/newsroom/webhook/{hook.pk}/change/",
        {"url": hook.url, "events": hook.events, "active": "on", "new_secret": "on"},
        follow=True,
    )
    hook.refresh_from_db()
    assert hook.secret != old
    assert shown_secret(response) == hook.secret


def test_a_webhook_needs_at_least_one_event(chief):
    response = chief.post(ADD, {"url": "http://127.0.0.1:9000/hook", "active": "on"})
    assert response.context["adminform"].form.errors["events"] == ["This field is required."]
    assert not Webhook.objects.exists()


@pytest.mark.parametrize("role", ["Editor", "Contributor"])
def test_other_roles_cannot_see_webhooks_or_their_log(client, user_in_role, role):
    client.force_login(user_in_role(role))
    assert client.get("/admin/newsroom/webhook/").status_code == 403
    assert client.get("/admin/newsroom/webhookdelivery/").status_code == 403


def test_the_migrations_give_chief_editors_the_webhooks_and_the_log_to_read():
    from django.contrib.auth.models import Group

    chief = Group.objects.get(name="Chief editor")
    codenames = set(chief.permissions.values_list("codename", flat=True))
    assert {"add_webhook", "change_webhook", "delete_webhook", "view_webhookdelivery"} <= codenames
    assert "change_webhookdelivery" not in codenames
    editor = set(Group.objects.get(name="Editor").permissions.values_list("codename", flat=True))
    assert not {c for c in editor if "webhook" in c}
