"""Narrate articles now, in this process: `narrate SLUG ...`, `--missing`, `--force`."""

import sys

from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from narration import backends, generate


class Command(BaseCommand):
    help = (
        "Read published articles aloud now (the worker does this on publishing). Name articles "
        "by slug, or give --missing for every published article without a narration."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG", help="articles to narrate")
        parser.add_argument(
            "--missing",
            action="store_true",
            help="also every published article with no narration and no uploaded reading",
        )
        parser.add_argument(
            "--force", action="store_true", help="narrate again even if nothing changed"
        )

    def handle(self, *args, slugs, missing, force, verbosity, **options):
        if not slugs and not missing:
            raise CommandError("Name articles by slug, or give --missing.")
        problem = backends.current().problem()
        if problem:
            raise CommandError(problem)
        found = dict(Article.objects.filter(slug__in=slugs).values_list("slug", "pk"))
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            raise CommandError(f"No article with the slug {', '.join(unknown)}.")
        ids = [found[slug] for slug in slugs]
        if missing:
            ids += [pk for pk in generate.missing().values_list("pk", flat=True) if pk not in ids]
        counts = {"made": 0, "unchanged": 0, "skipped": 0, "failed": 0}
        progress = self._progress(len(ids), verbosity)
        for pk in ids:
            outcome = generate.run(pk, force=force)
            counts[outcome.result] += 1
            if outcome.why and verbosity >= 1:
                slug = Article.objects.filter(pk=pk).values_list("slug", flat=True).first()
                line = f"{slug}: {outcome.result}, {outcome.why}"
                (progress.write(line, file=sys.stderr) if progress else self.stderr.write(line))
            if progress:
                progress.update()
        if progress:
            progress.close()
        summary = (
            f"Narrated {counts['made']}, already up to date {counts['unchanged']}, "
            f"skipped {counts['skipped']}, failed {counts['failed']}."
        )
        if counts["failed"]:
            raise CommandError(summary)
        if verbosity >= 1:
            self.stdout.write(summary)

    def _progress(self, total, verbosity):
        if verbosity < 1 or not sys.stderr.isatty():
            return None
        from tqdm import tqdm

        return tqdm(total=total, unit="article", file=sys.stderr)
