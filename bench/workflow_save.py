"""What keeping revisions costs: saving an article with its revision against a plain save.

Runs on a throwaway SQLite database; prints the time per save of each and their ratio.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = Path(tempfile.mkdtemp()) / "bench.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db.models.signals import post_save  # noqa: E402

from articles import revisions  # noqa: E402
from articles.models import Article, ArticleAuthor, Author  # noqa: E402

SAVES = 300
ROUNDS = 3


def save_many(article):
    start = time.perf_counter()
    for number in range(SAVES):
        article.body = f"Paragraph {number}.\n\nAnother paragraph."
        article.save()
    return (time.perf_counter() - start) / SAVES


def main():
    call_command("migrate", verbosity=0)
    article = Article.objects.create(headline="Benchmark article", body="Text.")
    ArticleAuthor.objects.create(article=article, author=Author.objects.create(name="Writer"))
    with_revisions, plain = [], []
    for _ in range(ROUNDS):
        with_revisions.append(save_many(article))
        post_save.disconnect(dispatch_uid="article_revision", sender=Article)
        plain.append(save_many(article))
        post_save.connect(
            revisions.record_outside_admin, sender=Article, dispatch_uid="article_revision"
        )
    best_with, best_plain = min(with_revisions), min(plain)
    print(f"{SAVES} saves x {ROUNDS} rounds, best round, SQLite")
    print(f"plain save:           {best_plain * 1000:.2f} ms")
    print(f"save with a revision: {best_with * 1000:.2f} ms")
    print(f"ratio:                {best_with / best_plain:.2f}x")


if __name__ == "__main__":
    main()
