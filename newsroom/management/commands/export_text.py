from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from newsroom.capture import export


class Command(BaseCommand):
    help = (
        "Write articles as captured pages, the shape import_text reads: to standard output, "
        "or one <slug>.txt per article into a folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG", help="Articles to export.")
        parser.add_argument("--all", action="store_true", help="Export every article.")
        parser.add_argument("--output", "-o", metavar="FOLDER", help="Write files here.")

    def handle(self, *args, slugs, all, output, verbosity, **options):
        if not slugs and not all:
            raise CommandError("Name the articles to export by slug, or pass --all.")
        articles = Article.objects.with_authors().order_by("id")
        if slugs:
            articles = articles.filter(slug__in=slugs)
            missing = sorted(set(slugs) - set(articles.values_list("slug", flat=True)))
            if missing:
                raise CommandError(f"No article with the slug {', '.join(missing)}.")
        folder = Path(output) if output else None
        if folder:
            folder.mkdir(parents=True, exist_ok=True)
        written, skipped = 0, 0
        for article in articles.iterator(chunk_size=200):
            try:
                page = export.export_page(article)
            except export.ExportError as error:
                self.stderr.write(f"Skipped {error}.")
                skipped += 1
                continue
            if folder:
                (folder / f"{article.slug}.txt").write_text(page, encoding="utf-8")
            else:
                self.stdout.write(page, ending="")
            written += 1
        if folder and verbosity >= 1:
            self.stdout.write(f"Wrote {written} pages to {folder}.")
        if skipped:
            raise CommandError(f"{skipped} articles could not be exported.", returncode=1)
