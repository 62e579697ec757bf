import html

import pytest
from django.core.exceptions import ValidationError
from django.test.html import parse_html
from django.urls import reverse
from django.utils.html import strip_tags
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.cards import Card, Text, parse_blocks
from articles.models import Article
from articles.rendering import SWALLOWING_TAGS, render_body, render_with_errors
from tests.factories import ArticleFactory, AuthorFactory
from tests.html import find_all, parse, text
from tests.links import UNSAFE_LINKS

HOSTILE_BODIES = [
    "Hello <script>alert('x')</script> world",
    '<img src="x.png" onerror="alert(1)">',
    '<p onclick="steal()">Click me</p>',
    "[Click](javascript:alert(1))",
    '<a href="javascript:alert(1)">Click</a>',
    '<a href="JaVaScRiPt:alert(1)">Click</a>',
    '<a href=" javascript:alert(1)">Click</a>',
    "<iframe src='https://evil.example'></iframe>",
    "<svg onload=alert(1)></svg>",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "<style>body{display:none}</style>Text",
    '<form action="https://evil.example"><input name="q"></form>',
]


@pytest.mark.parametrize("body", HOSTILE_BODIES)
def test_hostile_body_text_is_rendered_harmless(body):
    html = str(render_body(body)).lower()
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html and "onclick" not in html and "onload" not in html
    assert "<iframe" not in html and "<style" not in html and "<form" not in html
    assert "data:text/html" not in html


def test_light_formatting_survives_sanitising():
    html = str(
        render_body("Some *emphasis*, **strong** and [a link](https://example.com).\n\n> Quote")
    )
    assert "<em>emphasis</em>" in html
    assert "<strong>strong</strong>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer">a link</a>' in html
    assert "<blockquote>" in html


def test_a_card_sits_between_the_paragraphs_it_was_written_between():
    body = (
        "Before.\n\n:::card\ntitle: Related\nexcerpt: Short\npublisher: P\nauthor: A\n:::\n\nAfter."
    )
    blocks = parse_blocks(body)
    assert blocks == [
        Text("Before."),
        Card(title="Related", excerpt="Short", publisher="P", author="A"),
        Text("After."),
    ]
    html = str(render_body(body))
    assert html.index("Before.") < html.index("related-card") < html.index("After.")


def test_card_fields_are_escaped():
    body = ':::card\ntitle: <script>alert(1)</script>\nexcerpt: <b onmouseover="x()">hi</b>\n:::'
    html = str(render_body(body))
    assert "<script" not in html and "<b " not in html
    assert "&lt;script&gt;" in html


def test_a_card_with_a_javascript_link_is_refused_with_its_line():
    body = "Intro.\n\n:::card\ntitle: Bad\nlink: javascript:alert(1)\n:::"
    with pytest.raises(ValidationError) as error:
        parse_blocks(body)
    assert "Line 3" in str(error.value)
    html = str(render_body(body))
    assert "related-card" in html and "javascript:" not in html


def test_an_unclosed_card_is_refused_with_its_line():
    with pytest.raises(ValidationError) as error:
        parse_blocks("Intro.\n\n:::card\ntitle: Never closed")
    assert "Line 3" in str(error.value) and "closing" in str(error.value)


def test_an_unknown_card_line_is_refused_with_its_line():
    with pytest.raises(ValidationError) as error:
        parse_blocks(":::card\ntitle: T\ncolour: red\n:::")
    assert "Line 3" in str(error.value)


@pytest.mark.django_db
def test_a_card_can_point_at_one_of_our_published_articles():
    author = AuthorFactory(name="Elsa Court")
    target = ArticleFactory(
        headline="Shells to Russia", excerpt="One million rounds.", authors=[author]
    )
    article = ArticleFactory(
        body=f"Intro.\n\n:::card\narticle: {target.slug}\npublisher: The Kyiv Independent\n:::"
    )
    html = str(Article.objects.get(pk=article.pk).body_html())
    assert f'href="{target.get_absolute_url()}"' in html
    assert "Shells to Russia" in html and "One million rounds." in html and "Elsa Court" in html


