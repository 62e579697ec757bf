"""Pictures placed in an article's body reach readers with their address and description."""

from html.parser import HTMLParser

import pytest

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PHOTO = "https://media.example.com/2024/01/kherson-flood.jpg"


class BodyImages(HTMLParser):
    """The attributes of every <img> inside the page's <div class="body">."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.images = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth:
            self.depth += tag == "div"
            if tag == "img":
                self.images.append(attrs)
        elif tag == "div" and attrs.get("class") == "body":
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth and tag == "div":
            self.depth -= 1


def test_a_picture_in_the_body_keeps_its_address_and_description(client):
    article = ArticleFactory(
        body=(
            "Water rose overnight in the city centre.\n\n"
            f"![A flooded street in Kherson]({PHOTO})\n\n"
            "Rescuers evacuated residents by boat."
        )
    )
    parser = BodyImages()
    parser.feed(client.get(article.get_absolute_url()).content.decode())
    assert [(image.get("src"), image.get("alt")) for image in parser.images] == [
        (PHOTO, "A flooded street in Kherson")
    ]
