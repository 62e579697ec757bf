from django.core.management.base import BaseCommand

from articles import workflow


class Command(BaseCommand):
    help = (
        "Mark scheduled articles whose time has come as published, in the audit log too. "
        "Readers see them at their time without this; run it from cron for tidy statuses."
    )

    def handle(self, *args, **options):
        due = workflow.publish_due()
        for article in due:
            self.stdout.write(
                f"Published “{article}” (scheduled for {article.published_at:%Y-%m-%d %H:%M})."
            )
        self.stdout.write(f"{len(due)} scheduled article(s) published.")