@pytest.mark.django_db
def test_a_card_pointing_at_a_draft_is_left_out():
    target = ArticleFactory(status="draft", published_at=None)
    article = ArticleFactory(body=f"Intro.\n\n:::card\narticle: {target.slug}\n:::")
    assert "related-card" not in str(article.body_html())


@pytest.mark.django_db
def test_saving_an_article_with_a_malformed_card_is_refused():
    article = ArticleFactory.build(body=":::card\nlink: javascript:alert(1)\n:::")
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "body" in error.value.message_dict


def assert_html_equal(actual, expected):
    assert parse_html(actual) == parse_html(expected)


def body_errors(body):
    """The messages an editor would read for the body field, or [] when it saves."""
    try:
        Article(headline="Headline", body=body).clean_fields()
    except ValidationError as error:
        return error.message_dict.get("body", [])
    return []


def test_a_table_still_renders_as_a_table():
    html = str(render_body("| Region | Hours |\n|:--|--:|\n| Kyiv | 4 |\n| Odesa | *6* |"))
    assert_html_equal(
        html,
        "<table><thead><tr><th>Region</th><th>Hours</th></tr></thead>"
        "<tbody><tr><td>Kyiv</td><td>4</td></tr><tr><td>Odesa</td><td><em>6</em></td></tr>"
        "</tbody></table>",
    )


def test_fenced_code_is_shown_as_written():
    html = str(render_body("```python\nif a < b and *c*:\n    print('x')\n```"))
    assert_html_equal(html, "<pre><code>if a &lt; b and *c*:\n    print('x')\n</code></pre>")


def test_footnotes_definitions_abbreviations_and_image_sizes_still_render():
    html = str(
        render_body(
            "HUR said so.[^1]\n\n*[HUR]: Military Intelligence of Ukraine\n\n"
            "Shell\n: A round of artillery ammunition.\n\n"
            "![A map](/media/map.png){width=300}\n\n[^1]: On Jan. 15."
        )
    )
    assert '<abbr title="Military Intelligence of Ukraine">HUR</abbr>' in html
    assert "*[HUR]" not in html
    assert '<sup><a href="#fn1" rel="noopener noreferrer">1</a></sup>' in html
    assert "On Jan. 15." in html
    assert "Shell" in html and "A round of artillery ammunition." in html and ": A" not in html
    assert '<img src="/media/map.png" alt="A map" width="300">' in html


def test_a_body_of_five_thousand_brackets_renders_and_saves():
    # Python-Markdown took seconds over this; see bench/body_render.py for the times.
    body = "[" * 5_000
    assert str(render_body(body)) == f"<p>{body}</p>"
    assert body_errors(body) == []
    assert ArticleFactory.build(body=body).compute_reading_time() >= 1


@pytest.mark.parametrize("written", ["[", "![", "[^", "*a", "<a", "[a]["])
def test_a_body_too_full_of_markdown_to_show_quickly_is_refused_with_the_line(written):
    # Each sign costs time to read (up to a second for 10,000 of "![" and "*a" mixed): a body
    # within the length limit could tie up a worker for seconds, on every save and cache miss.
    body = "One.\n\nTwo.\n\nThree.\n\n" + written * 20_000
    signs = 6 + 20_000 * sum(written.count(sign) for sign in "[!^*<]")
    assert body_errors(body) == [
        "Line 7: here the body passes 5,000 line breaks and Markdown signs ([ ] * _ < > & # - : "
        f"| and the like); it has {signs:,}, more than any article needs, and each takes time "
        "to show. Split it into several articles."
    ]


def test_a_body_of_too_many_lines_is_refused_at_the_line_past_the_limit():
    assert body_errors("One.\n\n" + "Line.\n" * 10_000)[0].startswith(
        "Line 5001: here the body passes 5,000 line breaks and Markdown signs"
    )


def test_the_longest_abbreviation_is_marked_and_only_as_a_whole_word():
    html = str(render_body("*[HUR]: Intelligence\n*[HURs]: Agencies\n\nHURs, HUR, HURT."))
    assert html == (
        '<p><abbr title="Agencies">HURs</abbr>, <abbr title="Intelligence">HUR</abbr>, HURT.</p>'
    )


