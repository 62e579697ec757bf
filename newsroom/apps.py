from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """What belongs to the whole site: freshness, addresses, roles, the audit log, the demo."""

    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        from newsroom import freshness
        from newsroom.webhooks import events

        freshness.connect()
        events.connect()
        name_the_admin()
        check_media_storage()


def check_media_storage():
    """Stop at start-up, not at the first upload, when MEDIA_STORAGE names no importable class."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.utils.module_loading import import_string

    backend = settings.STORAGES["default"]["BACKEND"]
    try:
        import_string(backend)
    except ImportError as error:
        raise ImproperlyConfigured(
            f"MEDIA_STORAGE names {backend!r}, which cannot be imported ({error}). For "
            'django-storages\' backends install the extra: pip install ".[s3]".'
        ) from None


def name_the_admin():
    """The admin carries the newsroom's name (its logo: templates/admin/base_site.html)."""
    from django.conf import settings
    from django.contrib import admin

    name = settings.NEWSROOM["SITE_NAME"]
    admin.site.site_header = f"{name} · Editors' desk"
    admin.site.site_title = f"{name} desk"
    admin.site.index_title = "Today on the desk"
    # The page's width goes to the article list and the body's live preview; the dashboard and
    # the breadcrumbs lead everywhere the sidebar did.
    admin.site.enable_nav_sidebar = False
