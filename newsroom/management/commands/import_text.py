import sys

from django.core.management.base import BaseCommand, CommandError

from newsroom.capture import apply, parse, sources

STATES = ("imported", "updated", "unchanged", "failed")


class Command(BaseCommand):
    help = (
        "Import captured article pages: files, folders (every *.txt below them) or - for "
        "standard input. Re-importing a page changes nothing."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Parse and check, say what would be created or updated, write nothing.",
        )
        parser.add_argument(
            "--status",
            choices=["published", "draft"],
            default="published",
            help="Publish the articles and feed items (default) or import them as drafts.",
        )

    def handle(self, *args, paths, dry_run, status, verbosity, **options):
        importer = apply.Importer(status=status, dry_run=dry_run)
        counts = dict.fromkeys(STATES, 0)
        created = {"articles": 0, "authors": 0, "sections": 0, "feed items": 0}
        progress = self._progress(paths, verbosity)
        for name, outcome in importer.import_all(sources.iter_sources(paths, options.get("stdin"))):
            if isinstance(outcome, parse.PageError):
                counts["failed"] += 1
                where = f"{name}:{outcome.line}" if outcome.line else name
                self._write(progress, self.stderr, f"{where}: {outcome.message}")
            else:
                counts[outcome.state] += 1
                created["articles"] += outcome.article == "created"
                created["authors"] += len(outcome.authors_created)
                created["sections"] += len(outcome.sections_created)
                created["feed items"] += len(outcome.feed_created)
                if verbosity >= 2 or (dry_run and verbosity >= 1):
                    self._write(progress, self.stdout, self._describe(outcome, dry_run))
            if progress is not None:
                progress.update()
        if progress is not None:
            progress.close()
        if verbosity >= 1:
            self.stdout.write(self._summary(counts, created, dry_run))
        if counts["failed"]:
            raise CommandError(
                f"{counts['failed']} of {sum(counts.values())} files failed; "
                "nothing was written from them.",
                returncode=1,
            )

    def _progress(self, paths, verbosity):
        if verbosity < 1 or not sys.stderr.isatty():
            return None
        from tqdm import tqdm

        return tqdm(total=sources.count_pages(paths), unit="page", file=sys.stderr)

    def _write(self, progress, stream, message):
        if progress is None:
            stream.write(message)
            return
        with progress.external_write_mode():
            stream.write(message)

    def _describe(self, outcome, dry_run):
        would = "would be " if dry_run else ""
        lines = [f"{outcome.name}: {outcome.state}"]
        if outcome.article:
            verb = outcome.article if outcome.article == "unchanged" else would + outcome.article
            lines.append(f"  article {verb}: {outcome.headline}")
        lines += [f"  author {would}created: {name}" for name in outcome.authors_created]
        lines += [f"  section {would}created: {name}" for name in outcome.sections_created]
        for verb, items in (("created", outcome.feed_created), ("updated", outcome.feed_updated)):
            lines += [
                f"  feed item {would}{verb}: {item.published_at:%Y-%m-%d %H:%M} {item.headline}"
                for item in items
            ]
        return "\n".join(lines)

    def _summary(self, counts, created, dry_run):
        files = ", ".join(f"{count} {state}" for state, count in counts.items())
        made = ", ".join(f"{count} {kind}" for kind, count in created.items())
        if dry_run:
            return f"Dry run, nothing written. Files: {files}. Would create: {made}."
        return f"Files: {files}. Created: {made}."
