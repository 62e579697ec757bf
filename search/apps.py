from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from django.db.models.signals import post_migrate

        from search import backends, index

        index.connect()
        # SQLite drops a table's triggers when a migration rebuilds it: make them again after
        # every migrate, the test database's included.
        post_migrate.connect(backends.install, sender=self, dispatch_uid="search-triggers")
