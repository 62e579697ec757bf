from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone

from articles.models import Article, Author, Section, Tag


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
