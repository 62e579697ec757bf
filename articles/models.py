import operator
from datetime import timedelta
from functools import reduce

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, When
from django.db.models.fields.files import FieldFile
from django.db.models.query import ModelIterable
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import get_text_list, slugify

from articles import readingtime, rendering, uploads
from newsroom import nested, prepared
from newsroom.paths import path_of
from newsroom.text import shortened, validate_one_line, validate_plain_text
from newsroom.visibility import Visibility

EXCERPT_LENGTH = 240


def unique_slug(model, text, instance_pk=None, max_length=200):
    """slugify(text), with -2, -3 ... added when another row already has it."""
    base = slugify(text)[:max_length].strip("-") or model._meta.model_name
    others = model._default_manager.exclude(pk=instance_pk)
    slug, number = base, 2
    while others.filter(slug=slug).exists():
        suffix = f"-{number}"
        slug = f"{base[: max_length - len(suffix)]}{suffix}"
        number += 1
    return slug


def validate_links(value):
    check = URLValidator(schemes=["http", "https", "mailto"])
    for number, line in enumerate(value.splitlines(), start=1):
        if line.strip():
            try:
                check(line.strip())
            except ValidationError as error:
                raise ValidationError(
                    f"Line {number}: {line.strip()[:60]!r} is not a web address."
                ) from error


class SubjectQuerySet(models.QuerySet):
    def with_published_articles(self):
        """Those with an article readers may see, each with how many (`published_count`)."""
        counted = self.filter(articles__in=Article.objects.published()).annotate(
            published_count=Count("articles", distinct=True)
        )
        return counted.order_by(*self.model._meta.ordering)  # GROUP BY drops Meta.ordering


class Subject(models.Model):
    """What articles are filed under, with a page of its own: an author, a section, a tag."""

    name = models.CharField(max_length=100, unique=True, validators=[validate_one_line])
    slug = models.SlugField(max_length=100, unique=True, blank=True)

    url_name = None  # the URL pattern of its page, which takes the slug

    objects = SubjectQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            length = self._meta.get_field("slug").max_length
            self.slug = unique_slug(type(self), self.name, self.pk, max_length=length)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return path_of(self.url_name, slug=self.slug)


class Author(Subject):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        DESK = "desk", "Desk"

    name = models.CharField(max_length=200, unique=True, validators=[validate_one_line])
    slug = models.SlugField(max_length=200, unique=True, blank=True)
    kind = models.CharField(
        max_length=10,
        choices=Kind.choices,
        default=Kind.PERSON,
        help_text="A desk is a team byline, such as “The Kyiv Independent news desk”.",
    )
    role = models.CharField(
        "title or role",
        max_length=200,
        blank=True,
        validators=[validate_one_line],
        help_text="Shown beside the name on the author page, e.g. “Reporter”.",
    )
    bio = models.TextField(
        "short bio", blank=True, help_text="One or two sentences under the article."
    )
    photo = uploads.ImageUploadField(upload_to="authors/%Y/", blank=True)
    links = models.TextField(
        blank=True,
        validators=[validate_links],
        help_text="One web address per line: a personal site, social profiles, an email.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
        help_text="The login of this author, if they have one. Guest writers and desks need none.",
    )
    is_active = models.BooleanField(
        "active", default=True, help_text="Inactive authors keep their pages but leave pickers."
    )

    url_name = "articles:author"

    class Meta(Subject.Meta):
        pass

    @property
    def is_desk(self):
        return self.kind == self.Kind.DESK

    @property
    def link_list(self):
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class Section(Subject):
    description = models.TextField(blank=True, help_text="Shown at the top of the section page.")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Sections are listed in this order; smaller comes first."
    )

    url_name = "articles:section"

    class Meta(Subject.Meta):
        ordering = ["position", "name"]


class Tag(Subject):
    url_name = "articles:tag"

    class Meta(Subject.Meta):
        pass


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"


# An article in one of these statuses goes out at its publication time: what readers may see
# is decided by READERS alone (newsroom/visibility.py).
GOES_OUT = (Status.PUBLISHED, Status.SCHEDULED)
READERS = Visibility(Status.values, going_out=GOES_OUT)

