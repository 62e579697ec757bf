"""Two app servers sharing one database and one Redis behave as one site."""

import http.client
import json
import os
import re
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest

from tests.newsroom.servers import (
    PROJECT,
    ProductionServer,
    RedisServer,
    migrate,
    production_env,
)

PASSWORD = "two-servers-pw"

pytestmark = pytest.mark.servers


class FormReader(HTMLParser):
    """The fields a browser would post from a page's main form (the admin's `*_form`)."""

    def __init__(self):
        super().__init__()
        self.fields, self._in_form, self._textarea, self._select = {}, False, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (
            tag == "form"
            and attrs.get("id", "").endswith(("_form", "login-form"))
            and not self.fields
        ):
            self._in_form = True
        if not self._in_form or "name" not in attrs and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields[attrs["name"]] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.fields[self._textarea] = ""
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


class Browser:
    """One reader or editor, with cookies, talking to whichever server it is pointed at."""

    def __init__(self):
        self.cookies = {}

    def request(self, port, method, path, data=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        headers = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{port}{path}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        connection.close()
        return response, content.decode()

    def form(self, port, path):
        _, page = self.request(port, "GET", path)
        reader = FormReader()
        reader.feed(page)
        return reader.fields

    def post_form(self, port, path, **changes):
        fields = {**self.form(port, path), **changes}
        return self.request(port, "POST", path, fields)


def manage(env, *args, code=None):
    command = [sys.executable, "manage.py", *args] if code is None else [sys.executable, "-c", code]
    result = subprocess.run(
        command, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("two-servers")


@pytest.fixture(scope="module")
def shared_database(workdir):
    """A database of the test's own: on PostgreSQL when the suite runs there, else SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{workdir / 'shared.sqlite3'}"
        return
    import psycopg

    name = f"newsroom_two_servers_{uuid.uuid4().hex[:8]}"
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def two_servers(workdir, shared_database):
    """Set up once for the module: migrating and collecting static files take seconds."""
    redis_server = RedisServer(workdir)
    redis_server.start()
    env = production_env(
        workdir,
        DATABASE_URL=shared_database,
        REDIS_URL=redis_server.url,
        DJANGO_SECURE_COOKIES="0",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
        NEWSROOM_SITE_URL="http://127.0.0.1",
    )
    # Collecting (and compressing) the static files takes seconds: it runs beside the rest.
    collecting = subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--no-input"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    migrate(env)
    code = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('createsuperuser', interactive=False, username='desk',"
        " email='d@example.org')\n"
        "from articles.models import Article, ArticleAuthor, Author, Status\n"
        "from django.utils import timezone\n"
        "a = Article.objects.create(headline='Kyiv metro runs', body='Trains run.',"
        " status=Status.PUBLISHED, published_at=timezone.now())\n"
        "ArticleAuthor.objects.create(article=a,"
        " author=Author.objects.create(name='Olena Koval'))\n"
        "print(a.pk, a.slug)"
    )
    made = manage({**env, "DJANGO_SETTINGS_MODULE": "newsroom.settings"}, code=code)
    pk, slug = made.splitlines()[-1].split()  # after createsuperuser's own line
    collected, _ = collecting.communicate(timeout=180)
    assert collecting.returncode == 0, collected
    servers = [ProductionServer(env, workdir / f"server-{n}.log", workers=1) for n in (1, 2)]
    try:
        with ThreadPoolExecutor(len(servers)) as starting:  # both start at once
            list(starting.map(ProductionServer.start, servers))
        yield servers[0].port, servers[1].port, int(pk), slug
    finally:
        for server in servers:
            server.stop()
        redis_server.stop()


def sign_in(browser, port):
    response, page = browser.post_form(
        port, "/admin/login/?next=/admin/", username="desk", password=PASSWORD
    )
    assert response.status == 302, re.sub(r"<style>.*?</style>|<[^>]+>", " ", page, flags=re.S)


def test_a_login_on_one_server_is_valid_on_the_other(two_servers):
    first, second, _, _ = two_servers
    editor = Browser()
    sign_in(editor, first)
    response, page = editor.request(second, "GET", "/admin/")
    assert response.status == 200
    assert "Log out" in page or "logout" in page


def test_an_edit_saved_through_one_server_is_on_the_others_pages_at_the_next_request(
    two_servers,
):
    first, second, pk, slug = two_servers
    reader = Browser()
    response, page = reader.request(second, "GET", f"/news/{slug}/")
    assert response.status == 200 and "Trains run." in page

    editor = Browser()
    sign_in(editor, first)
    response, page = editor.post_form(
        first, f"/admin/articles/article/{pk}/change/", body="Trains run all night."
    )
    assert response.status == 302, re.findall(r'class="errorlist[^>]*>(.*?)</ul>', page, re.S)

    response, page = reader.request(second, "GET", f"/news/{slug}/")
    assert "Trains run all night." in page


def test_a_feed_item_posted_through_one_server_reaches_pages_open_on_the_other(two_servers):
    first, second, _, _ = two_servers
    reader = Browser()
    response, _ = reader.request(second, "GET", "/feed/updates.json")
    etag = response.getheader("ETag")
    response, _ = reader.request(
        second, "GET", "/feed/updates.json", headers={"If-None-Match": etag}
    )
    assert response.status == 304

    editor = Browser()
    sign_in(editor, first)
    response, page = editor.post_form(
        first, "/admin/feed/feeditem/add/", headline="Air raid alert over", summary="All clear."
    )
    assert response.status == 302, page[:500]

    deadline = time.monotonic() + 15
    while True:
        response, body = reader.request(
            second, "GET", "/feed/updates.json", headers={"If-None-Match": etag}
        )
        if response.status == 200:
            break
        assert time.monotonic() < deadline, "the other server kept answering 304"
        time.sleep(0.2)
    headlines = [item["headline"] for item in json.loads(body)["items"]]
    assert "Air raid alert over" in headlines


def test_static_files_are_sent_brotli_or_gzip_compressed_as_the_browser_accepts(two_servers):
    first, _, _, _ = two_servers
    _, home = Browser().request(first, "GET", "/")
    [stylesheet] = re.findall(r'href="(/static/newsroom/site\.[0-9a-f]+\.css)"', home)
    answers = {}
    for accepted in ("br, gzip", "gzip", "identity"):
        connection = http.client.HTTPConnection("127.0.0.1", first, timeout=10)
        connection.request("GET", stylesheet, headers={"Accept-Encoding": accepted})
        response = connection.getresponse()
        answers[accepted] = (response.getheader("Content-Encoding"), len(response.read()))
        assert "immutable" in response.getheader("Cache-Control")
        assert "Accept-Encoding" in response.getheader("Vary")
        connection.close()
    assert [answers[a][0] for a in ("br, gzip", "gzip", "identity")] == ["br", "gzip", None]
    assert answers["br, gzip"][1] < answers["gzip"][1] < answers["identity"][1]
