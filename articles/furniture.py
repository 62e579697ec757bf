"""What every public page draws beside its own content, the section menu and Most popular,
read together in one query when a page first needs either, and kept as a fragment
(newsroom/freshness.py) until anything readers see changes."""

from django.db.models import DateTimeField, Exists, F, IntegerField, OuterRef, Sum, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property

from articles import popularity
from articles.models import Article, Section
from newsroom import freshness, prepared

COLUMNS = ("kind", "pk", "name", "slug", "number", "moment")
SECTION_FIELDS = ("id", "name", "slug", "position")
POPULAR_FIELDS = ("id", "headline", "slug", "published_at")


def menu_sections(now=None):
    """Sections with an article readers may see (at `now`, the present by default), in their
    order (an index on the section's articles answers each in one step, however many
    articles there are)."""
    return Section.objects.filter(
        Exists(Article.objects.published(now=now).filter(section=OuterRef("pk")))
    ).order_by("position", "name")


def rows_query(now, first_day):
    """The sections of the menu and the articles of Most popular (read since `first_day`) as
    rows of COLUMNS, in one UNION."""
    sections = (
        menu_sections(now)
        .order_by()
        .annotate(
            kind=Value("section"),
            number=Cast("position", IntegerField()),
            moment=Value(None, output_field=DateTimeField()),
        )
    )
    # SQLite takes no LIMIT in a part of a UNION, so the top few are chosen in a subquery.
    top = popularity.popular(now=now, first_day=first_day).values("pk")
    popular = (
        Article.objects.filter(pk__in=top, reads__day__gte=first_day)
        .order_by()
        .annotate(
            kind=Value("popular"),
            number=Cast(Sum("reads__count"), IntegerField()),
            moment=F("published_at"),
            name=F("headline"),
        )
    )
    return sections.values_list(*COLUMNS).union(popular.values_list(*COLUMNS), all=True)


# Built and compiled once a process (newsroom/prepared.py).
ROWS = prepared.Prepared(rows_query)


class Furniture:
    def __init__(self, request):
        self.request = request

    @cached_property
    def drawn(self):
        """{"sections": [Section], "most_popular": [Article]}, kept as one fragment."""
        return freshness.fragment(self.request, "furniture", self.read)

    @property
    def sections(self):
        return self.drawn["sections"]

    @property
    def most_popular(self):
        return self.drawn["most_popular"]

    @classmethod
    def read(cls):
        rows = cls.rows()
        return {"sections": cls.sections_of(rows), "most_popular": cls.most_popular_of(rows)}

    @staticmethod
    def rows():
        return ROWS.run(now=timezone.now(), first_day=popularity.since())

    # The instances are made as a query's rows are (from_db()), with the fields the menu and
    # the list draw and the others deferred: Model(**fields) works out every other field's
    # default, which cost more than the query.
    @staticmethod
    def sections_of(rows):
        found = [
            Section.from_db("default", SECTION_FIELDS, (pk, name, slug, number))
            for kind, pk, name, slug, number, _ in rows
            if kind == "section"
        ]
        return sorted(found, key=lambda section: (section.position, section.name))

    @staticmethod
    def most_popular_of(rows):
        found = [
            (number, moment, pk, name, slug)
            for kind, pk, name, slug, number, moment in rows
            if kind == "popular"
        ]
        found.sort(reverse=True)
        return [
            Article.from_db("default", POPULAR_FIELDS, (pk, name, slug, moment))
            for _, moment, pk, name, slug in found
        ]


def lazy(request):
    """{"menu_sections", "most_popular"} for the page `request` asks for, read in one query
    when a template first uses one (unless kept)."""
    furniture = Furniture(request)
    return {
        "menu_sections": SimpleLazyObject(lambda: furniture.sections),
        "most_popular": SimpleLazyObject(lambda: furniture.most_popular),
    }
