"""The indexes on a learning's and a method's municipality, organisation and programme leave out
the rows with none (``core.scope_indexes``: a tenancy condition's OR over them stays fast)."""
from core.scope_indexes import migration

INDEXES = [(table, f"{column}_id", f"{prefix}_{column}_id")
           for table, prefix in (("knowledge_learning", "learning"), ("knowledge_method", "method"))
           for column in ("municipality", "organisation", "programme")]


up, down = migration(INDEXES)
