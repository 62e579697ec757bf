"""Pictures for social networks and search engines: the hero's crops, or the newsroom's own."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from PIL import Image

from articles.models import HeroRenditions
from tests.factories import ArticleFactory, SectionFactory, image_file
from tests.html import find_all, parse

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


def metadata(response):
    """The page's <meta> tags by property or name, each with all its values."""
    tags = {}
    for meta in find_all(parse(response), "meta"):
        key = meta.attributes.get("property") or meta.attributes.get("name")
        if key:
            tags.setdefault(key, []).append(meta.attributes["content"])
    return tags


def json_ld(response):
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode()
    )
    return [json.loads(block) for block in blocks]


def image_size(url):
    with default_storage.open(url.removeprefix(SITE + settings.MEDIA_URL)) as handle:
        return Image.open(handle).size


def test_an_article_with_a_picture_offers_it_at_16_9_4_3_and_1_1(client):
    article = ArticleFactory(hero_image=image_file(size=(1600, 1000)), hero_alt="A tram in Kyiv")
    response = client.get(article.get_absolute_url())
    news = next(data for data in json_ld(response) if data["@type"] == "NewsArticle")
    assert [image_size(url) for url in news["image"]] == [(1200, 675), (1200, 900), (1000, 1000)]
    tags = metadata(response)
    assert tags["og:image"] == [news["image"][0]]
    assert tags["og:image:width"] == ["1200"] and tags["og:image:height"] == ["675"]
    assert tags["og:image:alt"] == ["A tram in Kyiv"]
    assert tags["twitter:card"] == ["summary_large_image"]
    assert tags["twitter:image"] == [news["image"][0]]


def test_an_article_without_a_picture_offers_the_newsrooms_own(client):
    article = ArticleFactory()
    response = client.get(article.get_absolute_url())
    share = f"{SITE}/static/newsroom/share.png"
    assert metadata(response)["og:image"] == [share]
    assert metadata(response)["twitter:card"] == ["summary_large_image"]
    news = next(data for data in json_ld(response) if data["@type"] == "NewsArticle")
    assert news["image"] == [share]


def test_the_newsrooms_own_picture_is_1200_by_675():
    path = Path(settings.BASE_DIR) / "static" / settings.NEWSROOM["SHARE_IMAGE"]
    assert Image.open(path).size == (1200, 675)


def test_the_newsrooms_picture_is_a_setting(client, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "SHARE_IMAGE": "newsroom/logo.svg"}
    assert metadata(client.get("/"))["og:image"] == [f"{SITE}/static/newsroom/logo.svg"]


@pytest.mark.parametrize("path", ["/", "/feed/", "/archive/", "/sections/business/"])
def test_every_public_page_allows_large_image_previews(client, path):
    ArticleFactory(section=SectionFactory(name="Business"))
    tags = metadata(client.get(path))
    assert tags["robots"] == ["max-image-preview:large"]
    assert tags["twitter:card"] == ["summary_large_image"]


def test_a_preview_is_kept_out_of_search_engines(editor_client):
    article = ArticleFactory(status="draft", published_at=None)
    assert metadata(editor_client.get(f"/preview/{article.pk}/"))["robots"] == ["noindex, nofollow"]


def test_renditions_made_before_there_were_crops_get_them_on_the_next_save():
    article = ArticleFactory(hero_image=image_file(size=(1600, 900)), hero_alt="A street")
    HeroRenditions.objects.update(crops=[])
    article.refresh_from_db()
    article.headline = "Edited"
    article.save()
    crops = HeroRenditions.objects.get().crops
    assert [(crop["ratio"], crop["width"], crop["height"]) for crop in crops] == [
        ("16x9", 1200, 675),
        ("4x3", 1200, 900),
        ("1x1", 900, 900),
    ]


def test_removing_the_picture_deletes_its_crops(django_capture_on_commit_callbacks):
    article = ArticleFactory(hero_image=image_file(size=(1600, 900)), hero_alt="A street")
    files = [crop["file"] for crop in HeroRenditions.objects.get().crops]
    assert all(default_storage.exists(name) for name in files)
    with django_capture_on_commit_callbacks(execute=True):
        article.hero_image = ""
        article.save()
    assert not any(default_storage.exists(name) for name in files)
