import django_filters
from django import forms

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
        field_name="published_at",
        lookup_expr="date__gte",
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        field_name="published_at",
        lookup_expr="date__lte",
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Article
        fields = ["section", "author", "tag", "since", "until"]
