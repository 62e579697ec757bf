from django.conf import settings
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from articles import furniture, images, listings, popularity, rendering
from articles.filters import ArchiveFilter
from articles.models import (
    Article,
    Author,
    Correction,
    Section,
    Tag,
    page_references,
)
from narration import page as narration_page
from newsroom import freshness, keyset, prepared, seo
from newsroom.freshness import CachedPageMixin
from newsroom.paths import path_of

PAGE_SIZE = 20
SECTION_BLOCK_SIZE = 4
LATEST_SIZE = 5
INDEX_PAGE_SIZE = 60


def section_block_articles(now, sections, exclude, per_section):
    """The `per_section` latest articles readers may see at `now` of each of `sections` (ids)
    but those of `exclude` (ids), in no order."""
    parts = [
        Article.objects.published(now=now)
        .filter(section_id=section)
        .exclude(pk__in=exclude)
        .order_by("-published_at", "-id")[:per_section]
        for section in sections
    ]
    return Article.objects.filter(pk__in=keyset.ids_of_any(parts)).order_by()


# Built and compiled once a process (newsroom/prepared.py), as are PLACED and NEWEST.
SECTION_BLOCKS = prepared.Prepared(section_block_articles, fixed=["per_section"])


def section_blocks(sections, per_section=SECTION_BLOCK_SIZE, exclude=()):
    """The latest articles of each section, in one query: [(section, [articles])].

    One bounded part per section, each read from the section's index, so the cost does not
    grow with the number of articles."""
    if not sections:
        return []
    rows = SECTION_BLOCKS.run(
        now=timezone.now(),
        sections=[section.pk for section in sections],
        exclude=sorted(exclude),
        per_section=per_section,
    )
    by_section = {}
    for article in rows:
        by_section.setdefault(article.section_id, []).append(article)
    blocks = []
    for section in sections:
        articles = sorted(
            by_section.get(section.pk, []),
            key=lambda article: (article.published_at, article.pk),
            reverse=True,
        )
        for article in articles:
            article.section = section
        if articles:
            blocks.append((section, articles))
    return blocks


def front_page(limit=PAGE_SIZE):
    """The home page's articles: those editors placed, in their order, then the newest, in
    two queries."""
    now = timezone.now()
    placed = PLACED.run(now=now, limit=limit)
    newest = NEWEST.run(now=now, placed=[article.pk for article in placed], limit=limit)
    return placed + newest


def front_page_listing(now):
    """Articles as the home page lists them, with their section, picture and authors."""
    listing = Article.objects.published(now=now).select_related("section", "hero_renditions")
    return listing.with_authors()


PLACED = prepared.Prepared(
    lambda now, limit: front_page_listing(now).featured()[:limit], fixed=["limit"]
)
NEWEST = prepared.Prepared(
    lambda now, placed, limit: (
        front_page_listing(now)
        .exclude(pk__in=placed)
        .order_by("-published_at", "-id")[: limit - len(placed)]
    ),
    fixed=["limit"],
)


def article_page_context(article):
    """Everything the article page draws, for readers and for every preview alike.

    `article` comes from Article.objects.for_detail(); a preview gives an article with no
    publication time the time it would go out now.
    """
    blocks = rendering.parse_blocks_leniently(article.body)
    related, references = page_references(article, blocks)
    picture = images.hero_picture(article)
    if article.social_image:
        own = article.social_image
        crops = [{"url": own.url, "width": own.width, "height": own.height}]
    else:
        crops = images.share_images(article)
    shared = seo.share_images(crops, alt=article.hero_alt)
    listening = narration_page.for_article(article)
    trail = [(settings.NEWSROOM["SITE_NAME"], path_of("articles:home"))]
    if article.section:
        trail.append((article.section.name, article.section.get_absolute_url()))
    return {
        "article": article,
        "page_title": article.title_for_sharing,
        "page_description": article.description_for_sharing,
        "canonical_url": seo.absolute(article.get_absolute_url()),
        "og_type": "article",
        "share_image": shared[0],
        "json_ld": seo.news_article(article, shared, narration_page.audio_object(listening)),
        "listening": listening,
        "audio_ai_note": narration_page.ai_note(article, listening),
        "breadcrumbs_ld": seo.breadcrumbs([*trail, (article.headline, article.get_absolute_url())]),
        "author_urls": [seo.absolute(a.get_absolute_url()) for a in article.ordered_authors],
        "picture": picture,
        "body_html": rendering.render_blocks(blocks, **references),
        # A list, not a queryset: the context is kept as a fragment (ArticleDetailView).
        "corrections": list(article.corrections.all()),
        "related_articles": related,
    }


