"""Rows of a related table read inside the query of their parent, as a JSON list per row.

An article page needs the article's bylines, tags and corrections: three prefetches, three
round trips. `rows()` makes each a column of the article's own query instead (a correlated
subquery aggregated to JSON, on SQLite and PostgreSQL alike), and `attach()` turns the lists
back into model instances in the places prefetch_related() would have put them, so that
`article.tags.all()` and the rest read them without a query.
"""

from datetime import UTC

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
    given = {}
    for name, value in data.items():
        field = model._meta.get_field(name.removesuffix("_id") if name.endswith("_id") else name)
        if isinstance(field, DateTimeField) and value is not None:
            value = field.to_python(value)
            if timezone.is_naive(value):  # SQLite keeps times as UTC text with no offset
                value = timezone.make_aware(value, UTC)
        elif value is not None and not field.is_relation:
            value = field.to_python(value)
        given[field.attname] = value
    # from_db() takes the values in the order of the model's fields.
    names = [field.attname for field in model._meta.concrete_fields if field.attname in given]
    return model.from_db("default", names, [given[name] for name in names])


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
