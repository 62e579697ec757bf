"""Under the Content-Security-Policy, readers' pages and the admin work with no violation."""

import pytest

from tests.factories import ArticleFactory, AuthorFactory, FeedItemFactory, image_file

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""
SELECTION = "() => [document.activeElement.selectionStart, document.activeElement.selectionEnd]"


class Watched:
    """A page that records every CSP violation it reports, as an event or on the console."""

    def __init__(self, page):
        self.page = page
        self.violations = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self.on_console)

    def on_console(self, message):
        if "Content Security Policy" in message.text:
            self.violations.append(message.text)

    def visit(self, url):
        response = self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        assert response.status == 200, url
        policy = [part.strip() for part in response.headers["content-security-policy"].split(";")]
        assert "script-src 'self'" in policy, url
        self.violations.extend(self.page.evaluate("window.__violations"))


@pytest.fixture
def site(live_server, page):
    return live_server.url, Watched(page)


def test_readers_pages_and_the_admin_report_no_csp_violation(
    site, editor, console_errors, screenshot
):
    base, watched = site
    page = watched.page
    article = ArticleFactory(
        headline="Kyiv restores power to the left bank",
        hero_image=image_file("power.jpg"),
        hero_alt="Engineers at a substation",
        authors=[AuthorFactory(name="Rachel Amran")],
    )
    FeedItemFactory(headline="Air raid alert ends in Kyiv", pinned=True)
    FeedItemFactory(headline="Metro runs again")

    for url in ("/", "/archive/", "/feed/", article.get_absolute_url()):
        watched.visit(base + url)
    assert watched.violations == []
    screenshot(page, "csp-article-375", width=375)
    screenshot(page, "csp-article-1280", width=1280)

    watched.visit(f"{base}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    for url in ("/admin/", "/admin/articles/article/", f"/preview/{article.pk}/"):
        watched.visit(base + url)
    assert watched.violations == []
    banner = page.locator(".preview-banner")
    assert banner.evaluate("element => getComputedStyle(element).textAlign") == "center"

    watched.visit(f"{base}/admin/articles/article/{article.pk}/change/")
    share = page.locator("#share-preview input")
    share.click()
    assert page.evaluate(SELECTION) == [0, len(share.input_value())]
    screenshot(page, "csp-admin-change-form", width=1280)

    assert watched.violations == []
    assert console_errors == []
