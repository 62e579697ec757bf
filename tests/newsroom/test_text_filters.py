"""The text filters of templates (newsroom/templatetags/newsroom_text.py)."""

import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe

CUT = Template("{% load newsroom_text %}{{ text|shortened:20 }}|{{ text|truncatechars:20 }}")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Short enough",
        "Exactly twenty chars",
        "Twenty-one characters",
        "Kyiv says Russia launched drones at night",
        "e\u0301" * 19 + "x",  # combining accents are not counted
        "e\u0301" * 25,
        'Fish & chips <b>at</b> the "port" of Odesa',
    ],
)
def test_shortened_cuts_as_truncatechars_does(text):
    ours, django = CUT.render(Context({"text": text})).split("|")
    assert ours == django


def test_shortened_keeps_safe_text_safe_and_escapes_the_rest():
    page = Template("{% load newsroom_text %}{{ a|shortened:50 }} {{ b|shortened:50 }}")
    drawn = page.render(Context({"a": mark_safe("<em>safe</em>"), "b": "<em>not</em>"}))
    assert drawn == "<em>safe</em> &lt;em&gt;not&lt;/em&gt;"


@pytest.mark.parametrize("length", [50, 10])
def test_a_text_met_first_marked_safe_is_escaped_when_it_comes_again_unmarked(length):
    page = Template(f"{{% load newsroom_text %}}{{{{ text|shortened:{length} }}}}")
    page.render(Context({"text": mark_safe("<em>twenty characters</em>")}))

    drawn = page.render(Context({"text": "<em>twenty characters</em>"}))

    assert "<em>" not in drawn and "&lt;em&gt;" in drawn