# A change readers see this soon after it went out is a slip of the finger, not an update.
SLIP = timedelta(seconds=60)


class Shifted(models.Func):
    """The time in the column `name` moved by `delta` (whole seconds), in SQL. On SQLite, where
    a time is UTC text ("2026-03-01 07:14:00.5"), it is written with SQLite's own strftime()
    and the text's fraction of a second put back: Django's F() + timedelta there calls back
    into Python for every row, which a sitemap page of a thousand authors' articles felt."""

    output_field = models.DateTimeField()

    def __init__(self, name, delta):
        if delta.microseconds:
            raise ValueError("Shifted moves a time by whole seconds.")
        super().__init__(F(name) + delta, F(name))
        self.seconds = int(delta.total_seconds())

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])

    def as_sqlite(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[1])
        moved = f"strftime('%%Y-%%m-%%d %%H:%%M:%%S', {column}, '{self.seconds:+d} seconds')"
        return f"({moved} || substr({column}, 20))", [*params, *params]


class ChangedForReaders:
    """When what readers see of a row last changed, `modified_at`: the one rule of articles and
    feed items. Only a save that changes one of the model's `READER_FIELDS` sets it, to now,
    and not one with `edited=False` (an import copying the newsroom's own page keeps the time
    it had); a row first written after its publication time is as published. Readers are told
    of a change ("Updated", dateModified, the feeds' and sitemaps' dates) made after it went
    out."""

    READER_FIELDS = ()

    @classmethod
    def from_db(cls, db, field_names, values):
        row = super().from_db(db, field_names, values)
        row._as_loaded = row.reader_values()
        return row

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._as_loaded = self.reader_values()

    def note_change(self, now, edited=True):
        """Set modified_at for a save at `now`: see the class."""
        if self.modified_at is None:
            self.modified_at = min(now, self.published_at) if self.published_at else now
        elif edited and self.changed_for_readers():
            self.modified_at = now

    def reader_values(self):
        """What readers see of the row (the loaded fields of it)."""
        values = {}
        loaded = self.__dict__
        for name in self.READER_FIELDS:
            if name in loaded:
                # As the row holds it: a file field's name, until its descriptor has made it a
                # FieldFile (which costs more than the rest of the row; most are never read).
                value = loaded[name]
                values[name] = value.name if isinstance(value, FieldFile) else value
        return values

    def changed_for_readers(self):
        """Whether what readers see in the row differs from what was loaded."""
        loaded = getattr(self, "_as_loaded", None)
        if loaded is None:
            return True
        now = self.reader_values()
        return any(now.get(name) != value for name, value in loaded.items())

    @property
    def was_updated(self):
        """Changed for readers after it went out, by more than a slip of the finger."""
        if self.published_at is None or self.modified_at is None:
            return False
        return self.modified_at - self.published_at > SLIP

    @property
    def date_modified(self):
        """The time the page gives as its last change: "Updated …", or else its publication."""
        return self.modified_at if self.was_updated else self.published_at

    @staticmethod
    def date_modified_in_sql():
        """`date_modified` as a query expression, for the newest of many rows in one query."""
        return Case(
            When(modified_at__gt=Shifted("published_at", SLIP), then=F("modified_at")),
            default=F("published_at"),
        )


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """What readers may see: published, or scheduled once its time has come (by `now`,
        the present by default: an earlier moment for a page that starts there)."""
        return self.filter(READERS.see(now=now))

    def upcoming(self):
        """Scheduled for readers, but not yet out."""
        return self.filter(READERS.will_see())

    def visible_to(self, user):
        """What `user` may open in the admin and preview: a contributor only their own work."""
        from newsroom import roles

        if roles.is_contributor_only(user):
            return self.filter(
                pk__in=Article.objects.filter(
                    Q(created_by=user) | Q(bylines__author__user=user)
                ).values("pk")
            )
        return self.all()

    def with_authors(self):
        """Bylines with their authors, read in the same query (see newsroom/nested.py)."""
        return self.annotate(
            byline_rows=nested.rows(
                ArticleAuthor.objects.filter(article=OuterRef("pk")),
                "article",
                id="id",
                position="position",
                author_id="author_id",
                **{f"by_{name}": f"author__{name}" for name in BYLINE_AUTHOR_FIELDS},
            )
        )._with_nested_rows()

    def for_listing(self):
        """What a list of articles shows: section and authors, in one query."""
        return self.select_related("section").with_authors().order_by("-published_at", "-id")

    def for_detail(self):
        """What the article page shows: also its picture, tags and corrections, in one query.

        Related articles readers may open come from `related_for_page()`."""
        return (
            self.select_related("section", "hero_renditions", "narration")
            .with_authors()
            .annotate(
                tag_rows=nested.rows(
                    Tag.objects.filter(articles=OuterRef("pk")),
                    "articles",
                    id="id",
                    name="name",
                    slug="slug",
                ),
                correction_rows=nested.rows(
                    Correction.objects.filter(article=OuterRef("pk")),
                    "article",
                    id="id",
                    article_id="article_id",
                    kind="kind",
                    text="text",
                    created_at="created_at",
                ),
            )
        )

    def featured(self):
        """The articles editors placed on the front page, in their order (asked from the few
        placements, not of every article)."""
        placed = FeaturedArticle.objects.values("article_id")
        return self.filter(pk__in=placed).order_by("featured__position", "featured__id")

    def _with_nested_rows(self):
        clone = self._chain()
        if clone._iterable_class is ModelIterable:
            clone._iterable_class = WithNestedRows
        return clone


