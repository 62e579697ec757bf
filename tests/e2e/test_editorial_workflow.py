from articles.models import Article, Status
from tests.browser import log_in
from tests.factories import ArticleFactory, AuthorFactory


def test_a_writer_submits_a_draft_and_the_desk_previews_and_publishes_it(
    live_server, page, user_in_role, console_errors, screenshot
):
    writer = user_in_role("Contributor", "writer")
    user_in_role("Editor", "desk")
    AuthorFactory(name="Rachel Amran", user=writer)

    log_in(page, live_server, "writer")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    statuses = page.locator("#id_status option").evaluate_all(
        "options => options.map(o => o.value)"
    )
    assert statuses == ["draft", "review"]
    page.fill("#id_headline", "Volunteers rebuild a library in Chernihiv")
    page.fill("#id_body", "The library reopened on Saturday.\n\nVolunteers came from three cities.")
    page.select_option("#id_status", "review")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    log_in(page, live_server, "desk")
    page.goto(f"{live_server.url}/admin/")
    screenshot(page, "editor-dashboard")
    page.locator("#review-queue a", has_text="Volunteers rebuild").click()
    with page.context.expect_page() as opened:
        page.locator(".object-tools a", has_text="Preview").click()
    preview = opened.value
    preview.wait_for_load_state()
    assert "not visible to readers" in preview.locator(".preview-banner").inner_text()
    assert preview.locator("h1").inner_text() == "Volunteers rebuild a library in Chernihiv"
    screenshot(preview, "editor-preview")
    preview.close()

    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    article = Article.objects.get()
    assert article.status == Status.PUBLISHED and article.created_by == writer
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Volunteers rebuild a library in Chernihiv"
    assert console_errors == []


def test_the_second_of_two_editors_saving_at_once_sees_what_changed(
    live_server, browser, page, user_in_role, screenshot
):
    user_in_role("Editor", "desk")
    user_in_role("Chief editor", "chief")
    article = ArticleFactory(
        status=Status.REVIEW,
        published_at=None,
        headline="Power cuts in Kyiv",
        body="Draft text.",
        authors=[AuthorFactory(name="Elsa Court")],
    )
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    other = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()

    log_in(page, live_server, "desk")
    page.goto(url)
    log_in(other, live_server, "chief")
    other.goto(url)

    page.fill("#id_body", "Text checked by the desk.")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    other.fill("#id_headline", "Power cuts across Kyiv")
    other.click("input[name=_continue]")

    other.wait_for_selector(".errornote")
    assert "desk saved this article" in other.locator(".errorlist").first.inner_text()
    assert "+Text checked by the desk." in other.locator("#edit-conflict").inner_text()
    screenshot(other, "editor-conflict")
    other.context.close()
    article.refresh_from_db()
    assert (article.headline, article.body) == ("Power cuts in Kyiv", "Text checked by the desk.")
