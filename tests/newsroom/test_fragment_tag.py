"""{% fragment %} (newsroom/templatetags/fragments.py): a template that misuses it is refused
when it is loaded, with what is wrong, never drawn with a part kept under the wrong tokens."""

import pytest
from django.template import Template, TemplateSyntaxError


@pytest.mark.parametrize(
    "tag, error",
    [
        ("{% fragment %}", "fragment needs a name in quotes first"),
        ("{% fragment boxes %}", "fragment needs a name in quotes first"),
        (
            '{% fragment "boxes" depends="pages weather" %}',
            'fragment: depends names pages, feed, not depends="pages weather"',
        ),
        (
            '{% fragment "boxes" depends="" %}',
            'fragment: depends names pages, feed, not depends=""',
        ),
    ],
)
def test_a_fragment_without_a_name_or_with_unknown_tokens_is_refused(tag, error):
    with pytest.raises(TemplateSyntaxError) as refused:
        Template("{% load fragments %}" + tag + "x{% endfragment %}")
    assert str(refused.value) == error


def test_a_fragment_is_drawn_as_its_content_where_nothing_is_kept(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    from django.template import Context

    template = Template('{% load fragments %}<p>{% fragment "note" %}{{ x }}{% endfragment %}</p>')
    assert template.render(Context({"x": "<b>"})) == "<p>&lt;b&gt;</p>"
