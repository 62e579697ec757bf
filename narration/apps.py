from django.apps import AppConfig


class NarrationConfig(AppConfig):
    """Articles read aloud: generated on publish, played on the page, listed as a podcast."""

    name = "narration"
    verbose_name = "Narration"

    def ready(self):
        from narration import signals

        signals.connect()
