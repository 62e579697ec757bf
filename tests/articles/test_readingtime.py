import pytest

from articles.readingtime import image_seconds, reading_minutes
from tests.factories import ArticleFactory, image_file

SAMPLE = "samples/kyiv-independent-2024-01-21.txt"


def test_275_words_take_one_minute():
    assert reading_minutes(275) == 1


def test_reading_time_rounds_up_to_whole_minutes():
    assert reading_minutes(276) == 2
    assert reading_minutes(550) == 2
    assert reading_minutes(551) == 3


def test_a_short_text_still_takes_one_minute():
    assert reading_minutes(0) == 1
    assert reading_minutes(3) == 1


def test_images_add_twelve_seconds_then_one_less_each_down_to_three():
    assert image_seconds(0) == 0
    assert image_seconds(1) == 12
    assert image_seconds(2) == 12 + 11
    assert image_seconds(10) == sum(range(3, 13))
    assert image_seconds(12) == sum(range(3, 13)) + 3 + 3


def test_images_can_push_reading_time_into_the_next_minute():
    # 264 words are 57.6 s; a first image's 12 s takes it past a minute.
    assert reading_minutes(264) == 1
    assert reading_minutes(264, image_count=1) == 2


@pytest.mark.django_db
def test_hero_image_and_body_images_count_towards_reading_time():
    words = " ".join(["word"] * 264)
    plain = ArticleFactory(body=words)
    with_hero = ArticleFactory(body=words, hero_image=image_file(), hero_alt="A picture")
    with_inline = ArticleFactory(body=words + "\n\n![A map](https://example.com/map.png)")
    assert plain.reading_time == 1
    assert with_hero.reading_time == 2
    assert with_inline.reading_time == 2


@pytest.mark.django_db
def test_sample_article_body_reads_in_two_minutes():
    lines = open(SAMPLE, encoding="utf-8").read().splitlines()
    paragraphs = [line for line in lines[6:18] if line.strip()]
    card = "\n".join(
        [":::card", f"title: {lines[18]}", f"excerpt: {lines[19]}"]
        + ["publisher: The Kyiv Independent", "author: Elsa Court", ":::"]
    )
    article = ArticleFactory(body="\n\n".join(paragraphs) + "\n\n" + card)
    assert article.reading_time == 2
