"""Full-text search over organisations through the database's own index, as Danes type.

Never a ``LIKE '%…%'`` scan: SQLite answers from its FTS5 table, PostgreSQL from a GIN-indexed
tsvector (migration 0010). Every word the visitor types must match, as a prefix, so
'basket cl' finds 'City Basketball Club'.

People type Danish letters three ways: 'Børn', 'Boern', 'Born'; 'Håndbold', 'Haandbold',
'Handbold'; 'Fællesskab', 'Faellesskab'. ``fold`` maps all of them to one spelling ('born',
'handbold', 'fallesskab') and strips other diacritics ('Citroën' -> 'citron', 'č' -> 'c'). The same function
folds what is indexed and what is typed: on SQLite it is registered as the SQL function
``partnerskab_fold`` that the index triggers call; PostgreSQL cannot run Python, so its
generated column runs ``fold_sql``, the same steps in SQL (translate, lower, three replaces),
and a test checks on both backends that the two agree word for word. On PostgreSQL a word
matches either as the Danish configuration stems it or as written (the 'simple'
configuration), so stop words typed as prefixes ('for', 'han') still find what SQLite finds.
"""
from __future__ import annotations

import re

from peewee import SQL, Field, NodeList

from core.db import is_postgres
from core.folding import fold
from core.models.organisation import Organisation

MAX_TERMS = 8
_WORD = re.compile(r"\w+", re.UNICODE)

# One word as a prefix, stemmed the Danish way or as written; an empty side (a stop word) drops out.
_PG_WORD = "(to_tsquery('danish', %s) || to_tsquery('simple', %s))"
# PostgreSQL's generated column, not a model field (SQLite has no such column, and pages should not
# fetch it): bound to Organisation only to be written "t1"."search_vector" in the query.
_SEARCH_VECTOR = Field(column_name="search_vector")
_SEARCH_VECTOR.bind(Organisation, "search_vector", set_attribute=False)


def terms(query: str) -> list[str]:
    """The searchable words of a query, folded, at most eight of at most 40 characters."""
    words = (fold(word[:40]) for word in _WORD.findall(query or ""))
    return [word for word in words if word][:MAX_TERMS]


def postgres_match(words: list[str]):
    """A WHERE condition on the organisation's tsvector: every word, as a prefix."""
    # Words are \w+, so they carry no tsquery syntax of their own; each is its own to_tsquery
    # so that one stop word cannot empty the whole query.
    params: list[str] = []
    for word in words:
        params += [f"{word}:*"] * 2
    tsquery = " && ".join([_PG_WORD] * len(words))
    # On the row itself, not "id IN (SELECT ...)": the planner can then combine the GIN index
    # with the other filters instead of hash-joining the whole table.
    return NodeList((_SEARCH_VECTOR, SQL(f"@@ ({tsquery})", params)))


def sqlite_match_text(words: list[str], facets: tuple[str, ...] = ()) -> str:
    """An FTS5 query: every word as a prefix in the text columns, and every facet token
    ('m12' for a municipality, 'kassociation' for a kind) in the facets column."""
    text = "{name city description}: (" + " ".join('"' + word.replace('"', "") + '"*' for word in words) + ")"
    return " AND ".join([text, *(f'facets: "{facet}"' for facet in facets)])


def facet_tokens(municipality_id: int | None, kind: str, target_group: str = "") -> tuple[str, ...]:
    """The facets column's tokens for a filter, as migration 0010's triggers write them."""
    tokens = []
    if municipality_id is not None:
        tokens.append(f"m{municipality_id}")
    if kind:
        tokens.append("k" + kind.replace("_", ""))
    if target_group:
        tokens.append("g" + target_group.replace("_", ""))
    return tuple(tokens)


def match_organisations(query: str):
    """A WHERE condition on Organisation for the query, or None when it has no words."""
    words = terms(query)
    if not words:
        return None
    if is_postgres():
        return postgres_match(words)
    return Organisation.id.in_(
        SQL("(SELECT rowid FROM organisation_search WHERE organisation_search MATCH ?)", [sqlite_match_text(words)]))
