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
}

CHIEF_EDITOR_PERMISSIONS = {
    **EDITOR_PERMISSIONS,
    "auth.user": ALL,
    "auth.group": ["view"],
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

    An earlier migration runs this against today's roles, before later migrations have made
    some of the models named here: their permissions wait for the migration that makes them.
    """
    made = {
        (label, model)
        for label, model in Permission.objects.values_list(
            "content_type__app_label", "content_type__model"
        ).distinct()
    }
    for name, permissions in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [
                Permission.objects.get(
                    content_type__app_label=app_label,
                    content_type__model=model,
                    codename=codename,
                )
                for app_label, model, codename in codenames(permissions)
                if (app_label, model) in made
            ]
        )


def sync_groups_in_migration(apps):
    """sync_groups() from a data migration, making the permissions Django makes only later."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def is_contributor_only(user):
    """A contributor who may not edit other people's work (no editor rights)."""
    return not user.has_perm("articles.publish_article") and not user.is_superuser
