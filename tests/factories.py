"""Small factories for test data."""

import io
from datetime import timedelta

import factory
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
