import pytest
from django.core.exceptions import ValidationError

from articles.models import Article
from articles.rendering import Card, Text, parse_blocks, render_body
from tests.factories import ArticleFactory, AuthorFactory

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
