import pytest

from articles.rendering import is_safe_link
from tests.links import UNSAFE_LINKS

SAFE_LINKS = [
    "https://example.com/a",
    "http://example.com",
    "HTTPS://EXAMPLE.COM/A?b=c#d",
    "mailto:x@example.com",
    "/news/slug/",
    "/news/slug/?page=2#comments",
    "https://example.com/a%20b",
    "#fn1",
]

# Each of these opens another host, runs script, or is read differently by a browser than
# by a check that looks at it as written.


@pytest.mark.parametrize("link", SAFE_LINKS)
def test_addresses_on_the_web_by_mail_and_on_this_site_are_safe(link):
    assert is_safe_link(link)


@pytest.mark.parametrize("link", UNSAFE_LINKS)
def test_disguised_and_foreign_scheme_links_are_not_safe(link):
    assert not is_safe_link(link)
