import html

from django.utils.html import strip_tags
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.models import Article
from articles.rendering import is_plain, markdown_to_html, markdown_to_text, rendered

PIECES = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=3),
    st.sampled_from(
        [
            *("\n", "\n\n", " ", "1. ", "\n- ", "\n: ", "x\n-", "\n1) ", "\n    "),
            *("Kyiv, Jan. 21.", '"', "'", "\u2014", "$5", "50%", "and/or", "(AP)"),
        ]
    ),
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join))
def test_text_read_without_markdown_is_what_markdown_would_show(text):
    if is_plain(text):
        through_markdown = rendered(text).html
        assert markdown_to_html(text) == through_markdown
        assert markdown_to_text(text) == html.unescape(strip_tags(through_markdown))


def test_plain_paragraphs_are_drawn_as_markdown_draws_them():
    text = '\n\nKyiv said "no" - twice.\nThen again.\n\n\nIt\u2019s 50% done\n'

    assert markdown_to_html(text) == (
        '<p>Kyiv said "no" - twice.\nThen again.</p>\n<p>It\u2019s 50% done</p>'
    )
    assert markdown_to_html(text) == rendered(text).html


def test_markdown_is_still_read_through_markdown():
    assert not is_plain("Some *emphasis* here")
    assert not is_plain("1. a list")
    assert markdown_to_text("Some *emphasis* and a [link](https://example.com)") == (
        "Some emphasis and a link"
    )


def test_reading_time_counts_plain_and_marked_up_paragraphs_alike():
    words = " ".join(["word"] * 300)

    plain = Article(headline="x", body=words).compute_reading_time()
    marked = Article(headline="x", body=f"**{words}**").compute_reading_time()

    assert plain == marked == 2