def test_an_abbreviation_explained_at_great_length_is_refused_with_its_line():
    body = "HUR said so.\n\n*[HUR]: " + "Military intelligence " * 10
    assert body_errors(body) == [
        "Line 3: the explanation of the abbreviation “HUR” is 219 characters long; the limit "
        "is 200."
    ]


def test_a_body_explains_at_most_fifty_abbreviations():
    definitions = "\n".join(f"*[A{number}]: Agency {number}" for number in range(51))
    assert body_errors(f"{definitions}\n\nA1 and A50.") == [
        "Line 51: a body may explain at most 50 abbreviations; this one is past the limit."
    ]


def test_a_page_repeats_an_abbreviations_explanation_at_most_a_thousand_times():
    html = str(render_body("*[HUR]: Military intelligence\n\n" + "HUR " * 1_500))
    assert html.count('<abbr title="Military intelligence">HUR</abbr>') == 1_000
    assert html.count("HUR") == 1_500


def test_a_body_of_up_to_200_000_characters_saves_and_a_longer_one_is_refused_with_its_length():
    # The limit the README gives editors.
    assert body_errors("x" * 200_000) == []
    assert body_errors("x" * 200_001) == [
        "The body is 200,001 characters long; the limit is 200,000. Split it into several articles."
    ]


SEVEN_LINES = "One.\n\nTwo.\n\nThree.\n\n"


@pytest.mark.parametrize("tag", SWALLOWING_TAGS)
@pytest.mark.parametrize(
    "written",
    [
        "<{tag}>",
        "<{TAG}>",
        "<{TAG} >",
        "<{tag}\nclass=x>",
        "<{tag}/>",
        '<{tag} class="x">',
        "Words before <{tag}> in a paragraph.",
        "> A quote with <{tag}>",
        "- A list item with <{tag}>",
    ],
)
def test_a_tag_that_would_swallow_the_rest_is_refused_with_its_line(tag, written):
    body = SEVEN_LINES + written.format(tag=tag, TAG=tag.upper()) + "\n\nThe rest of the story."
    assert body_errors(body) == [
        f"Line 7: “<{tag}>” is not allowed in the body; everything after it would be lost."
    ]


@pytest.mark.parametrize("written", ["<style\n>", "<STYLE >", "<title\n>"])
def test_a_tag_written_oddly_at_the_start_of_a_line_is_still_found(written):
    tag = written[1:6].lower()
    assert body_errors(f"{SEVEN_LINES}{written}\np {{ color: red }}\n\nThe rest.") == [
        f"Line 7: “<{tag}>” is not allowed in the body; everything after it would be lost."
    ]


@pytest.mark.parametrize(
    "body",
    [
        "<?php echo 1;\n\nThe rest.",
        '<div title="unfinished\n\nThe rest.',
        "<![CDATA[ x\n\nThe rest.",
    ],
)
def test_unfinished_html_that_hides_the_rest_is_refused_with_its_line(body):
    assert body_errors(f"{SEVEN_LINES}{body}") == [
        "Line 7: the HTML that starts here never ends; everything after it would be lost."
    ]


@pytest.mark.parametrize(
    ("body", "tags"),
    [
        # Inside an <svg> "<![CDATA[" runs to "]]>", not to the first ">".
        ("<svg>\n\n<![CDATA[ a > b\n\nThe rest.", ["svg"]),
        # The text sits in a <math> in an <svg>, which the sanitiser drops whole; the "</p>"
        # that ends the paragraph leaves them, so what follows shows.
        ("<svg><math>\nThe closing words.", ["math", "svg"]),
        ("<?</iframe><svg><math>\n\nThe closing words.", ["math", "svg"]),
        ("Intro <MATH>x", ["math"]),
    ],
)
def test_svg_and_mathml_whose_text_would_be_lost_are_refused_with_their_line(body, tags):
    assert body_errors(f"{SEVEN_LINES}{body}") == [
        f"Line 7: “<{tag}>” is not allowed in the body; everything after it would be lost."
        for tag in tags
    ]


