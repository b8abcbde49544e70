"""The indexes on a learning's and a method's municipality, organisation and programme leave out
the rows with none (``core.scope_indexes``: a tenancy condition's OR over them stays fast)."""
from core.scope_indexes import leave_out_empty_rows, restore_full

INDEXES = [(table, f"{column}_id", f"{prefix}_{column}_id")
           for table, prefix in (("knowledge_learning", "learning"), ("knowledge_method", "method"))
           for column in ("municipality", "organisation", "programme")]


def up(migrator, db):
    for table, column, name in INDEXES:
        leave_out_empty_rows(db, table, column, name)


def down(migrator, db):
    for table, column, name in INDEXES:
        restore_full(db, table, column, name)
