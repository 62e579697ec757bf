"""{% load fragments %}, then {% fragment "name" value … [depends="pages feed"] %} …
{% endfragment %}: a part of a page drawn once and kept under the tokens it depends on
(newsroom/freshness.py), so that it shows any change at the next request.

The values (an article's id, a section's) tell one such part from another; the day is one of
them too, since times read "7:14 AM" only on their own day. `depends` names the tokens: "pages"
(the default) for anything articles draw, "feed" for feed items, whose page is then stale with
each new item. What the part draws must be the same for every reader of every page naming it.
"""

from django import template
from django.utils.safestring import mark_safe

from newsroom import freshness, times

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, vary, depends):
        self.nodelist, self.name, self.vary, self.depends = nodelist, name, vary, depends

    def render(self, context):
        request = getattr(context, "request", None)
        if "feed" in self.depends:
            freshness.uses_feed(request)
        vary = [times.today(), *(value.resolve(context) for value in self.vary)]
        html = freshness.fragment(
            request,
            self.name,
            lambda: str(self.nodelist.render(context)),
            depends=self.depends,
            vary=vary,
        )
        return mark_safe(html)


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError(f"{bits[0]} needs a name in quotes first")
    depends = ("pages",)
    vary = []
    for bit in bits[2:]:
        if bit.startswith("depends="):
            depends = tuple(bit.removeprefix("depends=").strip("\"'").split())
            if not depends or not set(depends) <= set(freshness.TOKENS):
                raise template.TemplateSyntaxError(
                    f"{bits[0]}: depends names {', '.join(freshness.TOKENS)}, not {bit}"
                )
        else:
            vary.append(parser.compile_filter(bit))
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, bits[1][1:-1], vary, depends)
