"""Full-text search over organisations, in the database's own index.

SQLite: an FTS5 table with the organisation table as external content, kept in step by
triggers; diacritics folded so 'handbold' finds 'Håndbold'. PostgreSQL: a stored tsvector
column with the Danish configuration (names weigh most) and a GIN index.
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
POSTGRES_UP = [
    """ALTER TABLE organisation ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
           setweight(to_tsvector('danish', coalesce(name, '')), 'A') ||
           setweight(to_tsvector('danish', coalesce(city, '')), 'B') ||
           setweight(to_tsvector('danish', coalesce(description, '')), 'C')) STORED""",
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
