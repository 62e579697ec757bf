from datetime import UTC, datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone
from django_filters.constants import EMPTY_VALUES

from articles.models import Article, Author, Section, Tag


class DayFilter(django_filters.DateFilter):
    """A day in the newsroom's time zone: `since` keeps what went out that day or later, `until`
    (until=True) that day or earlier.

    Compared with the column as it is, from the start of a day, so that the index on
    publication times serves the filter (a `__date` lookup converts every row's time instead).
    A bound before or after every time that can be stored is no bound.
    """

    def __init__(self, *, until=False, **kwargs):
        kwargs.setdefault("field_name", "published_at")
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(lookup_expr="lt" if until else "gte", **kwargs)
        self.until = until

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        try:
            # As stored, in UTC: a day at either end of the calendar has no start there.
            start = start_of(value + timedelta(days=1) if self.until else value).astimezone(UTC)
        except OverflowError:
            return qs  # before or after every time a row can have
        return super().filter(qs, start)


def start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


class ArchiveFilter(django_filters.FilterSet):
    section = django_filters.ModelChoiceFilter(
        queryset=Section.objects.all(), to_field_name="slug", empty_label="All sections"
    )
    # Authors and tags are too many for a list to choose from: their slug is typed or linked.
    author = django_filters.ModelChoiceFilter(
        field_name="authors",
        queryset=Author.objects.all(),
        to_field_name="slug",
        widget=forms.TextInput(attrs={"placeholder": "author-slug"}),
        error_messages={"invalid_choice": "No author has that address name."},
    )
    tag = django_filters.ModelChoiceFilter(
        field_name="tags",
        queryset=Tag.objects.all(),
        to_field_name="slug",
        widget=forms.TextInput(attrs={"placeholder": "tag-slug"}),
        error_messages={"invalid_choice": "No tag has that address name."},
    )
    since = DayFilter(label="From")
    until = DayFilter(label="To", until=True)

    class Meta:
        model = Article
        fields = ["section", "author", "tag", "since", "until"]
