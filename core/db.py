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

from peewee import Database, DatabaseProxy, Model, PostgresqlDatabase, Psycopg3Adapter, SqliteDatabase, _savepoint
from playhouse.migrations import Runner
from playhouse.pool import PooledPostgresqlDatabase
from psycopg.types.string import StrBinaryDumper, StrDumperUnknown


class TrackedSavepoint(_savepoint):
    """A savepoint that remembers being rolled back, so ``core.events`` can drop the events
    written inside it while the outer transaction still commits (peewee's ``after_commit``
    callbacks only know about the outermost transaction)."""

    def __init__(self, db, sid=None):
        super().__init__(db, sid)
        self.generation = 0  # rises on every rollback to this savepoint

    def __enter__(self):
        self.db.savepoint_stack().append(self)
        return super().__enter__()

    def __exit__(self, exc_type, exc_val, exc_tb):
        try:
            return super().__exit__(exc_type, exc_val, exc_tb)
        finally:
            stack = self.db.savepoint_stack()
            if stack and stack[-1] is self:
                stack.pop()

    def rollback(self, begin=True):
        super().rollback(begin)
        self.generation += 1


class PlatformDatabaseProxy(DatabaseProxy):
    """The proxy models bind to. Its ``atomic()`` makes savepoints itself (peewee's proxy does
    not ask the database it stands for), so they must be tracked ones here too."""

    def savepoint(self):
        return TrackedSavepoint(self)


database = PlatformDatabaseProxy()


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


def _without_nul(text: str) -> str:
    return text.replace("\x00", "\ufffd") if "\x00" in text else text


class _NulSafeStrDumper(StrDumperUnknown):
    """PostgreSQL's text cannot hold NUL: send U+FFFD instead of failing the whole statement.

    SQLite stores NUL; without this a ``%00`` in a URL or a form turns a lookup that should
    simply find nothing (404, a validation message) into a server error on PostgreSQL only.
    """

    def dump(self, obj: str):
        return super().dump(_without_nul(obj))


class _NulSafeStrBinaryDumper(StrBinaryDumper):
    def dump(self, obj: str):
        return super().dump(_without_nul(obj))


class _Psycopg3Adapter(Psycopg3Adapter):
    def connect(self, db, **params):
        conn = super().connect(db, **params)
        # Registered in psycopg's own order: the text dumper last, so it stays the default.
        conn.adapters.register_dumper(str, _NulSafeStrBinaryDumper)
        conn.adapters.register_dumper(str, _NulSafeStrDumper)
        return conn


class _PlatformBound:
    """What the core adds to peewee's databases: the platform bound to it (``bind_platform``)
    and savepoints that ``core.events`` can watch."""

    platform = None

    def savepoint(self):
        return TrackedSavepoint(self)

    def savepoint_stack(self) -> list:
        """This thread's open savepoints, innermost last."""
        stack = getattr(self._state, "savepoints", None)
        if stack is None:
            stack = self._state.savepoints = []
        return stack


class SqliteFileDatabase(_PlatformBound, SqliteDatabase):
    """SQLite with the core's additions."""


class PostgresDatabase(_PlatformBound, PooledPostgresqlDatabase):
    """A pool of psycopg 3 connections (never psycopg2, even when it is installed)."""

    psycopg3_adapter = _Psycopg3Adapter


def open_database(url: str) -> Database:
    """A Database for a URL: ``sqlite:///relative/or/absolute/path`` or ``postgresql://...``."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else ""
        if not path:
            raise ValueError("a sqlite URL needs a file path: sqlite:///path/to/file.sqlite3")
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return SqliteFileDatabase(path, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE",
                                  check_same_thread=False)
    if parsed.scheme in {"postgres", "postgresql"}:
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        max_connections = int(options.pop("max_connections", 20))
        # Timestamps are aware UTC datetimes stored in TIMESTAMP columns; PostgreSQL converts
        # them to the session's time zone on the way in, so the session must be UTC whatever
        # the server's default (Debian's initdb takes the machine's, e.g. Europe/Copenhagen).
        options["options"] = " ".join(filter(None, ["-c TimeZone=UTC", options.get("options", "")]))
        return PostgresDatabase(
            unquote(parsed.path.lstrip("/")) or None,
            user=unquote(parsed.username) if parsed.username else None,
            password=unquote(parsed.password) if parsed.password else None,
            host=parsed.hostname or None,
            port=parsed.port,
            max_connections=max_connections,
            stale_timeout=300,
            timeout=10,
            prefer_psycopg3=True,
            **options,
        )
    raise ValueError(f"unsupported database URL scheme '{parsed.scheme}': use sqlite or postgresql")


def bind(url: str) -> Database:
    """Open the database for a URL and point the proxy at it.

    Binding again (another platform in the same process: tests, the CLI) closes the idle
    connections of the pool it replaces, so they do not stay open on the server until the
    garbage collector finds them.
    """
    db = open_database(url)
    previous = database.obj
    database.initialize(db)
    if previous is not None and previous is not db and hasattr(previous, "close_idle"):
        previous.close_idle()
    return db


def bind_platform(platform) -> None:
    """Remember which platform the bound database serves: events after commit and the rules'
    plugin checks reach that platform's plugins (``current_platform``)."""
    database.obj.platform = platform


def current_platform():
    """The platform that bound the database (None before ``core.platform.build``)."""
    return getattr(database.obj, "platform", None)


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
