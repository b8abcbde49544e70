"""Fixtures for operations tests: a scratch database of their own (a SQLite file, or a schema of
its own in the PostgreSQL test database) and real server processes started from the CLI."""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlparse, urlunparse

import pytest

from core import db

ROOT = Path(__file__).resolve().parents[2]
PARTNERSKAB = [sys.executable, "-m", "core.cli"]


def with_schema(url: str, schema: str) -> str:
    """A PostgreSQL URL whose connections put ``schema`` first on the search path."""
    parsed = urlparse(url)
    query = dict(parse_qsl(parsed.query))
    query["options"] = " ".join(filter(None, [query.get("options", ""), f"-c search_path={schema}"]))
    return urlunparse(parsed._replace(query=urlencode(query)))


def run_sql(url: str, *statements: str) -> None:
    database = db.open_database(url)
    with database.connection_context():
        for statement in statements:
            database.execute_sql(statement)
    if hasattr(database, "close_all"):
        database.close_all()


@pytest.fixture
def scratch_url(tmp_path):
    """A fresh, empty database URL, removed afterwards."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        return
    schema = f"scratch_{secrets.token_hex(4)}"
    run_sql(url, f"CREATE SCHEMA {schema}")
    try:
        yield with_schema(url, schema)
    finally:
        run_sql(url, f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def cli_env(url: str, instance: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PARTNERSKAB_")}
    env.update({"PARTNERSKAB_DATABASE_URL": url, "PARTNERSKAB_INSTANCE_DIR": str(instance),
                "PARTNERSKAB_LOG_LEVEL": "warning", "PYTHONPATH": str(ROOT)})
    env.pop("DATABASE_URL", None)
    env.update(extra)
    return env


def cli(url: str, instance: Path, *args: str, timeout: float = 300, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([*PARTNERSKAB, *args], cwd=ROOT, env=cli_env(url, instance, **extra), capture_output=True,
                          text=True, timeout=timeout)