# The author fields a byline reads with its article (with_authors()).
BYLINE_AUTHOR_FIELDS = ("id", "name", "slug", "kind", "role", "bio", "photo", "links", "is_active")


class WithNestedRows(ModelIterable):
    """Articles whose bylines, tags and corrections came as JSON columns (newsroom/nested.py),
    each put where prefetch_related() would put it."""

    def __iter__(self):
        for article in super().__iter__():
            unpack_nested_rows(article)
            yield article


def unpack_nested_rows(article):
    values = article.__dict__
    if "byline_rows" in values:
        bylines = []
        for data in values.pop("byline_rows") or ():
            author = nested.instance(
                Author,
                {name: data[f"by_{name}"] for name in BYLINE_AUTHOR_FIELDS},
            )
            byline = nested.instance(
                ArticleAuthor,
                {"id": data["id"], "position": data["position"], "author_id": data["author_id"]},
            )
            byline.article_id = article.pk
            byline.author = author
            bylines.append(byline)
        bylines.sort(key=lambda byline: (byline.position, byline.pk))
        nested.attach(article, "bylines", bylines)
    if "tag_rows" in values:
        tags = [nested.instance(Tag, data) for data in values.pop("tag_rows") or ()]
        tags.sort(key=lambda tag: (tag.name, tag.pk))
        nested.attach(article, "tags", tags)
    if "correction_rows" in values:
        corrections = [
            nested.instance(Correction, data) for data in values.pop("correction_rows") or ()
        ]
        corrections.sort(key=lambda correction: (correction.created_at, correction.pk))
        nested.attach(article, "corrections", corrections)


def bylines_prefetch():
    """Bylines with their authors, in byline order, for prefetch_related()."""
    return Prefetch(
        "bylines", queryset=ArticleAuthor.objects.select_related("author").order_by("position")
    )


