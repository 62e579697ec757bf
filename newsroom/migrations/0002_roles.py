"""Give the roles their permissions again now that the audit log belongs to this app."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    from newsroom import roles

    roles.sync_groups_in_migration(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_initial"),
        ("articles", "0006_auditentry_moves_to_newsroom"),
        ("feed", "0002_feedremoval_and_more"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
