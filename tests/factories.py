"""Small factories for test data."""

import io
from datetime import timedelta

import factory
import reversion
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import (
    Article,
    ArticleAuthor,
    ArticleReads,
    Author,
    Correction,
    Section,
    Status,
    Tag,
)
from feed.models import FeedItem


def image_file(name="photo.jpg", size=(1200, 800), colour=(30, 90, 160), fmt="JPEG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Reporter {n}")
    kind = Author.Kind.PERSON


class DeskFactory(AuthorFactory):
    name = "The Kyiv Independent news desk"
    kind = Author.Kind.DESK


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Section {n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Tag {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Headline number {n}")
    body = "First paragraph of the story.\n\nSecond paragraph of the story."
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    section = factory.SubFactory(SectionFactory)

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        for position, author in enumerate(extracted):
            ArticleAuthor.objects.create(article=self, author=author, position=position)


class FeedItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedItem

    headline = factory.Sequence(lambda n: f"Feed update {n}")
    summary = "A short summary of what happened."
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=5))
    status = FeedItem.Status.PUBLISHED


def article_with_everything(**kwargs):
    """An article with all its page draws: a hero picture, a card to one of ours, a person and
    a desk in the byline, a tag, a related article and a correction; and beside it a popular
    article and a feed item of its section. `kwargs` go to the article (status, ...)."""
    section = SectionFactory(name="Ukraine news")
    shells = ArticleFactory(
        headline="North Korea supplying shells to Russia",
        section=section,
        authors=[AuthorFactory(name="Elsa Court")],
    )
    ArticleReads.objects.create(article=shells, day=timezone.localdate(), count=12)
    FeedItemFactory(headline="Ships leave Odesa", section=section)
    article = ArticleFactory(
        headline="Media: Putin preparing to visit North Korea",
        section=section,
        body=(
            "Russian dictator Vladimir Putin announced his willingness to visit Pyongyang.\n\n"
            ":::card\narticle: north-korea-supplying-shells-to-russia\n:::\n\n"
            "In the short term, this cooperation has already been felt in Ukraine."
        ),
        hero_image=image_file("putin.jpg", size=(1280, 800)),
        hero_alt="Vladimir Putin and Choe Son Hui shake hands in Moscow",
        hero_caption="Putin meets North Korea's foreign minister.",
        authors=[AuthorFactory(name="Rachel Amran"), DeskFactory()],
        **kwargs,
    )
    article.tags.set([TagFactory(name="North Korea")])
    article.related_articles.set([shells])
    Correction.objects.create(article=article, text="An earlier version misspelt a name.")
    return article


# What the admin's article change form posts.


def local_parts(moment):
    """A time as the admin's date and time boxes show it, in the site time zone."""
    if moment is None:
        return "", ""
    moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d"), moment.strftime("%H:%M:%S")


def management_form(prefix, total=0, initial=0):
    """The hidden counts the change form posts for one of its inlines."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def change_form(article, **overrides):
    """The data the change form posts for `article` as it is, with `overrides` applied."""
    published_at = overrides.pop("published_at", article.published_at)
    day, time = local_parts(published_at)
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "dek": article.dek,
        "body": article.body,
        "status": article.status,
        "published_at_0": day,
        "published_at_1": time,
        "excerpt": article.excerpt,
        "section": article.section_id or "",
        "hero_caption": "",
        "hero_credit": "",
        "hero_alt": "",
        "loaded_version": article.version,
        **management_form("bylines"),
        **management_form("corrections"),
        **management_form("narration"),
    }
    for index, byline in enumerate(article.bylines.all() if article.pk else []):
        data[f"bylines-{index}-id"] = byline.pk
        data[f"bylines-{index}-article"] = article.pk
        data[f"bylines-{index}-position"] = byline.position
        data[f"bylines-{index}-author"] = byline.author_id
        data["bylines-TOTAL_FORMS"] = data["bylines-INITIAL_FORMS"] = str(index + 1)
    data.update(overrides)
    return data


def article_in(status, owner, **kwargs):
    """An article in `status` started by `owner`, with the publication time that status needs
    and an author (the desk moves no article with an empty byline)."""
    now = timezone.now()
    times = {
        Status.SCHEDULED: now + timedelta(days=1),
        Status.PUBLISHED: now - timedelta(hours=2),
        Status.UNPUBLISHED: now - timedelta(days=2),
    }
    kwargs.setdefault("published_at", times.get(status))
    kwargs.setdefault("authors", [AuthorFactory()])
    with reversion.create_revision():  # its first revision holds its byline too
        return ArticleFactory(status=status, created_by=owner, **kwargs)


def change_url(article):
    """The admin change form of `article`."""
    return f"/admin/articles/article/{article.pk}/change/"


def run_action(client, action, *articles):
    """Tick `articles` in the admin's list, run `action`, and return the messages shown."""
    response = client.post(
        "/admin/articles/article/",
        {"action": action, "_selected_action": [article.pk for article in articles]},
        follow=True,
    )
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]
