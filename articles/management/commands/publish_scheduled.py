from django.core.management.base import BaseCommand

from articles import workflow
from newsroom import dates


class Command(BaseCommand):
    help = (
        "Mark scheduled articles whose time has come as published, in the audit log too. "
        "Readers see them at their time without this; run it from cron for tidy statuses. "
        "An article without an author is left scheduled, and named."
    )

    def handle(self, *args, **options):
        due = workflow.publish_due()
        for article in due.published:
            when = dates.desk_time(article.published_at)
            self.stdout.write(f"Published “{article}” (scheduled for {when}).")
        for article in due.held:
            self.stdout.write(
                f"Not marked published “{article}”: its byline is empty. Add an author to it."
            )
        summary = f"{len(due.published)} scheduled article(s) published"
        if due.held:
            summary += f", {len(due.held)} left scheduled without an author"
        self.stdout.write(f"{summary}.")
