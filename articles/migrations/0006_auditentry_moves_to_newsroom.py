"""The audit log now belongs to the newsroom app; the table itself is not touched."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_article_import_digest"),
        ("newsroom", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEntry")],
            database_operations=[],
        ),
    ]
