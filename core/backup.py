"""``partnerskab backup FILE`` and ``partnerskab restore FILE``: a consistent copy of a live
database, and putting one back.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies the database page by page
while the server keeps serving; the copy is one consistent snapshot, with whatever the WAL held.
Restoring runs the same API the other way, into the live file: SQLite locks the database for the
copy, so a running server waits a moment and then sees the restored data. PostgreSQL:
``pg_dump --format=custom`` and ``pg_restore --clean --if-exists`` (one transaction), the client
programs of the server's major version (Debian's ``postgresql-client``); only the schema the URL
puts first on its search path, when it names one, else the whole database.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlparse, urlunparse

# URL options that psycopg's libpq understands; the rest (max_connections) are the pool's own.
_LIBPQ_OPTIONS = {"options", "sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "application_name"}


class BackupError(Exception):
    """Why a backup or a restore could not be made, in words."""


def _sqlite_path(url: str) -> Path:
    return Path(unquote(url[len("sqlite:///"):]))


def _pg_url_and_schema(url: str) -> tuple[str, str | None]:
    parsed = urlparse(url)
    query = dict(parse_qsl(parsed.query))
    schema = None
    options = query.get("options", "")
    for part in options.split():
        if part.startswith("search_path="):
            schema = part.split("=", 1)[1].split(",")[0].strip()
    clean = {key: value for key, value in query.items() if key in _LIBPQ_OPTIONS}
    return urlunparse(parsed._replace(scheme="postgresql", query=urlencode(clean, quote_via=quote))), schema


def _pg_tool(name: str) -> str:
    """The newest Debian build of a PostgreSQL client program, else the one on PATH."""
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3])
                        if p.parts[-3].isdecimal() else 0)
    if candidates:
        return str(candidates[-1])
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def backup(url: str, target: Path) -> int:
    """Write a backup of the database at ``url`` to ``target``; returns its size in bytes."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    if url.startswith("sqlite:///"):
        source_path = _sqlite_path(url)
        if not source_path.exists():
            raise BackupError(f"there is no database file at {source_path}")
        source = sqlite3.connect(source_path)
        destination = sqlite3.connect(partial)
        try:
            source.backup(destination, pages=1024)
        finally:
            destination.close()
            source.close()
    else:
        plain, schema = _pg_url_and_schema(url)
        command = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(partial)]
        if schema:
            command += ["--schema", schema]
        done = subprocess.run([*command, "--dbname", plain], capture_output=True, text=True)
        if done.returncode != 0:
            partial.unlink(missing_ok=True)
            raise BackupError(f"pg_dump failed: {done.stderr.strip()[-500:]}")
    os.replace(partial, target)  # a backup file is either whole or absent
    return target.stat().st_size


def restore(url: str, source: Path) -> None:
    """Replace the database at ``url`` with the backup in ``source``."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"there is no backup file at {source}")
    if url.startswith("sqlite:///"):
        try:
            backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            backup_db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{source} is not a SQLite backup: {exc}") from None
        live = sqlite3.connect(_sqlite_path(url), timeout=30)
        try:
            backup_db.backup(live)
        finally:
            live.close()
            backup_db.close()
        return
    plain, schema = _pg_url_and_schema(url)
    command = [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
               "--exit-on-error"]
    if schema:
        command += ["--schema", schema]
    done = subprocess.run([*command, "--dbname", plain, str(source)], capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()[-500:]}")
