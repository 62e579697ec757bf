"""Both sitemaps are valid against the sitemaps.org schema (with Google's news extension); the
sitemap index against the protocol's index format, and each page it names as a sitemap."""

from pathlib import Path

import pytest
from lxml import etree

from tests.standards.conftest import SITE_URL

SCHEMA = Path(__file__).parent / "sitemaps.xsd"
INDEX_SCHEMA = Path(__file__).parent / "siteindex.xsd"
LOC = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"


@pytest.fixture(scope="session")
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def valid_locations(site, schema, path):
    answer = site.fetch(path, host="localhost:" + site.url.rsplit(":", 1)[1])
    assert answer.status == 200
    document = etree.fromstring(answer.body)
    assert schema.validate(document), "\n".join(str(error) for error in schema.error_log)
    locations = [loc.text for loc in document.iter(LOC)]
    assert locations and all(loc.startswith(SITE_URL + "/") for loc in locations)
    return locations


def test_the_news_sitemap_is_valid_against_the_schema(site, schema):
    valid_locations(site, schema, "/news-sitemap.xml")


def test_the_sitemap_index_and_each_of_its_pages_are_valid(site, schema):
    index_schema = etree.XMLSchema(etree.parse(str(INDEX_SCHEMA)))
    for page in valid_locations(site, index_schema, "/sitemap.xml"):
        valid_locations(site, schema, page.removeprefix(SITE_URL))