class Article(ChangedForReaders, models.Model):
    # What readers see of an article, beside its authors: a save that changes any of these is
    # an update they are told of ("Updated …", dateModified, the feeds' and sitemap's dates).
    READER_FIELDS = (
        "headline",
        "dek",
        "body",
        "excerpt",
        "hero_image",
        "hero_caption",
        "hero_credit",
        "hero_alt",
        "audio",
        "audio_ai_generated",
    )

    headline = models.CharField(max_length=300, validators=[validate_one_line])
    slug = models.SlugField(
        max_length=255,
        unique=True,
        blank=True,
        help_text="The address of the article: /news/<slug>/. Made from the headline if blank.",
    )
    dek = models.CharField(
        max_length=400,
        blank=True,
        validators=[validate_one_line],
        help_text="Shown under the headline on the article page.",
    )
    body = models.TextField(
        blank=True,
        validators=[rendering.validate_body],
        help_text=(
            "Paragraphs separated by a blank line. *italic*, **bold**, [link](https://…), "
            "## subheading, > quote. A related-article card goes between paragraphs as "
            "lines from “:::card” to “:::” with title:, excerpt:, publisher:, author: and "
            "link: (or article: <slug> for one of ours)."
        ),
    )
    excerpt = models.TextField(
        blank=True,
        help_text="Shown in lists, feeds and search results. Taken from the body when blank.",
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, null=True, blank=True, related_name="articles"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    authors = models.ManyToManyField(
        Author, through="ArticleAuthor", related_name="articles", blank=True
    )
    hero_image = uploads.ImageUploadField(upload_to="articles/%Y/%m/", blank=True)
    hero_caption = models.CharField(
        "caption", max_length=400, blank=True, validators=[validate_one_line]
    )
    hero_credit = models.CharField(
        "credit",
        max_length=200,
        blank=True,
        validators=[validate_one_line],
        help_text="Who took the picture, e.g. “Photo: AFP”.",
    )
    hero_alt = models.CharField(
        "alt text",
        max_length=300,
        blank=True,
        validators=[validate_one_line],
        help_text="What the picture shows, for readers who cannot see it. Required with an image.",
    )
    audio = uploads.AudioUploadField(upload_to="audio/%Y/%m/", blank=True)
    audio_ai_generated = models.BooleanField(
        "audio made with AI assistance",
        default=False,
        help_text="Shows “This audio is created with AI assistance” with the player.",
    )
    related_articles = models.ManyToManyField("self", symmetrical=False, blank=True)
    seo_title = models.CharField(
        "title for search and sharing",
        max_length=120,
        blank=True,
        validators=[validate_one_line],
        help_text=(
            "Replaces the headline in the browser tab, search results and shared links. "
            "Search results show about 60 characters. Blank: the headline."
        ),
    )
    seo_description = models.CharField(
        "description for search and sharing",
        max_length=300,
        blank=True,
        validators=[validate_one_line],
        help_text=(
            "Replaces the dek in search results and shared links. Search results show about "
            "155 characters. Blank: the dek, or the excerpt."
        ),
    )
    social_image = uploads.ImageUploadField(upload_to="social/%Y/%m/", blank=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=False
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When readers first see it. Set on publishing; a future time schedules it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Filled by every save; the column allows NULL because revisions kept before it existed
    # are written back without it (revisions.revert then puts the time back).
    modified_at = models.DateTimeField(
        "changed for readers",
        null=True,
        editable=False,
        help_text=(
            "When what readers see last changed: headline, dek, body, excerpt, authors, "
            "picture or audio. Imports keep the time of the captured page."
        ),
    )
    reading_time = models.PositiveSmallIntegerField(
        "reading time (minutes)", default=1, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="Who started the article; a contributor sees only their own.",
    )
    version = models.PositiveIntegerField(
        default=0, editable=False, help_text="Counts saves, so that two editors never overwrite."
    )
    import_digest = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        editable=False,
        help_text="Fingerprint of the captured page this article was last imported from.",
    )
    preview_key = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Part of what signs its shared preview links: withdrawing them changes it.",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
            # One per order readers' lists are read in: the newest of all, of a section.
            models.Index(fields=["-published_at", "-id"], name="article_newest"),
            models.Index(fields=["section", "-published_at", "-id"], name="article_section_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in Status]), name="article_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[*GOES_OUT]) | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
        ]
        permissions = [
            ("publish_article", "Can publish articles"),
            ("schedule_article", "Can schedule articles"),
            ("unpublish_article", "Can unpublish articles"),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, edited=True, **kwargs):
        """Save; a change to what readers see sets modified_at, unless `edited` is False (see
        ChangedForReaders)."""
        now = timezone.now()
        if not self.slug:
            self.slug = unique_slug(Article, self.headline, self.pk, max_length=200)
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = now
        if not self.excerpt.strip():
            self.excerpt = shortened(rendering.first_paragraph(self.body), EXCERPT_LENGTH)
        self.note_change(now, edited)
        self.reading_time = self.compute_reading_time()
        self.version += 1
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                *("slug", "excerpt", "reading_time", "version", "modified_at"),
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return path_of("articles:detail", slug=self.slug)

    def authors_changed(self):
        """Record that readers see other authors, or the same in another order, from now."""
        from articles import listings  # which imports this module

        self.modified_at = timezone.now()
        Article.objects.filter(pk=self.pk).update(modified_at=self.modified_at)
        listings.copy_to_listings(self)

    def author_ids(self):
        """The authors' ids in byline order, as stored."""
        return list(self.bylines.order_by("position", "id").values_list("author_id", flat=True))

    def clean(self):
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if self.hero_image and not self.hero_alt:
            raise ValidationError({"hero_alt": "Describe the image for readers who cannot see it."})
        if self.status == Status.SCHEDULED and self.published_at is None:
            raise ValidationError({"published_at": "A scheduled article needs a publication time."})

    def compute_reading_time(self):
        words = readingtime.count_words(rendering.plain_text(self.body))
        images = rendering.count_images(self.body) + (1 if self.hero_image else 0)
        return readingtime.reading_minutes(words, images)

    @property
    def goes_out_at(self):
        """When readers see it, whether that is past or still ahead; None if never."""
        return READERS.goes_out_at(self.status, self.published_at)

    @property
    def is_public(self):
        """published() for this one article."""
        return READERS.can_see(self.status, self.published_at)

    @property
    def title_for_sharing(self):
        return self.seo_title or self.headline

    @property
    def description_for_sharing(self):
        return self.seo_description or self.dek or self.excerpt

    @property
    def ordered_authors(self):
        """Authors in byline order; uses the prefetch from with_authors() when present."""
        return [byline.author for byline in self.bylines.all()]

    @property
    def byline_names(self):
        return get_text_list([author.name for author in self.ordered_authors], "and")

    def body_html(self):
        blocks = rendering.parse_blocks_leniently(self.body)
        return rendering.render_blocks(blocks, **body_references(blocks))


