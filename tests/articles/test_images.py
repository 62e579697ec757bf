import pytest
from django.core.files.storage import default_storage
from PIL import Image

from articles.models import HeroRenditions
from tests.factories import ArticleFactory, image_file

pytestmark = pytest.mark.django_db


def test_saving_an_article_makes_webp_and_jpeg_renditions_once():
    article = ArticleFactory(hero_image=image_file(size=(1600, 900)), hero_alt="A street")
    record = HeroRenditions.objects.get(article=article)
    assert [item["width"] for item in record.items] == [480, 800, 1200]
    with default_storage.open(record.items[0]["webp"]) as handle:
        image = Image.open(handle)
        assert image.format == "WEBP" and image.size == (480, 270)
    with default_storage.open(record.items[-1]["fallback"]) as handle:
        assert Image.open(handle).format == "JPEG"
    files = [item["webp"] for item in record.items]
    article.headline = "Edited"
    article.save()
    assert [item["webp"] for item in HeroRenditions.objects.get().items] == files


def test_a_small_image_is_not_enlarged():
    article = ArticleFactory(hero_image=image_file(size=(600, 400)), hero_alt="Small")
    assert [item["width"] for item in article.hero_renditions.items] == [480, 600]


def test_a_new_hero_image_replaces_the_renditions_and_removing_it_drops_them():
    article = ArticleFactory(hero_image=image_file(size=(900, 600)), hero_alt="One")
    article.hero_image = image_file("second.png", size=(1000, 500), fmt="PNG")
    article.save()
    record = HeroRenditions.objects.get(article=article)
    assert record.source.endswith(".png") and record.items[-1]["fallback"].endswith(".png")
    article.hero_image = ""
    article.save()
    assert not HeroRenditions.objects.exists()


def test_the_article_page_never_resizes(client, monkeypatch):
    from articles import images

    article = ArticleFactory(hero_image=image_file(), hero_alt="A picture")
    monkeypatch.setattr(images, "make_renditions", lambda name: pytest.fail("resized"))
    assert client.get(article.get_absolute_url()).status_code == 200
