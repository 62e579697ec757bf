"""A feed item drawn as HTML: its one template (templates/jinja2/feed/item.html), for the
feed's pages, the side boxes of other pages ({% feed_item %}) and the "html" of
/feed/updates.json that open pages insert."""

from django.template import engines
from django.utils.safestring import mark_safe

ITEM_TEMPLATE = "feed/item.html"
VARIANTS = ("page", "compact", "detail")


def item_html(item, variant="page", hide_section=False):
    """The item's <article>: see the template for what `variant` and `hide_section` change."""
    if variant not in VARIANTS:
        raise ValueError(f"a feed item is drawn as one of {', '.join(VARIANTS)}, not {variant!r}")
    context = {"item": item, "variant": variant, "hide_section": hide_section}
    return mark_safe(engines["jinja2"].get_template(ITEM_TEMPLATE).render(context))
