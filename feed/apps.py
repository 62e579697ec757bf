from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "feed"
    verbose_name = "Live news feed"

    def ready(self):
        from django.db.models.signals import post_migrate

        from feed import changes, signals  # noqa: F401

        post_migrate.connect(changes.install, sender=self, dispatch_uid="feed-change-numbers")
