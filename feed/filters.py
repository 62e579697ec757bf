"""The query parameters of /feed/updates.json, parsed and checked by django-filter."""

from datetime import UTC, datetime

import django_filters
from django import forms

from articles.models import Section
from feed.models import FeedItem

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# How the items' "html" is drawn, as feed/includes/feed_item.html names it: "page" for /feed/,
# "compact" for the side boxes.
VARIANTS = ("page", "compact")


class CursorField(forms.CharField):
    """A keyset position, "<microseconds since 1970>-<id>", as made by `cursor_for()`."""

    default_error_messages = {
        "invalid": "must be a position given in a 'next' link, such as 1705814040000000-42."
    }

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        micros, sep, pk = value.partition("-")
        if not (sep and micros.isdigit() and pk.isdigit()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            moment = datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC)
        except (OverflowError, ValueError, OSError) as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error
        return moment, int(pk)


def cursor_for(item):
    moment = item.published_at
    micros = int(moment.timestamp()) * 1_000_000 + moment.microsecond
    return f"{micros}-{item.pk}"


class CursorFilter(django_filters.Filter):
    field_class = CursorField

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.before(*value)


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
        fields = ["section", "since", "limit", "before", "variant"]

    def filter_since(self, queryset, name, value):
        # Starts afresh from the table: see changed_since() for why.
        return FeedItem.objects.changed_since(value, section=self.form.cleaned_data.get("section"))

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
