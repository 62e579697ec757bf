"""What a narration reads: the order, what is skipped, and text written for listening."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.rendering import render_body
from narration import script

BODY = """Russian dictator Vladimir Putin announced his willingness to visit Pyongyang.

:::card
title: Military intelligence: North Korea supplying 122 mm, 152 mm shells to Russia
excerpt: North Korea has supplied Russia with around one million rounds.
publisher: The Kyiv Independent
link: https://example.com/news/shells/
:::

## What comes next

Putin also *reportedly* thanked [Kim Jong Un](https://example.com/kim) for his invitation.

- Shells
- Missiles

> Quoted words.
"""


def read(body=BODY, authors=("Rachel Amran", "The Kyiv Independent news desk")):
    return script.build(
        headline="Media: Putin preparing to visit North Korea",
        authors=list(authors),
        body_html=render_body(body),
    )


def test_the_headline_then_the_byline_then_the_paragraphs_in_order_are_read():
    parts = read().parts
    assert [part.kind for part in parts[:2]] == [script.HEADLINE, script.BYLINE]
    assert parts[0].text == "Media: Putin preparing to visit North Korea"
    assert parts[1].text == "By Rachel Amran and The Kyiv Independent news desk."
    assert [(part.index, part.text) for part in parts[2:]] == [
        (0, "Russian dictator Vladimir Putin announced his willingness to visit Pyongyang."),
        (1, "What comes next"),
        (2, "Putin also reportedly thanked Kim Jong Un for his invitation."),
        (3, "Shells"),
        (4, "Missiles"),
        (5, "Quoted words."),
    ]


def test_cards_captions_and_markup_are_not_read():
    text = read(BODY + "\n![A map](https://example.com/map.png)\n").text
    assert "Military intelligence" not in text
    assert "one million rounds" not in text
    assert "A map" not in text
    assert "*" not in text and "https" not in text and "<" not in text


def test_three_co_authors_are_read_in_byline_order():
    byline = read(authors=("A One", "B Two", "C Three")).parts[1].text
    assert byline == "By A One, B Two and C Three."


def test_an_article_without_authors_has_no_byline():
    assert script.BYLINE not in [part.kind for part in read(authors=()).parts]


def test_units_dates_and_abbreviations_are_read_as_a_listener_expects():
    said = script.for_listening
    assert said("122 mm, 152 mm shells") == (
        "one hundred twenty-two millimetres, one hundred fifty-two millimetres shells"
    )
    assert said("KCNA reported on Jan. 21.") == "KCNA reported on January twenty-first."
    assert said("U.S. Secretary of State") == "United States Secretary of State"
    assert said("since February 2022") == "since February twenty twenty-two"
    assert said("around 1,000,000 rounds") == "around one million rounds"
    assert said("5% of $5 million") == "five percent of five million dollars"
    assert said("a 1.5 km queue in the 1990s") == (
        "a one point five kilometres queue in the nineteen nineties"
    )
    assert said("the 3rd and the 21st") == "the third and the twenty-first"


@pytest.mark.parametrize(
    ("written", "heard"),
    [
        ("on Sept. 5", "on September fifth"),
        ("on Sep. 5", "on September fifth"),
        ("on Mar. 3", "on March third"),
        ("on Dec. 31", "on December thirty-first"),
        ("on May 9", "on May ninth"),
        ("They met in May. 9 people came.", "They met in May. nine people came."),
    ],
)
def test_a_shortened_month_is_read_whole(written, heard):
    assert script.for_listening(written) == heard


def test_long_text_is_cut_at_sentence_ends():
    sentence = "The border crossing stayed closed for another day. "
    pieces = script.chunks(sentence * 60, limit=300)
    assert len(pieces) > 1
    assert all(piece.endswith("another day.") for piece in pieces)
    assert " ".join(pieces) == " ".join((sentence * 60).split())


words = st.text(alphabet="abcdefgh,.!? ", min_size=1, max_size=30)


@given(st.lists(words, min_size=1, max_size=80), st.integers(min_value=20, max_value=400))
def test_pieces_are_never_longer_than_the_limit_and_lose_nothing(parts, limit):
    text = " ".join(" ".join(parts).split())
    pieces = script.chunks(text, limit=limit)
    assert all(len(piece) <= limit for piece in pieces)
    # A word longer than the limit is the one thing cut in its middle.
    assert "".join("".join(pieces).split()) == "".join(text.split())


def test_a_sentence_that_opens_with_a_comma_keeps_it_when_cut():
    pieces = script.chunks(", ????a ??????????a ?", limit=20)

    assert "".join(pieces).replace(" ", "") == ",????a??????????a?"