def test_a_closed_svg_is_refused_and_the_editor_is_told_what_to_remove():
    assert body_errors("Intro <svg>x</svg> words.") == [
        "Line 1: “<svg>” is not allowed in the body; remove it and its “</svg>”."
    ]


def test_unfinished_html_after_harmless_tags_is_refused_at_its_own_line():
    body = "Intro with <b>bold</b> words.\n\n<?php echo 1;\n\nThe rest."
    assert body_errors(f"{SEVEN_LINES}{body}") == [
        "Line 9: the HTML that starts here never ends; everything after it would be lost."
    ]


def test_a_tag_inside_a_block_of_html_is_refused_at_its_own_line():
    assert body_errors("Intro.\n\n<div>\n<style>\np { color: red }\n</div>\n\nThe rest.") == [
        "Line 4: “<style>” is not allowed in the body; everything after it would be lost."
    ]


def test_a_closed_style_is_refused_too_and_the_editor_is_told_what_to_remove():
    assert body_errors("Intro.\n\n<style>p { color: red }</style>\n\nMore.") == [
        "Line 3: “<style>” is not allowed in the body; remove it and its “</style>”."
    ]


def test_the_line_counts_from_the_top_of_the_body_across_cards():
    body = "Intro.\n\n:::card\ntitle: Related\n:::\n\nAfter the card.\nStill <title> here."
    assert body_errors(body) == [
        "Line 8: “<title>” is not allowed in the body; everything after it would be lost."
    ]


def test_a_comment_left_open_is_refused_but_a_closed_one_is_kept_out_of_sight():
    assert body_errors("Intro.\n\n<!-- note to the desk\n\nThe story.") == [
        "Line 3: the comment “<!--” opened here is never closed; everything after it would be lost."
    ]
    body = "Intro.\n\n<!-- note to the desk -->\n\nThe story."
    assert body_errors(body) == []
    assert "The story." in str(render_body(body)) and "note" not in str(render_body(body))


def test_a_comment_opened_twice_and_never_closed_is_refused_where_it_was_first_opened():
    assert body_errors("Intro.\n\n<!-- note to the desk\n\n<!-- another\n\nThe story.") == [
        "Line 3: the comment “<!--” opened here is never closed; everything after it would be lost."
    ]


@pytest.mark.parametrize(
    "body",
    [
        "Write `<style>` to add CSS.",
        "```html\n<style>p {}</style>\n<title>x\n```",
        "    <script>indented code</script>",
        "A <stylesheet> is not a style, nor is <titles>.",
        "An escaped \\<style> is text.",
    ],
)
def test_tag_names_as_text_or_code_are_not_refused(body):
    assert body_errors(body + "\n\nThe rest of the story.") == []
    assert "The rest of the story." in str(render_body(body + "\n\nThe rest of the story."))


