from articles.models import Article, Status
from tests.browser import choose_in_autocomplete
from tests.factories import AuthorFactory, DeskFactory, SectionFactory, image_file


def test_editor_writes_and_publishes_an_article_readers_can_read(
    live_server, page, django_user_model, tmp_path, console_errors, screenshot
):
    django_user_model.objects.create_superuser("editor", "editor@example.com", "correct horse")
    AuthorFactory(name="Rachel Amran")
    DeskFactory()
    SectionFactory(name="Ukraine news")
    photo = tmp_path / "putin.jpg"
    photo.write_bytes(image_file().read())

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/articles/article/add/")

    page.locator("#id_headline").press_sequentially("Media: Putin preparing to visit North Korea")
    assert page.input_value("#id_slug") == "media-putin-preparing-to-visit-north-korea"
    page.fill("#id_body", "Russian dictator Vladimir Putin announced his willingness to visit.")
    page.select_option("#id_status", Status.PUBLISHED)
    page.set_input_files("#id_hero_image", str(photo))
    page.fill("#id_hero_alt", "Vladimir Putin at a lectern")
    page.fill("#id_hero_caption", "Putin in Moscow.")
    choose_in_autocomplete(page, 0, "Rachel Amran")
    page.click("#bylines-group .add-row a")
    choose_in_autocomplete(page, 1, "The Kyiv Independent news desk")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success, .errornote", timeout=30_000)
    errors = page.locator(".errornote, .errorlist").all_inner_texts()
    assert not errors, f"the change form refused the article: {errors}"

    article = Article.objects.get()
    assert [a.name for a in article.ordered_authors] == [
        "Rachel Amran",
        "The Kyiv Independent news desk",
    ]

    page.goto(f"{live_server.url}/news/media-putin-preparing-to-visit-north-korea/")
    assert page.locator("h1").inner_text() == "Media: Putin preparing to visit North Korea"
    assert "Rachel Amran and The Kyiv Independent news desk" in page.locator(".byline").inner_text()
    hero = page.locator(".hero img")
    assert hero.get_attribute("alt") == "Vladimir Putin at a lectern"
    assert hero.evaluate("img => img.naturalWidth") > 0
    screenshot(page, "editor-published-article")
    assert console_errors == []
