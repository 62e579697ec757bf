"""Webhooks go to public addresses only: checked at save, again at each attempt, then pinned."""

import pytest

from articles import workflow
from articles.models import Status
from newsroom.models import Webhook, WebhookDelivery
from newsroom.webhooks import addresses
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PUBLIC = "93.184.215.14"


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "a loopback"),
        ("::1", "a loopback"),
        ("::ffff:127.0.0.1", "a loopback"),
        ("10.1.2.3", "a private"),
        ("192.168.0.10", "a private"),
        ("fd00::1", "a private"),
        ("169.254.169.254", "a link-local"),
        ("fe80::1", "a link-local"),
        ("224.0.0.1", "a multicast"),
        ("0.0.0.0", "an unspecified"),
        ("240.0.0.1", "a reserved"),
        ("100.64.0.1", "a non-public"),
        (PUBLIC, None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_each_kind_of_address_that_is_not_public_is_named(address, kind):
    assert addresses.kind_of(address) == kind


def test_the_refusal_says_which_address_and_why():
    assert addresses.refusal("127.0.0.1", "127.0.0.1") == (
        "127.0.0.1 is a loopback address; webhooks may only go to public addresses."
    )
    assert addresses.refusal("hooks.internal", "10.0.0.5") == (
        "hooks.internal resolves to 10.0.0.5, which is a private address; "
        "webhooks may only go to public addresses."
    )


def form(url, *events):
    return {"url": url, "events": list(events or ["article.published"]), "active": "on"}


@pytest.mark.parametrize(
    ("url", "error"),
    [
        (
            "http://127.0.0.1:9000/hook",
            "127.0.0.1 is a loopback address; webhooks may only go to public addresses.",
        ),
        ("https://localhost/hook", "which is a loopback address;"),
        ("http://[::1]/hook", "::1 is a loopback address;"),
        ("https://169.254.169.254/latest/", "169.254.169.254 is a link-local address;"),
        ("https://user:pw@hooks.example.com/", "Put no user name or password in the address"),
        ("ftp://hooks.example.com/", "The address must start with https:// or http://."),
        ("https://nowhere.invalid/hook", "Could not look up nowhere.invalid"),
    ],
)
def test_the_admin_refuses_an_address_that_is_not_public(admin_client, url, error):
    response = admin_client.post("/admin/newsroom/webhook/add/", form(url))
    assert response.status_code == 200
    assert error in " ".join(response.context["adminform"].form.errors["url"])
    assert not Webhook.objects.exists()


def test_private_addresses_may_be_allowed_by_the_setting(admin_client, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    response = admin_client.post("/admin/newsroom/webhook/add/", form("http://127.0.0.1:9000/"))
    assert response.status_code == 302
    assert Webhook.objects.get().url == "http://127.0.0.1:9000/"


def resolving(monkeypatch, *answers):
    """Make host names resolve to each of `answers` in turn, the last one from then on."""
    answers = list(answers)

    def resolve(host, port):
        return [answers.pop(0) if len(answers) > 1 else answers[0]]

    monkeypatch.setattr(addresses, "resolve", resolve)


def test_a_name_that_resolves_to_a_private_address_by_delivery_time_is_refused_then(
    receiver, settings, monkeypatch, run_worker, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    resolving(monkeypatch, PUBLIC, "127.0.0.1")
    hook = Webhook.objects.create(
        url=f"http://hooks.example:{receiver.port}/", events=["article.published"]
    )
    addresses.check(hook.url)  # what the admin form checks on save: public then

    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(article=ArticleFactory(status=Status.DRAFT, published_at=None), by=None)
    run_worker()

    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.last_error == (
        "hooks.example resolves to 127.0.0.1, which is a loopback address; "
        "webhooks may only go to public addresses."
    )
    assert delivery.state == "given up"


def test_the_connection_goes_to_the_address_that_was_checked(
    receiver, monkeypatch, run_worker, django_capture_on_commit_callbacks
):
    # hooks.example has no address in DNS: only a connection pinned to the checked one works.
    resolving(monkeypatch, "127.0.0.1")
    Webhook.objects.create(
        url=f"http://hooks.example:{receiver.port}/in?k=1", events=["article.published"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(article=ArticleFactory(status=Status.DRAFT, published_at=None), by=None)
    run_worker()

    [(path, headers, _)] = receiver.requests
    assert path == "/in?k=1"
    assert headers["Host"] == f"hooks.example:{receiver.port}"
    assert WebhookDelivery.objects.get().state == "delivered"
