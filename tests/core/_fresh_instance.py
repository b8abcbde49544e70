"""A fresh, real deployment for the first-run tests, made the way an operator makes one: a
configuration file (no plugins, ``demo = false``), ``partnerskab migrate``, ``partnerskab
create-user`` for the platform administrator, ``partnerskab serve`` on a free port, each a
subprocess of the installed command.

It has its own SQLite file and instance folder under pytest's temporary directory: a fresh
instance has no municipality, which the session's shared database (SQLite or PostgreSQL) with
its demo data cannot be, and the process-wide database binding must not move under the
session's app. The tests read its database directly with ``sqlite3`` to see what was written.
"""
from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import time
from pathlib import Path

import httpx

from core.settings import ROOT

EXE = ROOT / ".venv" / "bin" / "partnerskab"
ADMIN = "admin@fresh-instance.example"
PASSWORD = "kastanje trappe under lyset"
SECRET = "fresh-instance-test-secret-0123456789"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FreshInstance:
    def __init__(self, folder: Path):
        self.folder = folder
        self.instance = folder / "instance"
        self.database = folder / "fresh.sqlite3"
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.config = folder / "fresh.toml"
        self.config.write_text(
            f'database_url = "sqlite:///{self.database}"\n'
            f'instance_dir = "{self.instance}"\n'
            "plugins = []\n"
            "demo = false\n"
            f'base_url = "{self.url}"\n'
            'site_name = "Partnerskab Test"\n'
            'log_level = "warning"\n', encoding="utf-8")
        self.process: subprocess.Popen | None = None

    def env(self, **extra: str) -> dict[str, str]:
        base = {key: value for key, value in os.environ.items()
                if not key.startswith("PARTNERSKAB_") and key not in {"DATABASE_URL", "SECRET_KEY", "PORT"}}
        return {**base, "PARTNERSKAB_CONFIG": str(self.config), "SECRET_KEY": SECRET, **extra}

    def cli(self, *args: str, **env: str) -> subprocess.CompletedProcess:
        result = subprocess.run([str(EXE), *args], cwd=ROOT, env=self.env(**env), capture_output=True, text=True,
                                timeout=120)
        assert "Traceback" not in result.stdout + result.stderr, result.stderr
        return result

    def create(self) -> "FreshInstance":
        assert self.cli("migrate").returncode == 0
        made = self.cli("create-user", ADMIN, "--role", "platform_admin", "--name", "Ada Nielsen",
                        PARTNERSKAB_PASSWORD=PASSWORD)
        assert made.returncode == 0, made.stderr
        return self

    def start(self) -> "FreshInstance":
        self.log = open(self.folder / "serve.log", "a", encoding="utf-8")
        self.process = subprocess.Popen([str(EXE), "serve", "--port", str(self.port)], cwd=ROOT, env=self.env(),
                                        stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(200):
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None:
                self.stop()
                raise AssertionError("the fresh instance did not start: "
                                     + (self.folder / "serve.log").read_text(encoding="utf-8")[-2000:])
            time.sleep(0.05)
        raise AssertionError("the fresh instance did not answer /healthz")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if self.process is not None:
            self.log.close()
        self.process = None

    def rows(self, sql: str, *params) -> list[tuple]:
        with sqlite3.connect(self.database) as connection:
            return connection.execute(sql, params).fetchall()
