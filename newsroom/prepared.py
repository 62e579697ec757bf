"""Queries built and compiled to SQL once a process, then run with each request's values.

The public pages' queries read bylines, tags and the feed's position as nested columns and
unions in one statement each (newsroom/nested.py, keyset.ids_of_any()). Building such a
queryset and compiling it costs Django ten to twenty times what the database takes to
answer it. A `Prepared` query is written as an ordinary queryset, by a function whose
arguments stand for the values that change from one request to the next; it is built and
compiled the first time it runs with values of a given shape, and from then on only its
values are bound:

    ARTICLE = prepared.Prepared(
        lambda now, slug: Article.objects.published(now=now).filter(slug=slug)
    )
    ARTICLE.run(now=timezone.now(), slug="a-slug")  # a list of Articles

The shape of the values is what the SQL depends on: the type of each, the length of a list
(`slug__in=slugs` takes one placeholder a slug) and which are None (`filter(section=None)`
is `IS NULL`). Everything else the build function reads must be fixed for the life of the
process: a value it computes itself (the present time, a setting an operator may change
while it runs) would be compiled in for good, so it must come in as an argument.
"""

import copy
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    Expression,
    IntegerField,
)

# Python type of a value to the field its placeholder stands for (its type in SQL).
FIELDS = {
    bool: BooleanField,
    int: IntegerField,
    str: CharField,
    datetime: DateTimeField,
    date: DateField,
}

# At most this many shapes of one query are kept compiled (a list's length is part of one).
SHAPES_KEPT = 32


class Slot:
    """Where a value goes among the compiled query's parameters."""

    __slots__ = ("name", "index")

    def __init__(self, name, index=None):
        self.name, self.index = name, index

    def value(self, values, connection):
        value = values[self.name] if self.index is None else values[self.name][self.index]
        return adapt(value, connection)


def adapt(value, connection):
    """`value` as the database driver takes it, as the field of its type would give it."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


class Param(Expression):
    """A placeholder for one value, compiled as a parameter the run fills in."""

    def __init__(self, slot, output_field):
        super().__init__(output_field=output_field)
        self.slot = slot

    def as_sql(self, compiler, connection):
        return "%s", [self.slot]


def shape_of(value):
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return tuple(field_for(item) for item in value)
    return field_for(value)


def field_for(value):
    for kind in type(value).__mro__:
        if kind in FIELDS:
            return FIELDS[kind]
    raise TypeError(f"A prepared query takes no value of type {type(value).__name__}.")


def placeholder(name, shape):
    if shape is None:
        return None
    if isinstance(shape, tuple):
        return [Param(Slot(name, index), field()) for index, field in enumerate(shape)]
    return Param(Slot(name), shape())


class Compiled:
    """One shape of a prepared query: its SQL, its parameters (values and Slots) and a
    compiler that has read the select list, to make rows into what the queryset gives."""

    def __init__(self, queryset, connection):
        self.queryset = queryset
        self.compiler = queryset.query.get_compiler(connection=connection)
        try:
            self.sql, self.params = self.compiler.as_sql()
        except EmptyResultSet:  # a condition no row meets (`pk__in=[]`): no SQL to run
            self.sql, self.params = None, ()
            return
        # What turns each column's value into Python's: the same for every run (each is
        # handed the connection of its run when called).
        columns = [column for column, *_ in self.compiler.select[: self.compiler.col_count]]
        self.converters = self.compiler.get_converters(columns)

    def rows(self, connection, values):
        if self.sql is None:
            return []
        params = tuple(
            part.value(values, connection) if isinstance(part, Slot) else part
            for part in self.params
        )
        compiler = copy.copy(self.compiler)
        compiler.connection = connection
        compiled = self.sql
        compiler.as_sql = lambda *args, **kwargs: (compiled, params)
        compiler.get_converters = lambda expressions: self.converters
        return list(self.queryset._iterable_class(_Run(self.queryset, compiler)))


class _Run:
    """The queryset as its iterable class reads it, on this run's connection, with its query
    giving the compiler already made."""

    def __init__(self, queryset, compiler):
        self.queryset = queryset
        self.db = compiler.connection.alias
        self.query = _Query(queryset.query, compiler)

    def __getattr__(self, name):
        return getattr(self.queryset, name)


class _Query:
    def __init__(self, query, compiler):
        self.query, self.compiler = query, compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self.compiler

    def __getattr__(self, name):
        return getattr(self.query, name)


class Prepared:
    """A query `build` makes from its keyword arguments. Those named in `fixed` are handed
    to it as they are (a LIMIT, a choice of parts), and each value of them compiles a query
    of its own; the others come as placeholders."""

    def __init__(self, build, fixed=(), using="default"):
        self.build = build
        self.fixed = frozenset(fixed)
        self.using = using
        self.compiled = {}

    def run(self, **values):
        """The rows of the query for `values` (keyword arguments of the build function)."""
        connection = connections[self.using]
        shape = tuple(
            (name, ("fixed", value) if name in self.fixed else shape_of(value))
            for name, value in sorted(values.items())
        )
        key = (connection.vendor, settings.TIME_ZONE, shape)
        compiled = self.compiled.get(key)
        if compiled is None:
            arguments = {
                name: values[name] if name in self.fixed else placeholder(name, kind)
                for name, kind in shape
            }
            queryset = self.build(**arguments)
            compiled = Compiled(queryset, connection)
            if len(self.compiled) >= SHAPES_KEPT:
                self.compiled.clear()
            self.compiled[key] = compiled
        return compiled.rows(connection, values)
