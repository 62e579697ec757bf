"""The newsroom's roles, as Django groups and the permissions each one holds.

The data migration that creates the groups reads GROUPS from here, so this is the one place
that says who may do what; articles/workflow.py turns the permissions into status moves.
"""

CONTRIBUTOR = "Contributor"
EDITOR = "Editor"
CHIEF_EDITOR = "Chief editor"

ALL = ["add", "change", "delete", "view"]

CONTRIBUTOR_PERMISSIONS = {
    "articles.article": ["add", "change", "view"],
    "articles.articleauthor": ALL,
    "articles.author": ["view"],
    "articles.section": ["view"],
    "articles.tag": ["view"],
    "articles.mediaimage": ["add", "view"],
}

EDITOR_PERMISSIONS = {
    "articles.article": [*ALL, "publish", "schedule", "unpublish"],
    "articles.articleauthor": ALL,
    "articles.author": ALL,
    "articles.section": ALL,
    "articles.tag": ALL,
    "articles.mediaimage": ALL,
    "newsroom.auditentry": ["view"],
    "feed.feeditem": ALL,
    "articles.correction": ALL,
    "articles.featuredarticle": ALL,
    "articles.redirect": ["view", "delete"],
    "search.synonym": ALL,
}

CHIEF_EDITOR_PERMISSIONS = {
    **EDITOR_PERMISSIONS,
    "auth.user": ALL,
    "auth.group": ["view"],
    "newsroom.webhook": ALL,
    "newsroom.webhookdelivery": ["view"],
}

GROUPS = {
    CONTRIBUTOR: CONTRIBUTOR_PERMISSIONS,
    EDITOR: EDITOR_PERMISSIONS,
    CHIEF_EDITOR: CHIEF_EDITOR_PERMISSIONS,
}


def codenames(permissions):
    """Yield (app_label, model, codename) for a {"app.model": [verbs]} mapping."""
    for label, verbs in permissions.items():
        app_label, model = label.split(".")
        for verb in verbs:
            yield app_label, model, f"{verb}_{model}"


def sync_groups(Group, Permission):
    """Create the groups and give them exactly their permissions (models may be historical).

    A permission that does not exist yet (its model comes with a later migration) is left
    out; the migration that makes the model syncs again.
    """
    existing = {
        (p.content_type.app_label, p.content_type.model, p.codename): p
        for p in Permission.objects.select_related("content_type")
    }
    for name, permissions in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([existing[key] for key in codenames(permissions) if key in existing])


def sync_groups_when_migrating(apps, schema_editor):
    """For a data migration's RunPython."""
    sync_groups_in_migration(apps)


def sync_groups_in_migration(apps):
    """sync_groups() from a data migration, with the permissions of the models it knows."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; make them now so the groups get them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def is_contributor_only(user):
    """A contributor who may not edit other people's work (no editor rights)."""
    return not user.has_perm("articles.publish_article") and not user.is_superuser
