"""No axe-core violation on any page, on a phone (375 px) and on a desktop (1280 px)."""

import pytest

from tests.browser import ARTIFACTS
from tests.standards.conftest import PAGES, node_module

WIDTHS = (375, 1280)
# The home page shows the header's section menu; an index page the new lists.
SCREENSHOTS = ("home", "sections")


@pytest.fixture(scope="session")
def axe_source():
    return node_module("axe-core/axe.min.js").read_text()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_no_axe_violations(site, browser, axe_source, name, width):
    # The site's pages allow no inline script; axe is put in through the browser's own channel.
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(site.url + site.pages[name])
        page.evaluate(axe_source)
        results = page.evaluate(
            "async () => { const r = await axe.run(document);"
            " return {violations: r.violations, passes: r.passes.length}; }"
        )
        violations = results["violations"]
        if name in SCREENSHOTS:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"standards-{name}-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    finally:
        context.close()
    found = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    ]
    assert found == [], "\n".join(found)
    assert results["passes"] > 10, "axe checked almost nothing: did the page load?"
    assert not overflow, f"{name} scrolls sideways at {width}px"
