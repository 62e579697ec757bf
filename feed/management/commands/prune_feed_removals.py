from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from feed.models import FeedRemoval


class Command(BaseCommand):
    help = (
        "Forget feed removals older than --days (default 7). Open pages poll every few "
        "seconds, so they heard of those long ago; run it daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7)

    def handle(self, *args, days, **options):
        if days < 1:
            raise CommandError(f"--days must be 1 or more; got {days}.")
        cutoff = timezone.now() - timedelta(days=days)
        deleted, _ = FeedRemoval.objects.filter(removed_at__lt=cutoff).delete()
        self.stdout.write(f"Forgot {deleted} feed removal(s) older than {days} day(s).")
