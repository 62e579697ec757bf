"""Writing in the change form: autosave, who else is here, the live preview, how the admin looks."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article, DraftCopy, MediaImage, Status
from tests.factories import article_in, change_form, change_url, image_file
from tests.html import find, find_all, parse, text

pytestmark = pytest.mark.django_db

AUTOSAVE = "/admin/articles/article/desk/autosave/"
PREVIEW = "/admin/articles/article/desk/preview/"


def presence_url(article):
    return f"/admin/articles/article/{article.pk}/presence/"


@pytest.fixture
def desk(client, user_in_role):
    client.force_login(user_in_role("Editor", "desk"))
    return client


# Autosave ----------------------------------------------------------------------------------


def test_autosave_keeps_a_copy_without_touching_the_article(desk):
    article = article_in(Status.PUBLISHED, owner=None, body="As published.")
    version = article.version

    response = desk.post(AUTOSAVE, {"article": article.pk, "body": "Half-written new ending"})

    assert response.status_code == 200
    assert response.json()["text"].startswith("Unsaved changes kept at ")
    article.refresh_from_db()
    assert (article.body, article.version, article.status) == (
        "As published.",
        version,
        Status.PUBLISHED,
    )
    assert DraftCopy.objects.get().fields == {"body": "Half-written new ending"}


def test_reopening_the_article_offers_the_unsaved_text_back(desk):
    article = article_in(Status.DRAFT, owner=None, body="Saved text.")
    desk.post(AUTOSAVE, {"article": article.pk, "body": "Saved text. And more typed."})

    page = parse(desk.get(change_url(article)))

    banner = find(page, id="autosave-restore")
    assert "You left unsaved changes to this article at" in text(banner)
    assert json.loads(banner.attributes["data-fields"]) == {"body": "Saved text. And more typed."}


def test_saving_the_form_drops_the_unsaved_copy_and_its_offer(desk):
    article = article_in(Status.DRAFT, owner=None)
    desk.post(AUTOSAVE, {"article": article.pk, "body": "Typed"})
    assert desk.post(change_url(article), change_form(article, body="Typed")).status_code == 302
    assert not DraftCopy.objects.exists()
    assert not find_all(parse(desk.get(change_url(article))), id="autosave-restore")


def test_a_new_article_gets_its_unsaved_copy_back_on_the_add_form(desk):
    desk.post(AUTOSAVE, {"article": "", "headline": "Unsaved headline", "body": "Unsaved"})
    page = parse(desk.get("/admin/articles/article/add/"))
    fields = json.loads(find(page, id="autosave-restore").attributes["data-fields"])
    assert fields == {"headline": "Unsaved headline", "body": "Unsaved"}


def test_each_person_has_their_own_unsaved_copy(client, user_in_role):
    article = article_in(Status.DRAFT, owner=None)
    for name in ["desk", "chief"]:
        client.force_login(user_in_role("Editor" if name == "desk" else "Chief editor", name))
        client.post(AUTOSAVE, {"article": article.pk, "body": f"{name}'s version"})
    assert sorted(c.fields["body"] for c in DraftCopy.objects.all()) == [
        "chief's version",
        "desk's version",
    ]


def test_a_writer_cannot_autosave_into_someone_elses_article(client, user_in_role):
    client.force_login(user_in_role("Contributor", "writer"))
    article = article_in(Status.DRAFT, owner=None)
    assert client.post(AUTOSAVE, {"article": article.pk, "body": "x"}).status_code == 404
    for typed in ("abc", "\u00b3"):  # "³": str.isdigit() takes it, int() does not
        assert client.post(AUTOSAVE, {"article": typed, "body": "x"}).json() == {
            "error": f"“{typed}” is not an article number."
        }
    assert not DraftCopy.objects.exists()


def test_autosave_is_for_staff_only(client):
    response = client.post(AUTOSAVE, {"article": "", "body": "x"})
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert not DraftCopy.objects.exists()


# Presence ----------------------------------------------------------------------------------


def test_a_second_editor_is_told_who_has_the_article_open_and_since_when(client, user_in_role):
    article = article_in(Status.REVIEW, owner=None)
    opened = timezone.make_aware(timezone.datetime(2024, 1, 22, 9, 0))
    with time_machine.travel(opened, tick=False):
        client.force_login(user_in_role("Editor", "desk"))
        client.get(change_url(article))
    with time_machine.travel(opened + timedelta(seconds=20), tick=False):
        client.force_login(user_in_role("Chief editor", "chief"))
        banner = text(find(parse(client.get(change_url(article))), id="presence"))
    assert banner.startswith(
        "desk (since January 22, 2024, 09:00 (Kyiv)) has this article open too."
    )


def test_the_heartbeat_reports_others_and_forgets_those_gone_quiet(client, user_in_role):
    article = article_in(Status.REVIEW, owner=None)
    desk, chief = user_in_role("Editor", "desk"), user_in_role("Chief editor", "chief")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(desk)
        client.post(presence_url(article))
    with time_machine.travel(start + timedelta(seconds=15), tick=False):
        client.force_login(chief)
        assert [o["name"] for o in client.post(presence_url(article)).json()["others"]] == ["desk"]
    with time_machine.travel(start + timedelta(seconds=70), tick=False):
        assert client.post(presence_url(article)).json()["others"] == []


def test_leaving_the_page_says_so_at_once(client, user_in_role):
    article = article_in(Status.REVIEW, owner=None)
    client.force_login(user_in_role("Editor", "desk"))
    client.post(presence_url(article))
    client.post(presence_url(article), {"leave": "1"})
    client.force_login(user_in_role("Chief editor", "chief"))
    assert client.post(presence_url(article)).json()["others"] == []


def test_nobody_else_here_shows_no_banner(desk):
    article = article_in(Status.REVIEW, owner=None)
    banner = find(parse(desk.get(change_url(article))), id="presence")
    assert "hidden" in banner.attributes and text(banner) == ""


# Live preview ------------------------------------------------------------------------------


def test_the_live_preview_draws_the_body_with_the_article_pages_renderer(desk):
    body = "Russian forces *shelled* Kharkiv.\n\n> We will rebuild, the mayor said."
    response = desk.post(PREVIEW, {"body": body})
    assert response.status_code == 200
    html = response.json()["html"]
    assert "<p>Russian forces <em>shelled</em> Kharkiv.</p>" in html
    assert "<blockquote>" in html
    assert response.json()["errors"] == []


@pytest.mark.parametrize("body", ["", "\n\n", ":::card"])
def test_an_empty_or_barely_begun_body_previews_without_an_error_page(desk, body):
    response = desk.post(PREVIEW, {"body": body})
    assert response.status_code == 200


def test_a_broken_card_shows_its_error_with_its_line_where_it_is(desk):
    body = "First paragraph.\n\n:::card\nheadline: Wrong key\n:::\n\nLast paragraph."
    data = desk.post(PREVIEW, {"body": body}).json()
    assert data["errors"][0].startswith("Line 4: a card line must start with one of title:")
    page = parse(data["html"])
    paragraphs = [text(p) for p in find_all(page, "p")]
    error = next(i for i, words in enumerate(paragraphs) if words.startswith("Line 4"))
    assert paragraphs.index("First paragraph.") < error < paragraphs.index("Last paragraph.")
    assert find(page, "p", class_="body-error").attributes["role"] == "alert"


def test_the_live_preview_shows_library_pictures_and_says_when_one_is_missing(desk):
    picture = MediaImage.objects.create(image=image_file(size=(900, 600)), alt="Kyiv at night")
    body = f":::image\nid: {picture.pk}\n:::\n\n:::image\nid: 9999\n:::"
    data = desk.post(PREVIEW, {"body": body}).json()
    assert find(parse(data["html"]), "img").attributes["alt"] == "Kyiv at night"
    assert data["errors"] == [
        "Line 5: there is no picture number 9999 in the media library; choose one with "
        "“Insert picture”."
    ]


def test_the_live_preview_escapes_what_the_sanitiser_would_drop(desk):
    html = desk.post(PREVIEW, {"body": "Hi <img src=x onerror=alert(1)>"}).json()["html"]
    assert "onerror" not in html


def test_the_live_preview_is_for_staff_only(client):
    assert client.post(PREVIEW, {"body": "x"}).status_code == 302


# The admin's look --------------------------------------------------------------------------


def test_the_admin_carries_the_newsrooms_name_and_logo(desk, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "SITE_NAME": "The Kyiv Independent"}
    page = parse(desk.get("/admin/"))
    brand = find(page, "a", class_="desk-brand")
    assert "The Kyiv Independent" in text(brand)
    assert find(brand, "img").attributes["src"].endswith("newsroom/logo.svg")
    assert "Today on the desk" in text(find(page, "h1"))


def test_the_slug_help_shows_the_articles_real_address(desk):
    article = article_in(Status.DRAFT, owner=None, headline="Kyiv metro keeps running")
    page = desk.get(change_url(article)).content.decode()
    assert '/news/<span class="slug-address">kyiv-metro-keeps-running</span>/' in page
    assert "/news//" not in page
    add_page = desk.get("/admin/articles/article/add/").content.decode()
    assert "/news//" not in add_page


def test_times_are_labelled_with_the_newsrooms_time_zone(desk):
    page = parse(desk.get("/admin/articles/article/add/"))
    assert re.search(r"Kyiv time \(UTC\+0[23]:00\)", text(find(page, class_="field-published_at")))
    article = article_in(Status.PUBLISHED, owner=None)
    listing = desk.get("/admin/articles/article/").content.decode()
    assert "Publication time (Kyiv)" in listing
    local = timezone.localtime(article.published_at)
    assert f"{local:%B} {local.day}, {local.year}, {local:%H:%M}" in listing


def test_the_body_help_says_how_to_place_a_library_picture(desk):
    page = parse(desk.get("/admin/articles/article/add/"))
    assert "“:::image” to “:::” with id:" in text(find(page, class_="field-body"))


def test_the_headline_counts_its_characters_against_googles_limit(desk):
    page = parse(desk.get("/admin/articles/article/add/"))
    headline = find(page, "input", id="id_headline")
    assert headline.attributes["data-limit"] == "110"


@pytest.mark.parametrize("path", ["/admin/", "/admin/articles/article/", "change", "add"])
def test_desk_pages_carry_no_inline_script_style_or_event_handler(desk, path):
    article = article_in(Status.REVIEW, owner=None)
    path = {"change": change_url(article), "add": "/admin/articles/article/add/"}.get(path, path)
    page = desk.get(path).content.decode()
    ours = [tag for tag in re.findall(r"<[a-z][^>]*>", page) if "desk" in tag or "byline" in tag]
    assert ours, "the page shows none of the desk's own elements"
    for tag in re.findall(r"<[a-z][^>]*>", page):
        assert not re.search(r"\sstyle=|\son[a-z]+=", tag), tag
    assert not re.search(r"<script(?![^>]*\ssrc=)(?![^>]*application/json)", page)


def test_the_change_form_loads_the_desk_script_and_style_sheet(desk):
    article = article_in(Status.REVIEW, owner=None)
    page = desk.get(change_url(article)).content.decode()
    assert '/static/newsroom/admin/desk.js"' in page
    assert '/static/newsroom/admin.css"' in page
    assert Article.objects.count() == 1
