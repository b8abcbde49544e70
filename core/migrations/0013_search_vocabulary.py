"""Search at 1,000,000 organisations (issue 12): the index's vocabulary, and a municipality with
a kind as one facet token. SQLite only; PostgreSQL's GIN index needs neither.

- ``organisation_search_word``: every word of the index's text columns, one row each, in a
  B-tree. ``core.search`` looks a typed prefix up here and asks FTS5 for the OR of the words it
  stands for, which FTS5 reads lazily, instead of a prefix query, which merges every matching
  word's posting list in memory first (5 ms at 1,000,000 organisations for 'basket'). Filled
  from the index itself (``fts5vocab``), then kept up by triggers that call
  ``partnerskab_words`` (``core.search.index_words_json``, registered on every connection the
  app opens, like ``partnerskab_fold``). A word is never taken out: one that no organisation
  uses any more only adds a term that matches nothing.
- The facets column gains 'm12kassociation' beside 'm12' and 'kassociation', so a search in
  one municipality for one kind walks one short posting list rather than intersecting two long
  ones (every association in the country with every organisation of the municipality).

The search index is built again with the new facets (frozen copies of migration 0012's
triggers, with the new token). ``core.benchdata`` uses ``TRIGGERS`` and ``FILL`` to take the
upkeep away during a bulk load and build everything in a few statements afterwards.
"""
import importlib

from peewee import PostgresqlDatabase

_previous = importlib.import_module("core.migrations.0012_search_folding")


def _facets(prefix: str) -> str:
    groups = ("coalesce((SELECT ' ' || group_concat('g' || replace(g.target_group, '_', ''), ' ') "
              f"FROM organisation_target_group g WHERE g.organisation_id = {prefix}.id), '')")
    municipality = f"'m' || coalesce({prefix}.municipality_id, 0)"
    kind = f"'k' || replace({prefix}.kind, '_', '')"
    return f"{municipality} || ' ' || {kind} || ' ' || {municipality} || {kind} || {groups}"


def _folded_row(prefix: str) -> str:
    folded = ", ".join(f"partnerskab_fold({prefix}.{column})" for column in ("name", "city", "description"))
    return f"{folded}, {_facets(prefix)}"


def _refresh_groups(organisation_id: str) -> str:
    return (f"UPDATE organisation_search SET facets = (SELECT {_facets('o')} FROM organisation o "
            f"WHERE o.id = {organisation_id}) WHERE rowid = {organisation_id};")


def _add_words(prefix: str) -> str:
    return ("INSERT OR IGNORE INTO organisation_search_word (word) SELECT value FROM json_each("
            f"partnerskab_words({prefix}.name, {prefix}.city, {prefix}.description));")


COLUMNS = _previous.COLUMNS
TEXT_COLUMNS = ("name", "city", "description")

DROP_TRIGGERS = [
    "DROP TRIGGER IF EXISTS organisation_search_insert",
    "DROP TRIGGER IF EXISTS organisation_search_update",
    "DROP TRIGGER IF EXISTS organisation_search_delete",
    "DROP TRIGGER IF EXISTS organisation_search_group_insert",
    "DROP TRIGGER IF EXISTS organisation_search_group_delete",
    "DROP TRIGGER IF EXISTS organisation_search_word_insert",
    "DROP TRIGGER IF EXISTS organisation_search_word_update",
]
TRIGGERS = [
    f"""CREATE TRIGGER organisation_search_insert AFTER INSERT ON organisation WHEN new.deleted_at IS NULL BEGIN
           INSERT INTO organisation_search({COLUMNS}) VALUES (new.id, {_folded_row('new')});
       END""",
    """CREATE TRIGGER organisation_search_delete AFTER DELETE ON organisation BEGIN
           DELETE FROM organisation_search WHERE rowid = old.id;
       END""",
    f"""CREATE TRIGGER organisation_search_update
           AFTER UPDATE OF name, city, description, kind, municipality_id, deleted_at ON organisation BEGIN
           DELETE FROM organisation_search WHERE rowid = old.id;
           INSERT INTO organisation_search({COLUMNS}) SELECT new.id, {_folded_row('new')} WHERE new.deleted_at IS NULL;
       END""",
    f"""CREATE TRIGGER organisation_search_group_insert AFTER INSERT ON organisation_target_group BEGIN
           {_refresh_groups('new.organisation_id')}
       END""",
    f"""CREATE TRIGGER organisation_search_group_delete AFTER DELETE ON organisation_target_group BEGIN
           {_refresh_groups('old.organisation_id')}
       END""",
    f"""CREATE TRIGGER organisation_search_word_insert AFTER INSERT ON organisation
           WHEN new.deleted_at IS NULL BEGIN
           {_add_words('new')}
       END""",
    f"""CREATE TRIGGER organisation_search_word_update AFTER UPDATE OF name, city, description, deleted_at
           ON organisation WHEN new.deleted_at IS NULL BEGIN
           {_add_words('new')}
       END""",
]
# The vocabulary from what the index holds, so it is exactly FTS5's own list of words.
ADD_INDEXED_WORDS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.organisation_search_terms USING fts5vocab(main, organisation_search, col)",
    "INSERT OR IGNORE INTO organisation_search_word (word) SELECT DISTINCT term FROM temp.organisation_search_terms "
    f"WHERE col IN {TEXT_COLUMNS}",
    "DROP TABLE temp.organisation_search_terms",
]
# One segment instead of the dozens a bulk fill leaves: a search that intersects posting lists
# seeks in every segment, so this makes it some ten times faster (at 1,000,000 organisations,
# 10 ms to 1 ms for 'klub' in one municipality). core.search's nightly upkeep does it again.
OPTIMIZE = "INSERT INTO organisation_search (organisation_search) VALUES ('optimize')"
# The index and the vocabulary from the table.
FILL = [
    "DELETE FROM organisation_search",
    f"""INSERT INTO organisation_search({COLUMNS})
        SELECT id, {_folded_row('organisation')} FROM organisation WHERE deleted_at IS NULL""",
    OPTIMIZE,
    *ADD_INDEXED_WORDS,
]

SQLITE_UP = [
    *DROP_TRIGGERS,
    "CREATE TABLE IF NOT EXISTS organisation_search_word (word TEXT PRIMARY KEY) WITHOUT ROWID",
    *FILL,
    *TRIGGERS,
]
SQLITE_DOWN = [
    *DROP_TRIGGERS,
    "DROP TABLE IF EXISTS organisation_search_word",
    *[statement for statement in _previous.SQLITE_UP if not statement.startswith("CREATE INDEX")],
]


def up(migrator, db):
    if not isinstance(db, PostgresqlDatabase):
        for statement in SQLITE_UP:
            db.execute_sql(statement)


def down(migrator, db):
    if not isinstance(db, PostgresqlDatabase):
        for statement in SQLITE_DOWN:
            db.execute_sql(statement)
