"""What each event tells: the object's public data, with absolute addresses on the site."""

import json

from newsroom.seo import absolute


def when(moment):
    return moment.isoformat() if moment else None


def subject(thing):
    """A section, author or tag as {"name", "url"}; None for none."""
    if thing is None:
        return None
    return {"name": thing.name, "url": absolute(thing.get_absolute_url())}


def article(article):
    """An article as readers see it (its body stays on the page); load it with for_detail()."""
    image = None
    if article.hero_image:
        image = {
            "url": absolute(article.hero_image.url),
            "alt": article.hero_alt,
            "caption": article.hero_caption,
            "credit": article.hero_credit,
        }
    return {
        "id": article.pk,
        "url": absolute(article.get_absolute_url()),
        "headline": article.headline,
        "dek": article.dek,
        "excerpt": article.excerpt,
        "section": subject(article.section),
        "authors": [subject(author) for author in article.ordered_authors],
        "tags": [subject(tag) for tag in article.tags.all()],
        "image": image,
        "reading_time_minutes": article.reading_time,
        "published_at": when(article.published_at),
        "updated_at": when(article.updated_at),
    }


def feed_item(item):
    """A feed item as readers see it; `link` is where it leads (its article while public)."""
    return {
        "id": item.pk,
        "url": absolute(item.get_absolute_url()),
        "headline": item.headline,
        "summary": item.summary,
        "summary_html": str(item.summary_html()),
        "section": subject(item.section),
        "link": absolute(item.link) if item.link else None,
        "pinned": item.pinned,
        "published_at": when(item.published_at),
        "updated_at": when(item.updated_at),
    }


def readers_see(data):
    """The part of an object's data that a change to counts as an update."""
    return {key: value for key, value in data.items() if key != "updated_at"}


def body(event, occurred_at, key, data):
    """The JSON text posted: {"event", "occurred_at", key: data}."""
    document = {"event": event, "occurred_at": when(occurred_at), key: data}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))
