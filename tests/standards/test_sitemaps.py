"""Both sitemaps are valid against the sitemaps.org schema (with Google's news extension)."""

from pathlib import Path

import pytest
from lxml import etree

from tests.standards.conftest import SITE_URL

SCHEMA = Path(__file__).parent / "sitemaps.xsd"
LOC = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"


@pytest.fixture(scope="session")
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


@pytest.mark.parametrize("path", ["/sitemap.xml", "/news-sitemap.xml"])
def test_sitemap_is_valid_against_the_schema(site, schema, path):
    answer = site.fetch(path, host="localhost:" + site.url.rsplit(":", 1)[1])
    assert answer.status == 200
    document = etree.fromstring(answer.body)
    assert schema.validate(document), "\n".join(str(error) for error in schema.error_log)
    locations = [loc.text for loc in document.iter(LOC)]
    assert locations and all(loc.startswith(SITE_URL + "/") for loc in locations)
