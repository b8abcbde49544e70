"""Full-text search over learnings, methods and harvested knowledge, the way the directory
searches organisations (``core.search``): the database's own index, never a ``LIKE`` scan;
every word typed must match as a prefix; the same folding (``core.folding.fold``) on what is
indexed and what is typed, so 'hillerod', 'Hilleroed' and 'Hillerød' find the same rows.

SQLite answers from the FTS5 tables of this plugin's migration, PostgreSQL from their
generated, GIN-indexed ``search_vector`` columns.
"""
from __future__ import annotations

from peewee import SQL, Field, NodeList

from core.db import is_postgres
from core.search import terms

# One word as a prefix, stemmed the Danish way or as written (as core.search does for organisations).
_PG_WORD = "(to_tsquery('danish', %s) || to_tsquery('simple', %s))"
_vectors: dict[type, Field] = {}


def _vector(model) -> Field:
    """The model's generated tsvector column (PostgreSQL only; not a model field, so pages never
    fetch it)."""
    field = _vectors.get(model)
    if field is None:
        field = Field(column_name="search_vector")
        field.bind(model, "search_vector", set_attribute=False)
        _vectors[model] = field
    return field


def match(model, query: str):
    """A WHERE condition on ``model`` for the query's words, or None when it has none."""
    words = terms(query)
    if not words:
        return None
    if is_postgres():
        params: list[str] = []
        for word in words:
            params += [f"{word}:*"] * 2
        tsquery = " && ".join([_PG_WORD] * len(words))
        return NodeList((_vector(model), SQL(f"@@ ({tsquery})", params)))
    text = " ".join('"' + word.replace('"', "") + '"*' for word in words)
    table = model._meta.table_name
    return model.id.in_(SQL(f"(SELECT rowid FROM {table}_search WHERE {table}_search MATCH ?)", [text]))
