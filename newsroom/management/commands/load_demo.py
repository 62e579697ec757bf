from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from newsroom import demo, seo

SAMPLES = Path(settings.BASE_DIR) / "samples"


class Command(BaseCommand):
    help = "Load demo content (sample pages, sections, authors, feed items) and a demo editor."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo content and its known password are for local runs only.")
        created = demo.load()
        samples = sorted(SAMPLES.glob("*.txt"))
        if samples:
            call_command("import_text", *map(str, samples), verbosity=0)
        summary = ", ".join(f"{count} {kind}" for kind, count in created.items() if count)
        self.stdout.write(f"Demo content: {summary or 'already loaded'}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Editors log in at {seo.absolute('/admin/')} as "
                f"{demo.EDITOR_USERNAME} / {demo.EDITOR_PASSWORD}"
            )
        )
        for username, password, group, _ in demo.ROLE_USERS:
            self.stdout.write(f"  {group}: {username} / {password}")
