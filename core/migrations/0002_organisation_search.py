"""Full-text search over organisations, in the database's own index.

SQLite: an FTS5 table with the organisation table as external content, kept in step by
triggers; diacritics folded so 'handbold' finds 'Håndbold'. PostgreSQL: a stored tsvector
column (names weigh most) and a GIN index. It holds every word twice: stemmed with the Danish
configuration, so 'foreningen' finds 'Foreninger', and as written with the 'simple' one, so a
prefix that is a Danish stop word ('for', 'han', 'i') still finds 'Forening', 'Handicap',
'Idræt' as on SQLite. Latin-1 diacritics are folded as SQLite's remove_diacritics does (å -> a,
é -> e; æ and ø stay letters of their own) with translate(), which is immutable as a generated column
needs; ``core.search`` folds the visitor's words with the same table.
"""
from peewee import PostgresqlDatabase

SQLITE_UP = [
    """CREATE VIRTUAL TABLE organisation_search USING fts5(
           name, description, city, content='organisation', content_rowid='id',
           tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER organisation_search_insert AFTER INSERT ON organisation BEGIN
           INSERT INTO organisation_search(rowid, name, description, city)
           VALUES (new.id, new.name, new.description, new.city);
       END""",
    """CREATE TRIGGER organisation_search_delete AFTER DELETE ON organisation BEGIN
           INSERT INTO organisation_search(organisation_search, rowid, name, description, city)
           VALUES ('delete', old.id, old.name, old.description, old.city);
       END""",
    """CREATE TRIGGER organisation_search_update AFTER UPDATE ON organisation BEGIN
           INSERT INTO organisation_search(organisation_search, rowid, name, description, city)
           VALUES ('delete', old.id, old.name, old.description, old.city);
           INSERT INTO organisation_search(rowid, name, description, city)
           VALUES (new.id, new.name, new.description, new.city);
       END""",
    "INSERT INTO organisation_search(organisation_search) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS organisation_search_update",
    "DROP TRIGGER IF EXISTS organisation_search_delete",
    "DROP TRIGGER IF EXISTS organisation_search_insert",
    "DROP TABLE IF EXISTS organisation_search",
]
# Latin-1 letters with diacritics and the letter each folds to (frozen copy of core.search's table).
FOLD_FROM = "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿ"
FOLD_TO = "AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyy"


def _weighted(column: str, weight: str) -> str:
    folded = f"translate(coalesce({column}, ''), '{FOLD_FROM}', '{FOLD_TO}')"
    return (f"setweight(to_tsvector('danish', {folded}), '{weight}') || "
            f"setweight(to_tsvector('simple', {folded}), '{weight}')")


POSTGRES_UP = [
    f"""ALTER TABLE organisation ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
           {_weighted('name', 'A')} ||
           {_weighted('city', 'B')} ||
           {_weighted('description', 'C')}) STORED""",
    "CREATE INDEX organisation_search_vector ON organisation USING GIN (search_vector)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS organisation_search_vector",
    "ALTER TABLE organisation DROP COLUMN IF EXISTS search_vector",
]


def _run(db, statements):
    for statement in statements:
        db.execute_sql(statement)


def up(migrator, db):
    _run(db, POSTGRES_UP if isinstance(db, PostgresqlDatabase) else SQLITE_UP)


def down(migrator, db):
    _run(db, POSTGRES_DOWN if isinstance(db, PostgresqlDatabase) else SQLITE_DOWN)
