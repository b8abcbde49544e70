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

A prefix on SQLite goes through the index's vocabulary (migration 0013). FTS5 answers a prefix
query ('basket'*) by merging the posting lists of every word that starts with it into one list
in memory before it returns the first row: at 1,000,000 organisations that is some 56,000 rows
and 5 ms however few are shown. So the words that start with a typed prefix are looked up in
``organisation_search_word`` (a plain B-tree of the index's words, filled from the index itself
and kept up by triggers through ``partnerskab_words``), and the prefix becomes an OR of those
words ('basketball' OR 'basketballklub' ...), which FTS5 reads lazily, row by row, so a query
that wants 21 rows reads about 21. A prefix with more than ``MAX_EXPANSION`` words, or none,
stays a prefix query: the answer is the same, only slower when it is common.
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


def _quoted(word: str) -> str:
    return '"' + word.replace('"', "") + '"'


def postgres_tsquery(words: list[str]) -> tuple[str, list[str]]:
    """``postgres_match`` as SQL text and its parameters, for queries written out by hand."""
    params: list[str] = []
    for word in words:
        params += [f"{word}:*"] * 2
    return " && ".join([_PG_WORD.replace("%s", "?")] * len(words)), params


def sqlite_match_text(words: list[str], facets: tuple[str, ...] = (),
                      expansions: dict[str, tuple[str, ...] | None] | None = None) -> str:
    """An FTS5 query: every word as a prefix in the text columns — as the OR of the words it
    expands to when ``expansions`` has them (``sqlite_expansions``) — and every facet token
    ('m12' for a municipality, 'kassociation' for a kind) in the facets column."""
    parts = []
    for word in words:
        expanded = (expansions or {}).get(word)
        parts.append("(" + " OR ".join(map(_quoted, expanded)) + ")" if expanded else _quoted(word) + "*")
    text = "{name city description}: (" + " AND ".join(parts) + ")"
    return " AND ".join([text, *(f'facets: "{facet}"' for facet in facets)])


def facet_tokens(municipality_id: int | None, kind: str, target_group: str = "") -> tuple[str, ...]:
    """The facets column's tokens for a filter, as migration 0013's triggers write them. A
    municipality and a kind together are one token ('m12kassociation'): one short posting list
    to walk instead of two long ones (every association in the country) to intersect."""
    tokens = []
    if municipality_id is not None and kind:
        tokens.append(f"m{municipality_id}k" + kind.replace("_", ""))
    elif municipality_id is not None:
        tokens.append(f"m{municipality_id}")
    elif kind:
        tokens.append("k" + kind.replace("_", ""))
    if target_group:
        tokens.append("g" + target_group.replace("_", ""))
    return tuple(tokens)


# --- SQLite: the index's vocabulary ------------------------------------------------------------

MAX_EXPANSION = 64  # words a prefix may stand for before it stays a (slower, same) prefix query
def sqlite_expansions(database, words: list[str]) -> dict[str, tuple[str, ...] | None]:
    """For every word, the index's words that start with it (one query for all of them): a
    tuple, empty when the vocabulary knows none, None when there are more than ``MAX_EXPANSION``."""
    distinct = list(dict.fromkeys(words))
    if not distinct:
        return {}
    parts, params = [], []
    for number, word in enumerate(distinct):
        parts.append(f"SELECT {number}, word FROM (SELECT word FROM organisation_search_word "
                     f"WHERE word >= ? AND word < ? ORDER BY word LIMIT {MAX_EXPANSION + 1})")
        params += [word, word + "\U0010ffff"]
    found: dict[int, list[str]] = {number: [] for number in range(len(distinct))}
    for number, word in database.execute_sql(" UNION ALL ".join(parts), params).fetchall():
        found[number].append(word)
    return {word: (tuple(found[number]) if len(found[number]) <= MAX_EXPANSION else None)
            for number, word in enumerate(distinct)}


def match_organisations(query: str):
    """A WHERE condition on Organisation for the query, or None when it has no words."""
    words = terms(query)
    if not words:
        return None
    if is_postgres():
        return postgres_match(words)
    return Organisation.id.in_(
        SQL("(SELECT rowid FROM organisation_search WHERE organisation_search MATCH ?)", [sqlite_match_text(words)]))


def index_upkeep(context) -> None:
    """The scheduled job ``core.search-upkeep`` (SQLite; nothing to do on PostgreSQL): merge the
    index's segments into one (writes add small ones, and a search seeks in each), and add to
    the vocabulary any word of the index it lacks (the triggers' own splitting of a word in a
    rare script may differ from FTS5's; the index is the truth). Some seconds at 1,000,000
    organisations, at night."""
    import importlib

    from core.db import database
    if is_postgres():
        return
    migration = importlib.import_module("core.migrations.0013_search_vocabulary")
    with database.atomic():
        database.execute_sql(migration.OPTIMIZE)
        for statement in migration.ADD_INDEXED_WORDS:
            database.execute_sql(statement)
