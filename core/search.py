"""Full-text search over organisations through the database's own index.

Never a ``LIKE '%…%'`` scan: SQLite answers from its FTS5 table, PostgreSQL from a GIN-indexed
tsvector with the Danish configuration (see migration 0002). Every word the visitor types
must match, as a prefix, so 'basket rosk' finds 'Roskilde Basketball Club'.
"""
from __future__ import annotations

import re

from peewee import SQL

from core.db import is_postgres
from core.models.organisation import Organisation

MAX_TERMS = 8
_WORD = re.compile(r"\w+", re.UNICODE)


def terms(query: str) -> list[str]:
    """The searchable words of a query, lower-cased, at most eight of at most 40 characters."""
    return [word[:40].lower() for word in _WORD.findall(query or "")][:MAX_TERMS]


def match_organisations(query: str):
    """A WHERE condition on Organisation for the query, or None when it has no words."""
    words = terms(query)
    if not words:
        return None
    if is_postgres():
        tsquery = " & ".join(f"{word}:*" for word in words)
        return Organisation.id.in_(SQL(
            "(SELECT id FROM organisation WHERE search_vector @@ to_tsquery('danish', %s))", [tsquery]))
    fts_query = " ".join('"' + word.replace('"', "") + '"*' for word in words)
    return Organisation.id.in_(
        SQL("(SELECT rowid FROM organisation_search WHERE organisation_search MATCH ?)", [fts_query]))
