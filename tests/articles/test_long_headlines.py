"""Articles whose headlines make addresses longer than the 200 characters a slug may have."""

import pytest
from django.utils.text import slugify

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

HEADLINE = (
    "Live updates: Russian strikes on Kyiv, Kharkiv and Odesa overnight damage power plants "
    "and homes as air defences shoot down most of the missiles and drones launched from the "
    "Black Sea and from Belarus, officials say, while repair crews restore electricity to most "
    "districts by morning"
)
BEGINNING = slugify(HEADLINE)[:180]


def test_repeated_long_headlines_get_numbered_addresses_within_the_limit(client):
    articles = [ArticleFactory(headline=HEADLINE, body=f"Update {n}.") for n in range(1, 11)]
    slugs = [article.slug for article in articles]

    assert len(slugify(HEADLINE)) > 200
    # The last 20 of the 200 characters: the headline cut short, then the number.
    assert [slug[180:] for slug in slugs[:3]] == [
        "a-and-from-belarus-o",
        "a-and-from-belarus-2",
        "a-and-from-belarus-3",
    ]
    assert slugs[9][180:] == "a-and-from-belaru-10"
    assert all(slug.startswith(BEGINNING) and len(slug) == 200 for slug in slugs)
    for n, slug in enumerate(slugs, start=1):
        page = client.get(f"/news/{slug}/").content.decode()
        assert f"<p>Update {n}.</p>" in page
