"""Keyset pagination: `limit` (at most 100) and a `next` link that carries the last row's place.

A page costs the same however deep it is (no OFFSET, no COUNT), and a row published between two
requests neither repeats nor hides one.
"""

import base64
import binascii
import json
from datetime import datetime
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from newsroom.characters import is_digits
from newsroom.seo import absolute

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def _plain(value):
    """A row's value as JSON can hold it: times to the microsecond."""
    return value.isoformat() if isinstance(value, datetime) else value


def encode(values):
    text = json.dumps([_plain(value) for value in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(cursor, like):
    """The values `encode()` wrote, of the same kinds as `like` (a row's values)."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        values = None
    if not isinstance(values, list) or len(values) != len(like):
        raise ValidationError({"cursor": ["This is not a cursor this API gave; follow `next`."]})
    decoded = [_value(value, kind) for value, kind in zip(values, like, strict=True)]
    if None in decoded:
        raise ValidationError({"cursor": ["This is not a cursor this API gave; follow `next`."]})
    return decoded


def _value(value, kind):
    """`value` read as `kind`, or None when it is not one."""
    if kind == "datetime" and isinstance(value, str):
        try:
            moment = parse_datetime(value)
        except ValueError:
            return None
        return moment if moment is not None and moment.tzinfo is not None else None
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value if -(2**63) <= value < 2**63 else None
    if kind == "bool" and isinstance(value, bool):
        return value
    if kind == "str" and isinstance(value, str) and "\x00" not in value:
        return value
    return None


def after(ordering, values):
    """The rows that come after `values` in `ordering` ("-published_at", "id", ...)."""
    conditions = []
    for position, term in enumerate(ordering):
        name = term.lstrip("-")
        earlier = zip(ordering[:position], values[:position], strict=True)
        same = {prior.lstrip("-"): value for prior, value in earlier}
        lookup = "lt" if term.startswith("-") else "gt"
        conditions.append(Q(**same, **{f"{name}__{lookup}": values[position]}))
    return reduce(or_, conditions)


class KeysetPagination(BasePagination):
    """Pages in the view's `keyset` order: the names of unique, non-null columns."""

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.limit = self.read_limit(request)
        ordering = view.keyset
        kinds = view.keyset_kinds
        cursor = request.query_params.get("cursor")
        if cursor:
            queryset = queryset.filter(after(ordering, decode(cursor, kinds)))
        rows = list(queryset.order_by(*ordering)[: self.limit + 1])
        self.next_values = None
        if len(rows) > self.limit:
            rows = rows[: self.limit]
            last = rows[-1]
            self.next_values = [getattr(last, term.lstrip("-")) for term in ordering]
        return rows

    def read_limit(self, request):
        text = request.query_params.get("limit")
        if text is None:
            return DEFAULT_LIMIT
        if not is_digits(text) or not 1 <= int(text) <= MAX_LIMIT:
            raise ValidationError({"limit": [f"A whole number from 1 to {MAX_LIMIT}."]})
        return int(text)

    def next_link(self):
        if self.next_values is None:
            return None
        path = self.request._request.get_full_path()
        return absolute(replace_query_param(path, "cursor", encode(self.next_values)))

    def get_paginated_response(self, data):
        return Response({"next": self.next_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page, or null on the last one.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "limit",
                "in": "query",
                "required": False,
                "description": f"Results a page, 1 to {MAX_LIMIT} ({DEFAULT_LIMIT} if not given).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
            },
            {
                "name": "cursor",
                "in": "query",
                "required": False,
                "description": "Where the page starts: copied from the previous page's `next`.",
                "schema": {"type": "string"},
            },
        ]
