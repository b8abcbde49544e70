"""Fixtures for operations tests: a scratch database of their own (a SQLite file, or a schema of
its own in the PostgreSQL test database) and real server processes started from the CLI."""
from __future__ import annotations

import contextlib
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


@contextlib.contextmanager
def _scratch(folder: Path):
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{folder / 'scratch.sqlite3'}"
        return
    schema = f"scratch_{secrets.token_hex(4)}"
    run_sql(url, f"CREATE SCHEMA {schema}")
    try:
        yield with_schema(url, schema)
    finally:
        run_sql(url, f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture
def scratch_url(tmp_path):
    """A fresh, empty database URL, removed afterwards."""
    with _scratch(tmp_path) as url:
        yield url


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


def free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """``uvicorn core.app:asgi_app`` in a process of its own (its own process group, so SIGKILL
    reaches every worker), configured through the environment like a deployment."""

    def __init__(self, url: str, instance: Path, workers: int = 1, port: int | None = None, **env: str):
        import time as _time
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = cli_env(url, instance, SECRET_KEY=env.pop("SECRET_KEY", "ops-test-secret-" + "x" * 32), **env)
        self.workers = workers
        self.log = instance / f"server-{self.port}.log"
        self.process = None
        self._time = _time

    def start(self, timeout: float = 60) -> "ServerProcess":
        import httpx
        instance_log = open(self.log, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "core.app:asgi_app", "--factory", "--host", "127.0.0.1", "--port",
             str(self.port), "--workers", str(self.workers), "--no-access-log", "--log-level", "warning"],
            cwd=ROOT, env=self.env, stdout=instance_log, stderr=subprocess.STDOUT, start_new_session=True)
        instance_log.close()
        deadline = self._time.monotonic() + timeout
        while self._time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited:\n{self.log.read_text()[-3000:]}")
            try:
                if httpx.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            self._time.sleep(0.05)
        raise RuntimeError(f"the server did not answer within {timeout} s:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL to the whole process group: no clean-up, no flushing, like a power cut to the process."""
        import signal
        if self.process and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(timeout=30)

    def stop(self) -> None:
        import signal
        if self.process and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture(scope="session")
def migrated(tmp_path_factory):
    """One scratch database for the operations tests, migrated, with the demo data: (url, instance
    folder). The tests that write to it mark their rows and leave the demo's alone."""
    folder = tmp_path_factory.mktemp("ops")
    instance = folder / "instance"
    instance.mkdir()
    with _scratch(folder) as url:
        for command in (["migrate"], ["demo"]):
            done = cli(url, instance, *command)
            assert done.returncode == 0, done.stderr
        yield url, instance