class SitePageMixin(CachedPageMixin):
    """What every public page shows beside its own content, and its metadata."""

    page_title = ""
    page_description = ""

    def get_page_title(self):
        return self.page_title

    def get_page_description(self):
        return self.page_description or settings.NEWSROOM["SITE_TAGLINE"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_title"] = self.get_page_title()
        context["page_description"] = self.get_page_description()
        return context


class HomeView(SitePageMixin, ListView):
    template_name = "articles/home.html"
    context_object_name = "articles"

    def get_queryset(self):
        return freshness.fragment(self.request, "front page", front_page)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        articles = list(context["articles"])
        context["top_story"] = articles[0] if articles else None
        context["top_picture"] = images.hero_picture(articles[0]) if articles else None
        context["latest"] = articles[1 : 1 + LATEST_SIZE]
        # Each article once: the section blocks hold what the top story and Latest do not.
        shown = [article.pk for article in articles[: 1 + LATEST_SIZE]]
        # The section menu and Most popular come in one query; the blocks follow the menu.
        site = furniture.lazy(self.request)
        context.update(site)
        context["section_blocks"] = freshness.fragment(
            self.request,
            "section blocks",
            lambda: section_blocks(site["menu_sections"], exclude=shown),
        )
        return context


class ArticleDetailView(SitePageMixin, DetailView):
    context_object_name = "article"

    # Built and compiled once a process (newsroom/prepared.py); `.first()` as SQL.
    PAGE = prepared.Prepared(
        lambda now, slug: (
            Article.objects.published(now=now).for_detail().filter(slug=slug).order_by("pk")[:1]
        )
    )

    def get_object(self, queryset=None):
        """The article, with everything its page draws (article_page_context()) kept as a
        fragment until anything readers see changes: a page made again for a new feed item
        neither queries the article nor renders its body."""
        slug = self.kwargs[self.slug_url_kwarg]
        self.page = freshness.fragment(
            self.request, "article page", lambda: self.drawn(slug), vary=[slug]
        )
        if self.page is None:
            raise Http404("No article readers may see has this address.")
        return self.page["article"]

    def drawn(self, slug):
        found = self.PAGE.run(now=timezone.now(), slug=slug)
        return article_page_context(found[0]) if found else None

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        popularity.record_read(self.request, self.object.pk)
        response.read_of = self.object.pk  # counted again each time the cache serves it
        return response

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.page}


class ArticleListMixin(SitePageMixin):
    """A list of articles, newest first, 20 a page, paged by keyset (newsroom/keyset.py)."""

    template_name = "articles/article_list.html"
    context_object_name = "articles"

    def get(self, request, *args, **kwargs):
        try:
            self.cursors = {
                name: keyset.parse(request.GET[name])
                for name in ("before", "after")
                if request.GET.get(name)
            }
        except keyset.BadCursor:
            return HttpResponseBadRequest(
                "The 'before' or 'after' parameter must be a position given in an 'Older' or "
                "'Newer' link, such as 1705814040000000-42.",
                content_type="text/plain",
            )
        return super().get(request, *args, **kwargs)

    def latest(self):
        """The latest time of a row on this page: now, or where an "Older" page starts."""
        before = self.cursors.get("before")
        return min(before[0], timezone.now()) if before else timezone.now()

    def published(self):
        """What readers may see, up to where an "Older" page starts: one bound on the time,
        so that the index seeks straight to the page (SQLite uses one bound per column)."""
        return Article.objects.published(now=self.latest())

    def page_of(self, object_list):
        """(articles, older cursor, newer cursor) of the page asked for."""
        return keyset.page(object_list, PAGE_SIZE, **self.cursors)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows, older, newer = self.page_of(context["object_list"])
        context.update(
            {"object_list": rows, self.context_object_name: rows},
            older_cursor=older,
            newer_cursor=newer,
        )
        return context