class ArticleAuthor(models.Model):
    """An author's place in an article's byline."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(
        Author, on_delete=models.PROTECT, related_name="bylines", db_index=False
    )
    position = models.PositiveSmallIntegerField(default=0)
    # The article's goes_out_at and date_modified, copied (articles/listings.py), so that an
    # author's page reads its 20 rows from one index in order, however many articles a desk
    # has signed, and the sitemap dates the page from that index alone.
    goes_out_at = models.DateTimeField(null=True, editable=False)
    changed_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_author_once"),
        ]
        indexes = [
            models.Index(
                fields=["author", "-goes_out_at", "-article", "changed_at"], name="byline_newest"
            )
        ]
        verbose_name = "author"
        verbose_name_plural = "authors (in byline order)"

    def __str__(self):
        return f"{self.author} on {self.article}"


class TagListing(models.Model):
    """An article as its tag's page lists it: the tag, the article, when readers see it and
    the date they are given of its last change, copied from the article (articles/listings.py
    keeps the copy), so that a tag's page reads its 20 rows from one index in order however
    many articles the tag has, and the sitemap dates the page from that index alone."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+", db_index=False)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    goes_out_at = models.DateTimeField(
        null=True, help_text="The article's goes_out_at: when readers see it; empty if never."
    )
    changed_at = models.DateTimeField(
        null=True, help_text="The article's date_modified: its last change, as readers are told."
    )

    class Meta:
        ordering = ["-goes_out_at", "-article"]
        indexes = [
            models.Index(
                fields=["tag", "-goes_out_at", "-article", "changed_at"], name="tag_listing_newest"
            )
        ]

    def __str__(self):
        return f"{self.article} under {self.tag}"


