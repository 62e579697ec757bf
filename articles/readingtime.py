"""Estimate how long an article takes to read."""

import math
import re

WORDS_PER_MINUTE = 275
FIRST_IMAGE_SECONDS = 12
LAST_IMAGE_SECONDS = 3

_WORD = re.compile(r"\S+")


def count_words(text):
    return len(_WORD.findall(text))


def image_seconds(image_count):
    """Seconds spent on images: 12 s for the first, 11 s for the second, ... never below 3 s."""
    return sum(max(FIRST_IMAGE_SECONDS - index, LAST_IMAGE_SECONDS) for index in range(image_count))


def reading_minutes(word_count, image_count=0):
    """Whole minutes to read, rounded up and at least one."""
    seconds = word_count * 60 / WORDS_PER_MINUTE + image_seconds(image_count)
    return max(1, math.ceil(seconds / 60))
