from django.core.management.base import BaseCommand

from search import index


class Command(BaseCommand):
    help = "Write every search entry afresh from the articles and feed items."

    def handle(self, *args, **options):
        written = index.rebuild()
        self.stdout.write(f"{written} articles and feed items indexed.")
