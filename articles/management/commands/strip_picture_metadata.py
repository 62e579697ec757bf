from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from articles import picture_metadata


class Command(BaseCommand):
    help = (
        "Remove EXIF (the GPS position, the camera, the photographer), XMP, comments and colour "
        "profiles from pictures stored before uploads were re-encoded, as a new upload is. "
        "Pictures without any are left alone, so running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say which stored pictures carry metadata; change nothing.",
        )

    def handle(self, *args, dry_run, verbosity, **options):
        outcomes = picture_metadata.strip_stored(dry_run=dry_run)
        for outcome in outcomes:
            if outcome.state == "unreadable":
                self.stderr.write(f"{outcome.name}: left as it is. {outcome.problem}")
            elif verbosity >= 2 or (verbosity >= 1 and outcome.state == "stripped"):
                self.stdout.write(self._describe(outcome, dry_run))
        counts = Counter(outcome.state for outcome in outcomes)
        if verbosity >= 1:
            stripped = "would be stripped" if dry_run else "stripped"
            self.stdout.write(
                f"Pictures: {len(outcomes)} stored, {counts['stripped']} {stripped}, "
                f"{counts['clean']} already clean, {counts['missing']} missing, "
                f"{counts['unreadable']} unreadable."
            )
        if counts["unreadable"]:
            raise CommandError(
                f"{counts['unreadable']} stored pictures could not be read; they are as they were.",
                returncode=1,
            )

    def _describe(self, outcome, dry_run):
        if outcome.state != "stripped":
            return f"{outcome.name}: {outcome.state}"
        found = ", ".join(outcome.found)
        if dry_run:
            return f"{outcome.name}: carries {found}; would be stripped"
        return f"{outcome.name}: stripped {found}; now {outcome.new_name}"
