"""Small factories for test data."""

import io
from datetime import timedelta

import factory
import reversion
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, ArticleAuthor, Author, Section, Status, Tag
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


# What the admin's article change form posts.


def local_parts(moment):
    """A time as the admin's date and time boxes show it, in the site time zone."""
    if moment is None:
        return "", ""
    moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d"), moment.strftime("%H:%M:%S")


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
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
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
