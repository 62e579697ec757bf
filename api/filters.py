"""The Content API's query parameters, read by django-filter (a bad value is a 400)."""

import django_filters
from django import forms

from articles.filters import ArchiveFilter, DayFilter
from articles.models import Section
from feed.models import FeedItem
from search.engine import search
from search.filters import SearchFilter
from search.models import Entry
from search.query import MAX_LENGTH


class WordsFilter(django_filters.CharFilter):
    """`q`: only what the site's search finds for these words (the list keeps its order)."""

    def __init__(self, column, **kwargs):
        kwargs.setdefault("label", "Words to look for, as in /search/")
        kwargs.setdefault("max_length", MAX_LENGTH)
        super().__init__(**kwargs)
        self.column = column

    def filter(self, qs, value):
        if not value:
            return qs
        entries = Entry.objects.filter(kind=self.kind)
        return qs.filter(pk__in=search(value, entries).entries.order_by().values(self.column))


class ArticleWordsFilter(WordsFilter):
    kind = Entry.Kind.ARTICLE


class FeedWordsFilter(WordsFilter):
    kind = Entry.Kind.FEED_ITEM


class ArticleFilter(ArchiveFilter):
    q = ArticleWordsFilter("article_id")

    class Meta(ArchiveFilter.Meta):
        fields = [*ArchiveFilter.Meta.fields, "q"]


class FeedFilter(django_filters.FilterSet):
    section = django_filters.ModelChoiceFilter(queryset=Section.objects.all(), to_field_name="slug")
    since = DayFilter(widget=forms.DateInput())
    until = DayFilter(until=True, widget=forms.DateInput())
    q = FeedWordsFilter("feed_item_id")

    class Meta:
        model = FeedItem
        fields = ["section", "since", "until", "q"]


class ApiSearchFilter(SearchFilter):
    """/search/'s filters, with the words required."""

    q = django_filters.CharFilter(
        method="find", required=True, max_length=MAX_LENGTH, label="Words to look for"
    )
