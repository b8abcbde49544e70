"""The database: one proxy bound at start-up from a URL, and the migrations runner.

SQLite is the embedded default (WAL, foreign keys, a busy timeout, and write transactions
that take the write lock at BEGIN so two writers queue instead of dead-locking);
PostgreSQL is production, through psycopg 3. Both run through a connection pool: a request
borrows a connection and gives it back, so a worker does not pay for connecting (and, on
SQLite, five pragmas and a cold page cache) on every request. Models never name a backend:
they bind to ``database``.
"""
from __future__ import annotations

import contextlib
import dataclasses
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from peewee import Database, DatabaseProxy, DateTimeField, Model, PostgresqlDatabase, Psycopg3Adapter, SqliteDatabase, _savepoint
from playhouse.migrations import Runner
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase
from psycopg.types.string import StrBinaryDumper, StrDumperUnknown

from core.clock import UtcDateTimeField


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


from core.folding import fold, index_words_json

database = PlatformDatabaseProxy()
SQLITE_FOLD_FUNCTION = "partnerskab_fold"  # core.folding.fold, for the search index's triggers
SQLITE_WORDS_FUNCTION = "partnerskab_words"  # core.folding.index_words_json, for its vocabulary's


SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "synchronous": "normal",
    "cache_size": -16_000,
}
# Connections per worker process. A request holds one for its whole run in a thread of
# Starlette's pool (40 threads), so SQLite gets one per thread; PostgreSQL's are scarcer (the
# server's max_connections is shared by every worker of every process; docs/operations.md).
SQLITE_POOL_SIZE = 40
POSTGRES_POOL_SIZE = 20
POOL_TIMEOUT_SECONDS = 10  # wait this long for a free connection before failing the request


class BaseModel(Model):
    """Every table of the core and the plugins: snake_case names, bound to the proxy, and
    timestamps in the one convention (``core.clock``): each ``DateTimeField`` a model declares
    becomes a ``UtcDateTimeField`` (written as naive UTC, read as aware UTC on both backends)."""

    class Meta:
        database = database
        legacy_table_names = False

    def __init_subclass__(cls, **kwargs):
        # runs while peewee's ModelBase creates the class, before it binds the declared fields
        super().__init_subclass__(**kwargs)
        for value in list(vars(cls).values()):
            if type(value) is DateTimeField:
                value.__class__ = UtcDateTimeField


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


class SqliteFileDatabase(_PlatformBound, PooledSqliteDatabase):
    """A pool of SQLite connections to one file, with the core's additions: connections (and
    their page cache) are kept between requests instead of opened and closed each time."""


class SqliteMemoryDatabase(_PlatformBound, SqliteDatabase):
    """An in-memory SQLite database (one connection), with the core's additions."""


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
        if path == ":memory:":
            return SqliteMemoryDatabase(path, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE", check_same_thread=False)
        database = SqliteFileDatabase(path, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE",
                                      check_same_thread=False, max_connections=SQLITE_POOL_SIZE,
                                      stale_timeout=3600, timeout=POOL_TIMEOUT_SECONDS)
        # The search index's triggers fold text with the same function that folds queries.
        database.register_function(fold, SQLITE_FOLD_FUNCTION, 1, deterministic=True)
        database.register_function(index_words_json, SQLITE_WORDS_FUNCTION, 3, deterministic=True)
        return database
    if parsed.scheme in {"postgres", "postgresql"}:
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        max_connections = int(options.pop("max_connections", POSTGRES_POOL_SIZE))
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
            timeout=POOL_TIMEOUT_SECONDS,
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


_LOCK_SQLSTATES = {"40P01", "40001", "55P03"}  # deadlock, serialization failure, lock not available


def is_lock_error(exc: BaseException) -> bool:
    """A write that lost a race for a lock and may simply be tried again: SQLite's "database is
    locked" after the busy timeout, PostgreSQL's deadlock, serialization failure or lock timeout."""
    from peewee import OperationalError
    current: BaseException | None = exc
    while current is not None:
        if getattr(current, "sqlstate", None) in _LOCK_SQLSTATES:
            return True
        if isinstance(current, OperationalError) or type(current).__name__ == "OperationalError":
            text = str(current).lower()
            if "database is locked" in text or "database table is locked" in text or "deadlock" in text:
                return True
        current = current.__cause__ or current.__context__
    return False


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
