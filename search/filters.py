import django_filters
from django import forms

from articles.filters import DayFilter
from articles.models import Author, Section
from search.engine import search
from search.models import Entry
from search.query import MAX_LENGTH


class SearchFilter(django_filters.FilterSet):
    """The search page's question: words, then section, author, kind and dates."""

    q = django_filters.CharFilter(
        method="find",
        label="Search for",
        widget=forms.TextInput(attrs={"type": "search", "maxlength": MAX_LENGTH}),
    )
    section = django_filters.ModelChoiceFilter(
        queryset=Section.objects.all(),
        to_field_name="slug",
        label="Section",
        empty_label="All sections",
    )
    author = django_filters.ModelChoiceFilter(
        field_name="article__bylines__author",
        queryset=Author.objects.all(),
        to_field_name="slug",
        label="Author",
        empty_label="All authors",
    )
    kind = django_filters.ChoiceFilter(choices=Entry.Kind.choices, empty_label="Articles and feed")
    since = DayFilter(label="From")
    until = DayFilter(label="To", until=True)

    class Meta:
        model = Entry
        fields = ["q", "section", "author", "kind", "since", "until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.results = None
        self.narrowed = False

    def filter_queryset(self, queryset):
        """Nothing until there are words to look for; the other filters narrow what is searched."""
        chosen = dict(self.form.cleaned_data)
        words = chosen.pop("q", "").strip()
        if not words:
            return queryset.none()
        for name, value in chosen.items():
            queryset = self.filters[name].filter(queryset, value)
        self.narrowed = any(value not in (None, "") for value in chosen.values())
        return self.filters["q"].filter(queryset, words)

    def find(self, queryset, name, value):
        self.results = search(value, queryset, everything=not self.narrowed)
        return self.results.entries
