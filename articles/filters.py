from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone

from articles.models import Article, Author, Section, Tag


class ArchiveFilter(django_filters.FilterSet):
    section = django_filters.ModelChoiceFilter(
        queryset=Section.objects.all(), to_field_name="slug", empty_label="All sections"
    )
    author = django_filters.ModelChoiceFilter(
        field_name="authors",
        queryset=Author.objects.all(),
        to_field_name="slug",
        empty_label="All authors",
    )
    tag = django_filters.ModelChoiceFilter(
        field_name="tags", queryset=Tag.objects.all(), to_field_name="slug", empty_label="All tags"
    )
    since = django_filters.DateFilter(
        method="filter_since",
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        method="filter_until",
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Article
        fields = ["section", "author", "tag", "since", "until"]

    # Compared with the column as it is, from the start of a day in the site's time zone, so
    # that the index on publication times serves the filter.
    def filter_since(self, queryset, name, value):
        return queryset.filter(published_at__gte=start_of(value))

    def filter_until(self, queryset, name, value):
        return queryset.filter(published_at__lt=start_of(value + timedelta(days=1)))


def start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))
