"""Every nullable column a tenancy condition names has an index that leaves its empty rows out
(``core/scope_indexes.py``), for the core's models and every enabled plugin's, on the database
the suite runs on, so that SQLite's multi-index OR stays in use however few rows fill the column.
(The reason is measured in ``make bench``: a municipality's /todo at 100,000 offers.)"""
from __future__ import annotations

import re

from core import db, scope
from core.scope_indexes import FULL_INDEX_KEPT, leave_out_empty_rows, restore_full


def nullable_scope_columns(platform) -> set[tuple[str, str]]:
    """(table, column) of every nullable column a model's scope conditions test with IN."""
    found = set()
    for model in platform.models:
        if scope.rule_of(model) is None:
            continue
        condition = scope.condition_for(model, [1], [2]) | scope.own_condition_for(model, [3])
        sql, _params = model.select(model._meta.primary_key).where(condition).sql()
        named = set(re.findall(r'"t1"\."(\w+)" (?:IN|=)', sql))
        for field in model._meta.sorted_fields:
            if field.column_name in named and field.null:
                found.add((model._meta.table_name, field.column_name))
    return found


def indexes_on(table: str, column: str) -> list:
    return [index for index in db.database.get_indexes(table) if index.columns and index.columns[0] == column]


def test_nullable_scope_columns_are_indexed_without_their_empty_rows(platform, dbconn):
    columns = nullable_scope_columns(platform)
    # the ones this test was written for, so it cannot pass by finding none
    assert {("catalogue_offer", "steward_id"), ("programme", "owner_organisation_id"),
            ("knowledge_learning", "organisation_id")} <= columns
    wrong = []
    for table, column in sorted(columns):
        if (table, column) in FULL_INDEX_KEPT:
            continue
        # one index that leaves the empty rows out is enough: the OR takes it for this column
        # (indexes that lead with the column for an order, such as (municipality_id, title), may stay)
        indexes = indexes_on(table, column)
        if not any(re.search(rf'WHERE\s*\(*\s*"?{column}"?\s+IS NOT NULL', index.sql or "", re.I)
                   for index in indexes):
            wrong.append(f"{table}.{column}: " + ("; ".join(f"{index.name} keeps the empty rows" for index in indexes)
                                                  or "no index"))
    assert not wrong, ("index these with core.scope_indexes.leave_out_empty_rows in a migration:\n"
                       + "\n".join(wrong))


def test_the_helper_makes_and_unmakes_the_partial_index(dbconn):
    db.database.execute_sql('CREATE TABLE scope_index_probe (id INTEGER PRIMARY KEY, owner_id INTEGER)')
    try:
        db.database.execute_sql('CREATE INDEX "scope_index_probe_owner_id" ON "scope_index_probe" ("owner_id")')
        leave_out_empty_rows(db.database, "scope_index_probe", "owner_id", "scope_index_probe_owner_id")
        (index,) = indexes_on("scope_index_probe", "owner_id")
        assert re.search(r"IS NOT NULL", index.sql, re.I)
        restore_full(db.database, "scope_index_probe", "owner_id", "scope_index_probe_owner_id")
        (index,) = indexes_on("scope_index_probe", "owner_id")
        assert not re.search(r"WHERE", index.sql or "", re.I)
    finally:
        db.database.execute_sql("DROP TABLE scope_index_probe")
