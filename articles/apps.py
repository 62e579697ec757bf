from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from articles import listings, revisions, signals

        revisions.register()
        signals.connect()
        listings.connect()
