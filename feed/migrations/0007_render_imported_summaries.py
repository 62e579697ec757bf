"""Imported feed items were written without their summary's HTML, and an import that edited a
summary left the HTML of the old one: every item's HTML is made again from its summary."""

from django.db import migrations

from articles.rendering import markdown_to_html

BATCH = 1000


def render_summaries(apps, schema_editor):
    FeedItem = apps.get_model("feed", "FeedItem")
    items = FeedItem.objects.exclude(summary="").only("summary", "summary_rendered")
    changed = []
    for item in items.iterator(chunk_size=BATCH):
        html = str(markdown_to_html(item.summary))
        if html != item.summary_rendered:
            item.summary_rendered = html
            changed.append(item)
        if len(changed) == BATCH:
            FeedItem.objects.bulk_update(changed, ["summary_rendered"])
            changed = []
    FeedItem.objects.bulk_update(changed, ["summary_rendered"])


class Migration(migrations.Migration):
    dependencies = [("feed", "0006_feeditem_modified_at")]

    operations = [migrations.RunPython(render_summaries, migrations.RunPython.noop)]
