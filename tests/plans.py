"""How the database means to run a query, read as it would be for a large table."""

from django.db import connection, transaction


def assert_read_in_order_from(queryset, index):
    """`queryset` reads the entries of `index` in the order it asks, and sorts nothing."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # plan as for large tables, not a test's few rows
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_bitmapscan = off")
        plan = queryset.explain()
    assert index in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan
