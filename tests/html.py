"""Pages read as a reader reads them: parsed, searched by tag, class and attribute, as text.

Django's own HTML comparison (`same_html`) decides whether two drawings are the same; the
small tree here keeps each element's source and the spaces between words, which that
comparison drops.
"""

from html.parser import HTMLParser

from django.test.html import parse_html

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# Elements a browser sets on lines of their own: their words never run into the next ones.
BLOCK = {"article", "aside", "div", "figcaption", "footer", "h1", "h2", "h3", "h4", "header"}
BLOCK |= {"li", "main", "nav", "p", "section", "td", "th", "br"}
UNREAD = {"script", "style", "template", "head"}


class Element:
    def __init__(self, tag, attributes, source, start):
        self.tag = tag
        self.attributes = dict(attributes)
        self.children = []
        self.source = source
        self.start = self.end = start

    @property
    def html(self):
        """The element as the page has it, tags and all."""
        return self.source[self.start : self.end]

    def __repr__(self):
        return self.html[:200]


class _TreeBuilder(HTMLParser):
    def __init__(self, source):
        super().__init__(convert_charrefs=True)
        self.source = source
        self.line_starts = [0] + [i + 1 for i, c in enumerate(source) if c == "\n"]
        self.stack = [Element("#document", {}, source, 0)]

    def position(self):
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.source, self.position())
        self.stack[-1].children.append(element)
        if tag in VOID:
            element.end = element.start + len(self.get_starttag_text())
        else:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if all(open_element.tag != tag for open_element in self.stack[1:]):
            return
        end = self.source.index(">", self.position()) + 1
        while True:
            element = self.stack.pop()
            element.end = end
            if element.tag == tag:
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(page):
    """A response, or the text of a page or of a fragment, as a tree."""
    source = page.content.decode() if hasattr(page, "content") else page
    builder = _TreeBuilder(source)
    builder.feed(source)
    builder.close()
    document = builder.stack[0]
    document.end = len(source)
    return document


def _matches(element, tag, class_, attributes):
    found = element.attributes
    if tag and element.tag != tag:
        return False
    if class_ and class_ not in (found.get("class") or "").split():
        return False
    return all(
        name in found and wanted in (True, found[name]) for name, wanted in attributes.items()
    )


def find_all(root, tag=None, class_=None, **attributes):
    """Elements under `root`, in page order. Attributes by keyword, data_id for data-id; True
    asks only that the attribute is there."""
    attributes = {name.replace("_", "-"): value for name, value in attributes.items()}
    found = []
    for child in root.children:
        if isinstance(child, Element):
            if _matches(child, tag, class_, attributes):
                found.append(child)
            found += find_all(child, tag, class_, **attributes)
    return found


def find(root, tag=None, class_=None, **attributes):
    """The first element find_all() gives; the test fails when there is none."""
    found = find_all(root, tag, class_, **attributes)
    assert found, f"no <{tag or '*'}> of class {class_!r} with {attributes} in {root!r}"
    return found[0]


def _words(element):
    for child in element.children:
        if isinstance(child, str):
            yield child
        elif child.tag not in UNREAD:
            spacer = " " if child.tag in BLOCK else ""
            yield spacer + "".join(_words(child)) + spacer


def text(element):
    """What a reader reads in the element, each run of white space as one space."""
    return " ".join("".join(_words(element)).split())


def links(element):
    """Each link's address and text: [(href, text)]."""
    return [(a.attributes.get("href"), text(a)) for a in find_all(element, "a")]


def same_html(first, second):
    """Whether two pieces of HTML are the same elements, attributes and text, as Django's
    assertHTMLEqual judges it."""
    return parse_html(first) == parse_html(second)


SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_urls(client):
    """Every <url> of the sitemap, reached as a search engine does: through /sitemap.xml, the
    index, then each page it names."""
    import xml.etree.ElementTree as ET
    from urllib.parse import urlsplit

    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    urls = []
    for loc in ET.fromstring(index.content).iter(f"{SITEMAP_NS}loc"):
        address = urlsplit(loc.text)
        page = client.get(address.path, QUERY_STRING=address.query)
        assert page.status_code == 200, loc.text
        urls += ET.fromstring(page.content).iter(f"{SITEMAP_NS}url")
    return urls