class HeroRenditions(models.Model):
    """Resized copies of an article's hero image, made once when the article is saved."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="hero_renditions"
    )
    source = models.CharField(max_length=255, help_text="The image file these were made from.")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    items = models.JSONField(default=list, help_text="One entry per width: its file names.")
    crops = models.JSONField(
        default=list, help_text="One entry per shape (16:9, 4:3, 1:1): its size and file name."
    )

    class Meta:
        ordering = ["article"]
        verbose_name_plural = "hero renditions"

    def __str__(self):
        return f"Renditions of {self.source}"


class ArticleReads(models.Model):
    """How many times readers opened an article on one day (site time zone)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reads")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "-count"]
        verbose_name_plural = "article reads"
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="article_reads_once_a_day"),
        ]
        indexes = [models.Index(fields=["day", "article"], name="article_reads_day")]

    def __str__(self):
        return f"{self.article} on {self.day}: {self.count}"


class CorrectionKind(models.TextChoices):
    CORRECTION = "correction", "Correction"
    EDITORS_NOTE = "editors_note", "Editor’s note"


class Correction(models.Model):
    """A correction or an editor's note, printed at the end of the article with its date."""

    Kind = CorrectionKind

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(
        max_length=2000,
        validators=[validate_plain_text],
        help_text=(
            "What was wrong and what is right, as readers will read it after “Correction, "
            "<date>:”. Saving it marks the article as updated."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="correction_newest_first")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CorrectionKind.values), name="correction_kind_valid"
            ),
        ]
        verbose_name = "correction or editor’s note"
        verbose_name_plural = "corrections and editor’s notes"

    def __str__(self):
        day = date_format(timezone.localtime(self.created_at), "F j, Y")
        return f"{self.get_kind_display()}, {day}, on “{self.article}”"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#correction-{self.pk}"


class FeaturedArticle(models.Model):
    """An article editors put on the front page, at the place they chose."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="featured")
    position = models.PositiveSmallIntegerField(
        default=0,
        help_text=(
            "The smallest position is the top story; the others follow in order, before the "
            "newest articles. Shown only while the article is published."
        ),
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "front-page article"
        verbose_name_plural = "front page"

    def __str__(self):
        return f"{self.position}: {self.article}"

    def get_absolute_url(self):
        return self.article.get_absolute_url()


REDIRECT_TARGETS = ("article", "section", "author", "tag")


def one_target_only():
    """A condition true when exactly one of REDIRECT_TARGETS is set."""
    return reduce(
        operator.or_,
        (
            Q(**{f"{name}__isnull": name != target for name in REDIRECT_TARGETS})
            for target in REDIRECT_TARGETS
        ),
    )


class Redirect(models.Model):
    """An address readers may have kept, of something whose slug has changed since.

    It names the thing, not its new address, so that after several renames every old address
    leads straight to the current one.
    """

    old_path = models.CharField(
        max_length=300, unique=True, help_text="The old address on this site, e.g. /news/old-slug/."
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="redirects"
    )
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, null=True, blank=True, related_name="redirects"
    )
    author = models.ForeignKey(
        Author, on_delete=models.CASCADE, null=True, blank=True, related_name="redirects"
    )
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, null=True, blank=True, related_name="redirects"
    )
    moved_at = models.DateTimeField(auto_now=True, help_text="When the address last moved.")

    class Meta:
        ordering = ["old_path"]
        constraints = [
            models.CheckConstraint(condition=one_target_only(), name="redirect_has_one_target"),
        ]

    def __str__(self):
        return f"{self.old_path} → {self.target}"

    def get_absolute_url(self):
        return self.old_path

    @property
    def target(self):
        return next(filter(None, (getattr(self, name) for name in REDIRECT_TARGETS)), None)


def body_references(blocks):
    """What the cards and pictures of a body point at: {"articles_by_slug", "images_by_id"}."""
    slugs = rendering.card_articles(blocks)
    ids = rendering.image_ids(blocks)
    linked, pictures = {}, {}
    if slugs:
        linked = {
            a.slug: a for a in Article.objects.published().with_authors().filter(slug__in=slugs)
        }
    if ids:
        pictures = {image.pk: image for image in MediaImage.objects.filter(pk__in=ids)}
    return {"articles_by_slug": linked, "images_by_id": pictures}


def other_articles(now, article, slugs):
    """The articles an article page links to, readers may see at `now`: those chosen as
    related to `article` (`is_related`) and those the `slugs` of its body's cards name."""
    chosen = Article.related_articles.through.objects.filter(from_article=article)
    return (
        Article.objects.published(now=now)
        .filter(Q(pk__in=chosen.values("to_article")) | Q(slug__in=slugs))
        .annotate(is_related=Exists(chosen.filter(to_article=OuterRef("pk"))))
        .with_authors()
        .order_by("-published_at", "-id")
    )


