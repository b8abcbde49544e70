"""One timestamp convention (issue 8, part 7): every timestamp column holds naive UTC text on SQLite.

Some models used to default to aware UTC, which SQLite's driver writes with its offset
('2026-11-30 04:12:00.123456+00:00') beside naive rows ('2026-11-30 04:12:00.123456') in other
columns, so text comparisons in SQL could disagree with the moments they stand for. Since
``core.clock.UtcDateTimeField`` every write is naive UTC; this script rewrites what was stored
before, in every table's DATETIME columns (the plugins' too). The app only ever wrote UTC, so the
offset is always ``+00:00`` and dropping it keeps the moment. PostgreSQL's TIMESTAMP columns
already hold UTC (the session's zone is UTC) and are left alone.
"""
from peewee import SqliteDatabase

SUFFIX = "+00:00"


def _datetime_columns(db) -> list[tuple[str, str]]:
    found = []
    tables = [name for (name, sql) in db.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()
        if sql and not sql.upper().startswith("CREATE VIRTUAL")]
    for table in tables:
        for row in db.execute_sql(f'PRAGMA table_info("{table}")').fetchall():
            if str(row[2]).upper() == "DATETIME":
                found.append((table, row[1]))
    return found


def up(migrator, db):
    if not isinstance(db, SqliteDatabase):
        return
    for table, column in _datetime_columns(db):
        db.execute_sql(f'UPDATE "{table}" SET "{column}" = substr("{column}", 1, length("{column}") - {len(SUFFIX)}) '
                       f'WHERE "{column}" LIKE ?', ("%" + SUFFIX,))


def down(migrator, db):
    pass  # naive UTC text reads back as the same moments
