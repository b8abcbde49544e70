"""Indexes on nullable scope columns that leave the empty rows out.

A tenancy condition is an OR over a row's scope columns (``core.scope``): an offer is governed by
its municipality, its organisation *or its steward*. SQLite answers such an OR fast only when every
column in it has an index worth using (its "multi-index OR"), and it judges an index by the
statistics ``ANALYZE`` keeps, which count an empty value like any other. A column that is empty
in most rows (few offers have a steward) then looks as if each value matched every row, the OR
is given up, and a municipality's to-do list read 26,000 stale offers of the whole country instead
of its own 1,000 (53 ms instead of 3 ms at 100,000 offers, issue 12). An index that leaves the
empty rows out (``WHERE column IS NOT NULL``) has honest statistics and serves every lookup a
scope condition makes (``column IN (…)`` implies ``column IS NOT NULL``, on SQLite and PostgreSQL).

Migrations call ``leave_out_empty_rows`` for such columns; ``tests/core/test_scope_indexes.py``
finds every nullable column a scope condition names and checks that its index leaves them out.
"""
from __future__ import annotations

# Nullable scope columns whose full index stays, and why.
FULL_INDEX_KEPT = {
    ("organisation", "municipality_id"): "nearly every organisation has a municipality, and the national "
                                         "overview counts organisations per municipality through this index",
}


def leave_out_empty_rows(db, table: str, column: str, name: str) -> None:
    """Make index ``name`` on ``table.column`` one that leaves out the rows where it is empty."""
    db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
    db.execute_sql(f'CREATE INDEX "{name}" ON "{table}" ("{column}") WHERE "{column}" IS NOT NULL')


def restore_full(db, table: str, column: str, name: str) -> None:
    """The index as it was (a migration's ``down``)."""
    db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
    db.execute_sql(f'CREATE INDEX "{name}" ON "{table}" ("{column}")')


def migration(indexes: list[tuple[str, str, str]]):
    """A migration's ``up`` and ``down`` for ``(table, column, index name)`` triples::

        up, down = migration([("catalogue_offer", "steward_id", "offer_steward_id")])
    """
    def up(migrator, db):
        for table, column, name in indexes:
            leave_out_empty_rows(db, table, column, name)

    def down(migrator, db):
        for table, column, name in indexes:
            restore_full(db, table, column, name)

    return up, down
