"""What narrating costs: seconds of work per 1,000 words, beside the article's reading time.

Narrates the imported sample and a 2,000-word article made of its paragraphs, with the
configured voice (eSpeak NG by default), on a throwaway SQLite database. Prints, for each,
the words read, the time the job took (best of 3), that time per 1,000 words, the length of
the audio and the reading time the page shows.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FOLDER = Path(tempfile.mkdtemp())
os.environ["DATABASE_URL"] = f"sqlite:///{FOLDER / 'bench.sqlite3'}"
os.environ["MEDIA_ROOT"] = str(FOLDER / "media")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from articles.models import Article  # noqa: E402
from narration import backends, generate  # noqa: E402
from narration.models import Narration  # noqa: E402

ROUNDS = 3


def narrate(article):
    best = None
    for _ in range(ROUNDS):
        start = time.perf_counter()
        outcome = generate.run(article.pk, force=True)
        took = time.perf_counter() - start
        assert outcome.result == "made", outcome
        best = took if best is None else min(best, took)
    return best


def main():
    problem = backends.current().problem()
    if problem:
        sys.exit(problem)
    call_command("migrate", verbosity=0)
    call_command("import_text", str(ROOT / "samples/kyiv-independent-2024-01-21.txt"), verbosity=0)
    sample = Article.objects.get()
    paragraphs = [p for p in sample.body.split("\n\n") if p and not p.startswith(":::")]
    long = Article.objects.create(
        headline="A long read",
        body="\n\n".join(paragraphs * 8),
        status="published",
    )
    print(f"voice: {backends.current().label}, best of {ROUNDS}, 1 job at a time")
    print(
        f"{'article':<14}{'words':>7}{'job (s)':>10}{'s / 1,000 words':>18}"
        f"{'audio':>9}{'reading time':>14}"
    )
    for name, article in (("the sample", sample), ("a long read", long)):
        took = narrate(article)
        narration = Narration.objects.get(article=article)
        article.refresh_from_db()
        audio = f"{int(narration.duration // 60)}:{round(narration.duration % 60):02d}"
        print(
            f"{name:<14}{narration.words:>7}{took:>10.2f}{took / narration.words * 1000:>18.2f}"
            f"{audio:>9}{article.reading_time:>10} min"
        )


if __name__ == "__main__":
    main()
