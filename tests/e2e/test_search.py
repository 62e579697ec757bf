"""A reader searches from the header box, on a phone and on a wide screen."""

import pytest
from playwright.sync_api import expect

from search.models import Synonym
from tests.factories import ArticleFactory, AuthorFactory, FeedItemFactory, SectionFactory


@pytest.fixture(autouse=True)
def _kiev_means_kyiv(transactional_db):
    """Browser tests empty every table after each test, the data migration's synonyms too."""
    Synonym.objects.get_or_create(spelling="Kiev", defaults={"preferred": "Kyiv"})


@pytest.mark.parametrize("width", [375, 1280])
def test_a_reader_searches_from_the_header_and_reads_marked_results(
    live_server, page, console_errors, screenshot, width
):
    war = SectionFactory(name="War")
    ArticleFactory(
        headline="Kyiv air defence downs drones overnight",
        dek="Debris fell in three districts of the capital.",
        body="Air defence was active over Kyiv for four hours.",
        section=war,
        authors=[AuthorFactory(name="Kateryna Denisova")],
    )
    ArticleFactory(headline="Power cuts", body="Kyiv energy company plans outages.")
    FeedItemFactory(headline="Air raid alert in Kyiv", summary="Take shelter.", section=war)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/")

    box = page.get_by_role("search", name="Site").get_by_role("searchbox")
    box.fill("Kiev")
    box.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/search/?q=Kiev")
    results = page.locator(".search-result")
    expect(results).to_have_count(3)
    expect(results.first.locator("mark").first).to_have_text("Kyiv")
    expect(page.locator(".search-count")).to_have_text("3 results")
    # Nothing runs off the side of a phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"search-{width}")

    page.get_by_label("Kind").select_option("feed_item")
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Air raid alert in Kyiv")
    assert console_errors == []


def test_nothing_found_tells_what_to_try(live_server, page, screenshot):
    page.set_viewport_size({"width": 375, "height": 900})
    page.goto(f"{live_server.url}/search/?q=zaporizhzhia+bridge")

    expect(page.locator(".search-empty")).to_contain_text("Nothing found")
    expect(page.locator(".search-empty li").first).to_contain_text("Use fewer words")
    screenshot(page, "search-nothing-found-375")
