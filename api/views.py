"""The read-only Content API: published content only, cached, with ETags and JSON errors."""

from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, generics
from rest_framework.views import exception_handler as drf_exception_handler

from api import serializers
from api.filters import ApiSearchFilter, ArticleFilter, FeedFilter
from api.pagination import KeysetPagination
from articles.models import Article, Author, Section, Tag
from feed.models import FeedItem
from newsroom import freshness
from search.models import Entry


class KeepingFilterBackend(DjangoFilterBackend):
    """django-filter's backend, leaving the filter set on the view (search marks its words)."""

    def get_filterset(self, request, queryset, view):
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset


class KeptAnswers(freshness.CachedPageMixin):
    """Anonymous answers are kept like pages, with ETag and 304, and sent by the CachedPages
    middleware before Django REST framework starts, so a kept answer costs about what a
    cached page costs. The Accept header is part of the key: a browser's HTML page and a
    program's JSON differ. A kept answer is sent only within the client's request budget."""

    varies_by = "Accept"

    @classmethod
    def admits(cls, request):
        """Count `request` against its client's budget: whether it may be answered now."""
        request.budget_wait = None
        for throttle_class in cls.throttle_classes:
            throttle = throttle_class()
            if not throttle.allow_request(request, None):
                request.budget_wait = throttle.wait()
        return request.budget_wait is None

    def check_throttles(self, request):
        if not hasattr(request._request, "budget_wait"):
            return super().check_throttles(request)  # not counted before (a signed-in user)
        if request._request.budget_wait is not None:
            self.throttled(request, request._request.budget_wait)


class ContentView(KeptAnswers, generics.GenericAPIView):
    pagination_class = KeysetPagination
    filter_backends = [KeepingFilterBackend]
    keyset = ("-published_at", "-id")
    keyset_kinds = ("datetime", "int")


class ContentListView(ContentView, generics.ListAPIView):
    pass


class ArticleList(ContentListView):
    """Published articles, newest first."""

    serializer_class = serializers.ArticleSerializer
    filterset_class = ArticleFilter

    def get_queryset(self):
        return (
            Article.objects.published()
            .for_listing()
            .select_related("hero_renditions")
            .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        )


class ArticleDetail(ContentView, generics.RetrieveAPIView):
    """One published article with its body as HTML, as plain text and as blocks."""

    serializer_class = serializers.ArticleDetailSerializer
    lookup_field = "slug"
    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        return Article.objects.published().for_detail()


class SubjectList(ContentListView):
    model = None
    filter_backends = []
    keyset = ("name", "id")
    keyset_kinds = ("str", "int")

    def get_queryset(self):
        return self.model.objects.with_published_articles()


class AuthorList(SubjectList):
    """Authors with a published article, by name."""

    model = Author
    serializer_class = serializers.AuthorSerializer


class SectionList(SubjectList):
    """Sections with a published article, by name."""

    model = Section
    serializer_class = serializers.SectionSerializer


class TagList(SubjectList):
    """Tags with a published article, by name."""

    model = Tag
    serializer_class = serializers.TagSerializer


class FeedList(ContentListView):
    """The news feed's published items, newest first."""

    serializer_class = serializers.FeedItemSerializer
    filterset_class = FeedFilter
    draws_feed = True

    def get_queryset(self):
        return FeedItem.objects.published().latest()


class SearchList(ContentListView):
    """What /search/ finds: articles and feed items, best first (every word in the headline
    first, then newer first), with the words found marked in a passage."""

    serializer_class = serializers.SearchResultSerializer
    filterset_class = ApiSearchFilter
    draws_feed = True
    keyset = ("-in_headline", "-published_at", "-id")
    keyset_kinds = ("bool", "datetime", "int")

    def get_queryset(self):
        return Entry.objects.published().for_listing()

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        results = self.filterset.results
        return results.mark(page) if results is not None else []


def exception_handler(error, context):
    """Every error as JSON: {"status", "message", "errors"?}, with its status code."""
    if isinstance(error, Http404):
        error = exceptions.NotFound("Nothing published has this address.")
    response = drf_exception_handler(error, context)
    if response is None:
        return None
    data = response.data
    body = {"status": response.status_code}
    if isinstance(data, dict) and set(data) == {"detail"}:
        body["message"] = str(data["detail"])
    else:
        body["message"] = "Some query parameters are not right; see errors."
        body["errors"] = data
    response.data = body
    return response


def not_found(request, *args, **kwargs):
    """Any other address under /api/."""
    message = "There is no such address in the API."
    return JsonResponse({"status": 404, "message": message}, status=404)
