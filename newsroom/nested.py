"""Rows of a related table read inside the query of their parent, as a JSON list per row.

An article page needs the article's bylines, tags and corrections: three prefetches, three
round trips. `rows()` makes each a column of the article's own query instead (a correlated
subquery aggregated to JSON, on SQLite and PostgreSQL alike), and `attach()` turns the lists
back into model instances in the places prefetch_related() would have put them, so that
`article.tags.all()` and the rest read them without a query.
"""

from datetime import UTC
from functools import lru_cache

from django.db.models import Aggregate, DateTimeField, JSONField, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone


class JSONList(Aggregate):
    """The aggregated values as one JSON array (in no particular order)."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def rows(queryset, link, **fields):
    """A column: the JSON list of `fields` of the rows of `queryset` (filtered on an OuterRef)
    that belong to the outer row; `link` is the field they are grouped by."""
    listed = (
        queryset.order_by()
        .values(link)
        .annotate(rows=JSONList(JSONObject(**fields)))
        .values("rows")
    )
    return Subquery(listed, output_field=JSONField())


def instance(model, data):
    """A model instance from one JSON object of `rows()` whose keys are field attnames."""
    keys, attnames, converters = reading(model, tuple(data))
    values = []
    for key, convert in zip(keys, converters, strict=True):
        value = data[key]
        values.append(value if value is None or convert is None else convert(value))
    return model.from_db("default", attnames, values)


@lru_cache(maxsize=256)
def reading(model, keys):
    """How to read a JSON object of `model` with `keys`: (the keys, their attnames and the
    function that makes each value Python's or None), in the order of the model's fields, as
    from_db() takes them."""
    fields = {}
    for key in keys:
        field = model._meta.get_field(key.removesuffix("_id") if key.endswith("_id") else key)
        fields[field.attname] = (key, field)
    ordered = [fields[f.attname] for f in model._meta.concrete_fields if f.attname in fields]
    return (
        tuple(key for key, _ in ordered),
        [field.attname for _, field in ordered],
        tuple(converter(field) for _, field in ordered),
    )


def converter(field):
    if isinstance(field, DateTimeField):
        return lambda value: aware(field.to_python(value))
    if field.is_relation:
        return None
    return field.to_python


def aware(moment):
    """SQLite keeps times as UTC text with no offset."""
    return timezone.make_aware(moment, UTC) if timezone.is_naive(moment) else moment


def attach(obj, name, objects):
    """Make `obj.<name>.all()` give `objects` without a query, as prefetch_related() does."""
    manager = getattr(obj, name)
    cache_name = getattr(manager, "prefetch_cache_name", None)  # many-to-many
    if cache_name is None:  # the reverse of a foreign key
        cache_name = manager.field.remote_field.cache_name
    queryset = manager.get_queryset()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    if not hasattr(obj, "_prefetched_objects_cache"):
        obj._prefetched_objects_cache = {}
    obj._prefetched_objects_cache[cache_name] = queryset
