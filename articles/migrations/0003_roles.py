"""Create the Contributor, Editor and Chief editor groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# The roles as they were when this migration was written; newsroom/roles.py holds today's,
# and later migrations (newsroom 0002) bring the groups up to date.
ALL = ["add", "change", "delete", "view"]
EDITOR = {
    "articles.article": [*ALL, "publish", "schedule", "unpublish"],
    "articles.articleauthor": ALL,
    "articles.author": ALL,
    "articles.section": ALL,
    "articles.tag": ALL,
    "articles.auditentry": ["view"],
    "feed.feeditem": ALL,
}
GROUPS = {
    "Contributor": {
        "articles.article": ["add", "change", "view"],
        "articles.articleauthor": ALL,
        "articles.author": ["view"],
        "articles.section": ["view"],
        "articles.tag": ["view"],
    },
    "Editor": EDITOR,
    "Chief editor": {**EDITOR, "auth.user": ALL, "auth.group": ["view"]},
}


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so the groups get them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    for name, permissions in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [
                Permission.objects.get(
                    content_type__app_label=label.split(".")[0],
                    content_type__model=label.split(".")[1],
                    codename=f"{verb}_{label.split('.')[1]}",
                )
                for label, verbs in permissions.items()
                for verb in verbs
            ]
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_workflow"),
        ("feed", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
