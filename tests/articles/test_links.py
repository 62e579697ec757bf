import pytest

from articles.rendering import is_safe_link

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
UNSAFE_LINKS = [
    "/\\evil.example/x",
    "\\\\evil.example/x",
    "\\/evil.example/x",
    "//evil.example/x",
    "///evil.example/x",
    "https:\\\\evil.example",
    "https://example.com\\@evil.example/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "javascript://%0aalert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    " javascript:alert(1)",
    "\x01javascript:alert(1)",
    " /news/slug/",
    "/\t/evil.example",
    "/%0a/evil.example",
    "/%5Cevil.example",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "ftp://example.com/file",
    "https:evil.example",
    "https://",
    "mailto:",
    "news/slug/",
    "",
]


@pytest.mark.parametrize("link", SAFE_LINKS)
def test_addresses_on_the_web_by_mail_and_on_this_site_are_safe(link):
    assert is_safe_link(link)


@pytest.mark.parametrize("link", UNSAFE_LINKS)
def test_disguised_and_foreign_scheme_links_are_not_safe(link):
    assert not is_safe_link(link)