class FilteredArticleListView(ArticleListMixin, ListView):
    """Published articles of one section, author or tag, 20 a page."""

    model = None
    filter_field = None
    feed_names = None
    index = None  # (its name, the URL name of the page that lists them all)

    def get_queryset(self):
        self.subject = get_object_or_404(self.model, slug=self.kwargs["slug"])
        return self.published().for_listing().filter(**{self.filter_field: self.subject})

    def get_page_title(self):
        return str(self.subject)

    def get_page_description(self):
        return (
            getattr(self.subject, "description", "")
            or getattr(self.subject, "bio", "")
            or f"The latest from {settings.NEWSROOM['SITE_NAME']} on {self.subject}."
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(subject=self.subject, **kwargs)
        path = self.subject.get_absolute_url()
        index_name, index_url = self.index
        context["structured_data"] = [
            seo.collection_page(str(self.subject), path, self.get_page_description()),
            seo.breadcrumbs(
                [
                    (settings.NEWSROOM["SITE_NAME"], path_of("articles:home")),
                    (index_name, path_of(index_url)),
                    (str(self.subject), path),
                ]
            ),
        ]
        if self.feed_names:
            rss, atom = self.feed_names
            context["rss_url"] = path_of(rss, slug=self.subject.slug)
            context["atom_url"] = path_of(atom, slug=self.subject.slug)
        return context


class SectionView(FilteredArticleListView):
    model = Section
    filter_field = "section"
    feed_names = ("articles:section_rss", "articles:section_atom")
    index = ("Sections", "articles:sections")


class ListedArticlesMixin:
    """An author's or a tag's articles, read in order from the rows that list them with a copy
    of each article's time (bylines, tag listings: articles/listings.py) on an index of subject
    and time, where a join of the subject's articles would sort them all."""

    listing = None  # listings.AUTHOR or listings.TAG
    columns = ("goes_out_at", "article_id")  # the rows' order

    def get_queryset(self):
        self.subject = get_object_or_404(self.model, slug=self.kwargs["slug"])
        return listings.seen(self.listing, self.subject, self.latest())

    def page_of(self, listings):
        rows, older, newer = keyset.page(listings, PAGE_SIZE, columns=self.columns, **self.cursors)
        found = self.published().for_listing().in_bulk([row.article_id for row in rows])
        return [found[row.article_id] for row in rows if row.article_id in found], older, newer


class AuthorView(ListedArticlesMixin, FilteredArticleListView):
    model = Author
    listing = listings.AUTHOR
    feed_names = ("articles:author_rss", "articles:author_atom")
    index = ("Authors", "articles:authors")
    template_name = "articles/author_detail.html"


class TagView(ListedArticlesMixin, FilteredArticleListView):
    model = Tag
    listing = listings.TAG
    index = ("Tags", "articles:tags")


class SubjectIndexView(SitePageMixin, ListView):
    """Every section, author or tag with a published article, 60 a page."""

    model = None
    template_name = "articles/subject_list.html"
    context_object_name = "subjects"
    paginate_by = INDEX_PAGE_SIZE

    def get_queryset(self):
        return self.model.objects.with_published_articles()

    def get_page_title(self):
        return self.model._meta.verbose_name_plural.capitalize()

    def get_page_description(self):
        return f"{self.get_page_title()} of {settings.NEWSROOM['SITE_NAME']}, with their articles."


class SectionIndexView(SubjectIndexView):
    model = Section


class AuthorIndexView(SubjectIndexView):
    model = Author


class TagIndexView(SubjectIndexView):
    model = Tag


class ArchiveView(ArticleListMixin, FilterView):
    filterset_class = ArchiveFilter
    template_name = "articles/archive.html"
    page_title = "Archive"
    page_description = "Every published article, by section, author, tag and date."

    def get_queryset(self):
        return self.published().for_listing()


class CorrectionListView(SitePageMixin, ListView):
    """Corrections and editor's notes on published articles, newest first."""

    template_name = "articles/correction_list.html"
    context_object_name = "corrections"
    paginate_by = PAGE_SIZE
    page_title = "Corrections"
    page_description = "Corrections and editor’s notes on our articles, newest first."

    def get_queryset(self):
        return (
            Correction.objects.filter(article__in=Article.objects.published())
            .select_related("article")
            .order_by("-created_at", "-id")
        )
