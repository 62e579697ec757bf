"""The audit log moves here from the articles app; its table stays where it is."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0005_article_import_digest"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("when", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ("action", models.CharField(choices=[("submitted", "Submitted for review"), ("withdrawn", "Sent back to draft"), ("published", "Published"), ("scheduled", "Scheduled"), ("unpublished", "Unpublished"), ("restored", "Restored a revision"), ("edited", "Edited")], max_length=12)),
                        ("object_id", models.CharField(max_length=64)),
                        ("object_repr", models.CharField(max_length=300, verbose_name="object")),
                        ("note", models.TextField(blank=True)),
                        ("content_type", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="contenttypes.contenttype")),
                        ("user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="audit_entries", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "audit entry",
                        "verbose_name_plural": "audit log",
                        "db_table": "articles_auditentry",
                        "ordering": ["-when", "-id"],
                        "indexes": [models.Index(fields=["content_type", "object_id"], name="audit_object")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
