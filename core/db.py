"""The database: one proxy bound at start-up from a URL, and the migrations runner.

SQLite is the embedded default (WAL, foreign keys, a busy timeout, and write transactions
that take the write lock at BEGIN so two writers queue instead of dead-locking);
PostgreSQL is production, through psycopg 3 and a connection pool so several workers and
threads share it. Models never name a backend: they bind to ``database``.
"""
from __future__ import annotations

import contextlib
import dataclasses
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from peewee import Database, DatabaseProxy, Model, PostgresqlDatabase, SqliteDatabase
from playhouse.migrations import Runner
from playhouse.pool import PooledPostgresqlDatabase

database = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "synchronous": "normal",
    "cache_size": -16_000,
}


class BaseModel(Model):
    """Every table of the core and the plugins: snake_case names, bound to the proxy."""

    class Meta:
        database = database
        legacy_table_names = False


def open_database(url: str) -> Database:
    """A Database for a URL: ``sqlite:///relative/or/absolute/path`` or ``postgresql://...``."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else ""
        if not path:
            raise ValueError("a sqlite URL needs a file path: sqlite:///path/to/file.sqlite3")
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE",
                              check_same_thread=False)
    if parsed.scheme in {"postgres", "postgresql"}:
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        max_connections = int(options.pop("max_connections", 20))
        return PooledPostgresqlDatabase(
            unquote(parsed.path.lstrip("/")) or None,
            user=unquote(parsed.username) if parsed.username else None,
            password=unquote(parsed.password) if parsed.password else None,
            host=parsed.hostname or None,
            port=parsed.port,
            max_connections=max_connections,
            stale_timeout=300,
            timeout=10,
            **options,
        )
    raise ValueError(f"unsupported database URL scheme '{parsed.scheme}': use sqlite or postgresql")


def bind(url: str) -> Database:
    """Open the database for a URL and point the proxy at it."""
    db = open_database(url)
    database.initialize(db)
    return db


def is_postgres() -> bool:
    return isinstance(database.obj, PostgresqlDatabase)


def backend_name() -> str:
    return "postgresql" if is_postgres() else "sqlite"


@contextlib.contextmanager
def connection():
    """A connection for the duration of one request or command, returned afterwards."""
    with database.connection_context():
        yield


@dataclasses.dataclass(frozen=True)
class MigrationSource:
    """A component's folder of numbered migration scripts (peewee's ``playhouse.migrations``)."""

    component: str
    directory: Path

    @property
    def table_name(self) -> str:
        return f"schema_migration_{self.component}"

    def runner(self) -> Runner:
        return Runner(database.obj, str(self.directory), table_name=self.table_name)


def migrate(sources: list[MigrationSource]) -> dict[str, list[str]]:
    """Apply every pending migration, the core's first; returns what ran, per component.

    Each component keeps its own history table, so plugins number their scripts freely
    and a plugin added later migrates on the next run without touching the others.
    """
    applied: dict[str, list[str]] = {}
    for source in sources:
        applied[source.component] = source.runner().up()
    return applied


def pending(sources: list[MigrationSource]) -> dict[str, list[str]]:
    return {source.component: [m.name for m in source.runner().status() if not m.applied]
            for source in sources}
