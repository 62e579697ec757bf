import html

from django.utils.html import strip_tags
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.models import Article
from articles.rendering import is_plain, markdown_to_html, markdown_to_text

PIECES = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=3),
    st.sampled_from(
        ["\n", "\n\n", " ", "1. ", "\n- ", "\n: ", "x\n-", "\n1) ", "\n    ", "Kyiv, Jan. 21."]
    ),
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join))
def test_text_read_without_markdown_is_what_markdown_would_show(text):
    if is_plain(text):
        assert markdown_to_text(text) == html.unescape(strip_tags(markdown_to_html(text)))


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
