from django.db import migrations, models

HELP = "Set by the database on every write, in commit order: see feed/changes.py."


def drop_triggers(apps, schema_editor):
    """Going back: the triggers write change_number, which is about to go."""
    tables = ["feed_feeditem", "feed_feedremoval"]
    if schema_editor.connection.vendor == "postgresql":
        statements = [f"DROP TRIGGER IF EXISTS feed_numbered ON {table}" for table in tables]
        statements.append("DROP FUNCTION IF EXISTS feed_number_change()")
    else:
        statements = [
            f"DROP TRIGGER IF EXISTS {table}_numbered_on_{event}"
            for table in tables
            for event in ("insert", "update")
        ]
        statements.append("DROP TABLE IF EXISTS feed_change_counter")
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("feed", "0003_refuse_control_characters"),
    ]

    operations = [
        migrations.AddField(
            model_name="feeditem",
            name="change_number",
            field=models.BigIntegerField(default=0, editable=False, help_text=HELP),
        ),
        migrations.AddField(
            model_name="feedremoval",
            name="change_number",
            field=models.BigIntegerField(db_index=True, default=0, editable=False, help_text=HELP),
        ),
        migrations.AddIndex(
            model_name="feeditem",
            index=models.Index(fields=["change_number"], name="feeditem_change_number"),
        ),
        # The triggers are made by feed.changes.install() after every migrate, this one's too.
        migrations.RunPython(migrations.RunPython.noop, drop_triggers),
    ]