HTML_PIECES = st.sampled_from(
    [
        *(f"<{tag}>" for tag in SWALLOWING_TAGS),
        *(f"</{tag}>" for tag in SWALLOWING_TAGS),
        "<STYLE >", "<style\n>", "<Title/>", "<svg>", "<math>", "<select>", "<table>",
        "<!--", "-->", "<!-->", "--!>", "<?", "<![CDATA[", "<div>", "</div>", "<p>",
        "<a href='/", '<div title="',
        "`", "```", "\n", "\n\n", "> ", "- ", "    ", "text", '"', "'", "=", " ",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(HTML_PIECES, max_size=12).map("".join))
def test_a_body_that_saves_shows_its_last_paragraph(start):
    body = f"{start}\n\nThe closing words."
    if body_errors(body) == []:
        text = html.unescape(strip_tags(str(render_body(body))))
        assert text.rstrip().endswith("The closing words.")


@pytest.mark.parametrize(
    ("body", "line", "link"),
    [
        ("Intro.\n\n[Click](javascript:alert(1))", 3, "javascript:alert(1)"),
        ("Intro.\n\nSee [this](/\\evil.example/x).", 3, "/\\evil.example/x"),
        ("Intro.\nSee [this](//evil.example/x).", 2, "//evil.example/x"),
        ("Intro.\n\n<javascript:alert(1)>", 3, "javascript:alert(1)"),
        ('Intro.\n\n<a href="java&#9;script:alert(1)">x</a>', 3, "java\\tscript:alert(1)"),
        ("[this][ref]\n\n[ref]: /\\evil.example", 1, "/\\evil.example"),
        ('<abbr\ntitle="Kyiv">K</abbr>\nsee [this](//evil.example).', 3, "//evil.example"),
        # A note that cites itself is drawn before any line of the body has been read.
        ("[^1]: See ^[[this](//evil.example)] [^1]", 1, "//evil.example"),
    ],
)
def test_a_body_link_that_is_not_safe_is_refused_with_its_line(body, line, link):
    assert body_errors(body) == [
        f"Line {line}: the link “{link}” is neither an http(s) or mailto address nor a path "
        "on this site."
    ]


@pytest.mark.parametrize(
    "body",
    [
        "[Click](javascript:alert(1))",
        "[Click](/\\evil.example/x)",
        "[Click](//evil.example/x)",
        "<a href='/\\evil.example/x'>Click</a>",
        "<a href='java&#9;script:alert(1)'>Click</a>",
    ],
)
def test_a_stored_body_link_that_is_not_safe_is_not_clickable(body):
    html = str(render_body(body))
    assert "Click" in html and "href" not in html


def test_a_card_with_a_link_is_accepted():
    body = "Intro.\n\n:::card\ntitle: Related\nlink: https://example.com/a\n:::"
    assert body_errors(body) == []
    assert parse_blocks(body)[1] == Card(title="Related", link="https://example.com/a")


@pytest.mark.django_db
def test_a_card_with_an_article_line_is_accepted():
    target = ArticleFactory(slug="shells-to-russia")
    body = f"Intro.\n\n:::card\narticle: {target.slug}\n:::"
    assert body_errors(body) == []
    assert parse_blocks(body)[1] == Card(article="shells-to-russia")


def test_a_card_without_a_title_is_refused_with_its_line():
    body = "Intro.\n\n:::card\nexcerpt: No title\nlink: https://example.com/a\n:::"
    assert body_errors(body) == ["Line 3: the card needs a title: or an article: line."]


def test_a_card_with_both_a_link_and_an_article_is_refused_with_its_line():
    body = "Intro.\n\n:::card\ntitle: T\nlink: https://example.com/a\narticle: some-slug\n:::"
    assert body_errors(body) == ["Line 3: the card gives both link: and article:; keep one."]


@pytest.mark.parametrize(
    "link", [link for link in UNSAFE_LINKS if link and link == link.strip() and "\n" not in link]
)
def test_a_card_link_that_is_not_safe_is_refused_with_its_line(link):
    body = f"Intro.\n\n:::card\ntitle: Related\nlink: {link}\n:::"
    errors = body_errors(body)
    assert len(errors) == 1 and errors[0].startswith("Line 3: the card has a link, “")


def preview_paragraphs(html):
    """The live preview's paragraphs in turn, an error as its "Line N" alone."""
    paragraphs = [text(p) for p in find_all(parse(html), "p")]
    return [p.split(":")[0] if p.startswith("Line ") else p for p in paragraphs]


def test_the_live_preview_shows_each_error_once_after_the_block_holding_its_line(editor_client):
    body = (
        ":::image\nid: 9999\n:::\n\n"
        "Middle [paragraph](javascript:alert(1)).\n\n"
        ":::image\nid: 9998\n:::\n\n"
        "Last paragraph."
    )
    response = editor_client.post(reverse("admin:articles_article_live_preview"), {"body": body})
    assert preview_paragraphs(response.json()["html"]) == [
        "Line 1",
        "Middle paragraph.",
        "Line 5",
        "Line 7",
        "Last paragraph.",
    ]


def test_a_message_without_a_line_is_shown_above_the_whole_body_in_the_preview():
    too_long = "The body is 200,001 characters long; the limit is 200,000."
    blocks = parse_blocks("First paragraph.\n\nLast paragraph.")
    html = render_with_errors(blocks, ["Line 3: a message about the last one.", too_long])
    assert preview_paragraphs(html) == [too_long, "First paragraph.", "Last paragraph.", "Line 3"]
