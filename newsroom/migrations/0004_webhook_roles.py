"""Let chief editors manage webhooks and read their delivery log."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    from newsroom import roles

    roles.sync_groups_in_migration(apps)


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0003_webhooks")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
