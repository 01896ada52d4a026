"""Changelist counts for the large petition tables (1 million petitions and their history, answers, assignments).

On PostgreSQL a changelist must never count such a table exactly: `EstimatedCountPaginator`
reads the planner's estimate instead.
"""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property


class EstimatedCountPaginator(Paginator):
    """A paginator that never counts a large PostgreSQL table exactly.

    Unfiltered: the planner's estimate (`pg_class.reltuples`) once the table is larger than
    `exact_limit` rows. Filtered: an exact count capped at `exact_limit + 1` rows; past the cap,
    the planner's estimate of the filtered query. Elsewhere (SQLite) an exact count.
    """

    exact_limit = 10_000

    @cached_property
    def count(self):
        qs = self.object_list
        if not isinstance(qs, QuerySet) or connections[qs.db].vendor != "postgresql":
            return super().count
        if not qs.query.where:
            estimate = self._table_estimate(qs)
            return estimate if estimate > self.exact_limit else super().count
        capped = qs.order_by()[: self.exact_limit + 1].count()
        if capped <= self.exact_limit:
            return capped
        return max(capped, self._query_estimate(qs))

    @staticmethod
    def _table_estimate(qs) -> int:
        with connections[qs.db].cursor() as cursor:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [qs.model._meta.db_table])
            row = cursor.fetchone()
        return int(row[0]) if row and row[0] and row[0] > 0 else 0

    @staticmethod
    def _query_estimate(qs) -> int:
        sql, params = qs.order_by().values("pk").query.sql_with_params()
        with connections[qs.db].cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return int(plan[0]["Plan"]["Plan Rows"])
