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
