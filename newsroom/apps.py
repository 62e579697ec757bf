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
