"""What a public site must refuse: other methods than reading, inline scripts, password guessing."""

import base64
import hashlib
import re
import subprocess
import sys
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import ArticleFactory, FeedItemFactory

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"


@pytest.mark.parametrize("method", ["TRACE", "POST", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize("url", ["/rss/", "/", "/feed/updates.json", "/robots.txt"])
def test_readers_pages_refuse_other_methods_than_reading_with_405(client, url, method):
    response = client.generic(method, url)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_options_on_a_readers_page_names_the_methods(client):
    response = client.options("/rss/")
    assert response.status_code == 200
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_an_unknown_address_is_still_404_whatever_the_method(client):
    assert client.post("/no-such-page/").status_code == 404


def test_the_admin_still_takes_forms(client):
    response = client.post(LOGIN, {"username": "nobody", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()


def policy(response):
    directives = {}
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


class InlineCode(HTMLParser):
    """Collects what a policy without 'unsafe-inline' would block."""

    def __init__(self):
        super().__init__()
        self.found, self.styles, self._in_style = [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/ld+json":
            self.found.append("<script> without src")
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


@pytest.fixture
def pages(editor):
    article = ArticleFactory(headline="Kyiv restores power")
    item = FeedItemFactory()
    return [
        ("/", False),
        (article.get_absolute_url(), False),
        ("/archive/", False),
        ("/feed/", False),
        (f"/feed/{item.pk}/", False),
        (f"/preview/{article.pk}/", True),
        ("/admin/", True),
        (f"/admin/articles/article/{article.pk}/change/", True),
        (f"/admin/feed/feeditem/{item.pk}/change/", True),
        ("/admin/articles/article/", True),
    ]


def test_every_page_runs_no_inline_script_under_a_strict_policy(client, editor_client, pages):
    for url, staff in pages:
        response = (editor_client if staff else client).get(url)
        assert response.status_code == 200, url
        directives = policy(response)
        assert directives["script-src"] == ["'self'"], url
        assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == [
            "'none'"
        ]
        parser = InlineCode()
        parser.feed(response.content.decode())
        assert parser.found == [], url
        for style in parser.styles:
            digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in directives["style-src"], (url, style)


def test_a_readers_page_carries_the_policy_django_csp_builds_from_the_settings(client):
    from csp.utils import build_policy

    response = client.get("/")
    assert response.headers["Content-Security-Policy"] == build_policy()
    assert "Content-Security-Policy-Report-Only" not in response.headers


def test_a_changed_policy_setting_is_the_policy_of_the_next_answer(client, settings):
    from csp.utils import build_policy

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    client.get("/robots.txt")  # the policy built once before the change
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {
        "DIRECTIVES": {"script-src": ["'none'"]},
        "EXCLUDE_URL_PREFIXES": ["/feed/"],
    }
    response = client.get("/robots.txt")
    assert response.headers["Content-Security-Policy"] == "default-src 'self'"
    report_only = response.headers["Content-Security-Policy-Report-Only"]
    assert "script-src 'none'" in report_only
    assert report_only == build_policy(report_only=True)
    excluded = client.get("/feed/")
    assert excluded.headers["Content-Security-Policy"] == "default-src 'self'"
    assert "Content-Security-Policy-Report-Only" not in excluded.headers


def test_a_view_that_asks_for_its_own_policy_gets_it(client):
    styles = policy(client.get("/api/docs/"))["style-src"]
    assert "'unsafe-inline'" in styles
    assert "'unsafe-inline'" not in policy(client.get("/"))["style-src"]


def test_the_accent_colour_must_be_a_css_colour():
    result = subprocess.run(
        [sys.executable, "-c", "import newsroom.settings"],
        cwd=Path(__file__).resolve().parents[2],
        env={"NEWSROOM_ACCENT_COLOUR": "red; } body { display: none", "PATH": "/usr/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "NEWSROOM_ACCENT_COLOUR must be a CSS colour" in result.stderr


def sign_in(client, password, username="editor"):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def test_ten_wrong_passwords_lock_the_account_for_that_address_until_15_quiet_minutes(
    client, editor, time_machine
):
    time_machine.move_to("2024-01-21 05:00:00+00:00", tick=False)
    for _ in range(9):
        assert sign_in(client, "wrong").status_code == 200
    tenth = sign_in(client, "wrong")
    assert tenth.status_code == 429
    locked = sign_in(client, "pw")
    assert locked.status_code == 429
    text = re.sub(r"\s+", " ", locked.content.decode())
    assert "Too many wrong passwords for “editor” from your address" in text
    assert "signing in is paused until 15 minutes have passed without a try" in text
    assert "_auth_user_id" not in client.session

    time_machine.shift(timedelta(minutes=14))
    assert sign_in(client, "pw").status_code == 429  # and the wait starts again
    time_machine.shift(timedelta(minutes=14))
    assert sign_in(client, "pw").status_code == 429
    time_machine.shift(timedelta(minutes=16))
    assert sign_in(client, "pw").status_code == 302


def test_a_lockout_keeps_out_only_that_username_from_that_address(
    client, editor, django_user_model
):
    django_user_model.objects.create_superuser("desk", "desk@example.com", "desk-pw")
    for _ in range(10):
        sign_in(client, "wrong")
    assert sign_in(client, "desk-pw", username="desk").status_code == 302
    elsewhere = sign_in(client.__class__(REMOTE_ADDR="192.0.2.7"), "pw")
    assert elsewhere.status_code == 302


def test_an_administrator_unlocks_an_account_with_axes_reset(client, editor):
    for _ in range(10):
        sign_in(client, "wrong")
    assert sign_in(client, "pw").status_code == 429
    call_command("axes_reset", verbosity=0)
    assert sign_in(client, "pw").status_code == 302