OTHER_ARTICLES = prepared.Prepared(other_articles)


def page_references(article, blocks):
    """What the article page shows of other articles and pictures, in at most two queries:
    (related articles readers may open, {"articles_by_slug", "images_by_id"} for the body)."""
    slugs = rendering.card_articles(blocks)
    ids = rendering.image_ids(blocks)
    others = []
    if article.pk or slugs:
        others = OTHER_ARTICLES.run(now=timezone.now(), article=article.pk, slugs=sorted(slugs))
    pictures = {}
    if ids:
        pictures = {image.pk: image for image in MediaImage.objects.filter(pk__in=ids)}
    related = [other for other in others if other.is_related]
    linked = {other.slug: other for other in others if other.slug in slugs}
    return related, {"articles_by_slug": linked, "images_by_id": pictures}


class ReviewNote(models.Model):
    """An editorial note on an article, for the people who work on it; never shown to readers."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="review_notes")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(help_text="What the writer or the desk should know. Never published.")
    sent_back = models.BooleanField(
        default=False, help_text="Written when the article was sent back to its writer."
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "review note"

    def __str__(self):
        who = self.written_by.get_username() if self.written_by else "someone"
        return f"Note by {who} on {self.article}"

    def get_absolute_url(self):
        return reverse("admin:articles_article_change", args=[self.article_id]) + "#review-notes"


class DraftCopy(models.Model):
    """What one person last typed into an article's form, kept until they save or discard it.

    Saved by the change form every few seconds; the article itself is not touched.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="draft_copies",
        help_text="Empty for an article not saved yet.",
    )
    fields = models.JSONField(default=dict, help_text="Field name to the text typed.")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-saved_at"]
        verbose_name_plural = "draft copies"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=Q(article__isnull=False),
                name="draft_copy_once_per_article",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(article__isnull=True),
                name="draft_copy_once_per_new_article",
            ),
        ]

    def __str__(self):
        return f"Unsaved copy of {self.article or 'a new article'} by {self.user}"


class Notification(models.Model):
    """A message sent to one person about a move of an article (see notifications.py)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    move = models.CharField(max_length=20)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "-created_at"], name="notification_inbox")]

    def __str__(self):
        return self.subject


class MediaImage(models.Model):
    """A picture in the media library, placed in article bodies with an :::image block."""

    image = uploads.ImageUploadField(upload_to="library/%Y/%m/")
    alt = models.CharField(
        "alt text",
        max_length=300,
        validators=[validate_one_line],
        help_text="What the picture shows, for readers who cannot see it.",
    )
    caption = models.CharField(
        max_length=400, blank=True, validators=[validate_one_line], help_text="Shown under it."
    )
    credit = models.CharField(
        max_length=200,
        blank=True,
        validators=[validate_one_line],
        help_text="Who took the picture, e.g. “Photo: AFP”.",
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    source = models.CharField(
        max_length=255, blank=True, editable=False, help_text="The file the renditions are of."
    )
    items = models.JSONField(
        default=list, editable=False, help_text="One entry per width: its file names."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "picture"
        verbose_name_plural = "media library"

    def __str__(self):
        return f"#{self.pk}: {self.alt}" if self.pk else self.alt

    @property
    def block(self):
        """The lines that place this picture in an article body."""
        return f":::image\nid: {self.pk}\n:::"
