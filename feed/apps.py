from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "feed"
    verbose_name = "Live news feed"

    def ready(self):
        from feed import signals  # noqa: F401
