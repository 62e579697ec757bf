"""The query parameters of /feed/updates.json, parsed and checked by django-filter."""

from datetime import UTC

import django_filters
from django import forms

from articles.models import Section
from feed import changes
from feed.models import FeedItem
from newsroom import keyset

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# How the items' "html" is drawn (feed.drawing): "page" for /feed/, "compact" for the side boxes.
VARIANTS = ("page", "compact")


class ParsedField(forms.CharField):
    """Text that `parse()` reads; it raises ValueError (or OverflowError, OSError, as datetime
    does) on text it cannot."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return self.parse(value)
        except (ValueError, OverflowError, OSError) as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


class CursorField(ParsedField):
    """A keyset position, "<microseconds since 1970>-<id>", as `keyset.cursor_for()` writes it
    (the readers' list pages read the same)."""

    default_error_messages = {
        "invalid": "must be a position given in a 'next' link, such as 1705814040000000-42."
    }

    parse = staticmethod(keyset.parse)


class CursorFilter(django_filters.Filter):
    field_class = CursorField

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.before(*value)


class PositionField(ParsedField):
    """Where a poller stands, as the "cursor" of an earlier answer gives it (feed.changes)."""

    default_error_messages = {
        "invalid": "must be the 'cursor' of an earlier answer, such as 1705814040000000.1003."
    }

    parse = staticmethod(changes.Position.parse)


class PositionFilter(django_filters.Filter):
    field_class = PositionField


class LimitFilter(django_filters.Filter):
    field_class = forms.IntegerField


class SinceField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 time that the database can compare: years 2 to 9998 once in UTC."""

    def clean(self, value):
        value = super().clean(value)
        if value is not None:
            try:
                in_range = 1 < value.astimezone(UTC).year < 9999
            except OverflowError:
                in_range = False
            if not in_range:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class SinceFilter(django_filters.IsoDateTimeFilter):
    field_class = SinceField


class FeedUpdatesFilter(django_filters.FilterSet):
    section = django_filters.ModelChoiceFilter(
        queryset=Section.objects.all(),
        to_field_name="slug",
        error_messages={"invalid_choice": "names no section; give the slug of one."},
    )
    since = SinceFilter(
        method="filter_since",
        error_messages={
            "invalid": "must be an ISO 8601 date and time between the years 2 and 9998, such as "
            "2024-01-21T07:14:00+02:00."
        },
    )
    # Comes after `since` and wins over it: old pages send since=, open pages after=.
    after = PositionFilter(method="filter_after")
    limit = LimitFilter(
        method="keep_all",
        min_value=1,
        max_value=MAX_LIMIT,
        error_messages={
            "invalid": f"must be a whole number from 1 to {MAX_LIMIT}.",
            "min_value": f"must be a whole number from 1 to {MAX_LIMIT}.",
            "max_value": f"must be a whole number from 1 to {MAX_LIMIT}.",
        },
    )
    before = CursorFilter()
    variant = django_filters.ChoiceFilter(
        choices=[(name, name) for name in VARIANTS],
        method="keep_all",
        error_messages={"invalid_choice": f"must be {' or '.join(VARIANTS)}."},
    )

    class Meta:
        model = FeedItem
        # In the order they apply: since and after start afresh, before pages what they found.
        fields = ["section", "since", "after", "limit", "before", "variant"]

    def filter_since(self, queryset, name, value):
        # Starts afresh from the table: see changed_since() for why.
        return FeedItem.objects.changed_since(value, section=self.form.cleaned_data.get("section"))

    def filter_after(self, queryset, name, value):
        return FeedItem.objects.changed_after(value, section=self.form.cleaned_data.get("section"))

    def keep_all(self, queryset, name, value):
        return queryset

    @property
    def limit_value(self):
        return self.form.cleaned_data.get("limit") or DEFAULT_LIMIT

    @property
    def variant_value(self):
        return self.form.cleaned_data.get("variant") or VARIANTS[0]

    def error_message(self):
        """One line naming each bad parameter and what is wrong with it."""
        return " ".join(
            f"{name}: {' '.join(messages)}" for name, messages in self.form.errors.items()
        )
