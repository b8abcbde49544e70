"""The index on a programme's owning organisation leaves out programmes with none
(``core.scope_indexes``: a tenancy condition's OR over it stays fast)."""
from core.scope_indexes import leave_out_empty_rows, restore_full

INDEXES = [("programme", "owner_organisation_id", "programme_owner_organisation_id")]


def up(migrator, db):
    for table, column, name in INDEXES:
        leave_out_empty_rows(db, table, column, name)


def down(migrator, db):
    for table, column, name in INDEXES:
        restore_full(db, table, column, name)
