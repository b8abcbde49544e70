"""A non-demo deployment refuses to start with the public demo accounts in its database or
without its own secret: ``create_app`` raises, ``partnerskab serve`` exits with words; with
neither it serves over HTTP."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import pytest

from core.settings import ROOT, ConfigError
from tests.conftest import _free_port

SECRET = "s" * 48


def cli_env(database_url: str | None, **extra) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("PARTNERSKAB_") and key not in ("SECRET_KEY", "DATABASE_URL", "PORT")}
    env["PARTNERSKAB_CONFIG"] = str(ROOT / "config" / "roskilde.toml")
    env["PARTNERSKAB_WORKERS"] = "1"
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


def cli(*args, env, timeout=60, stdin="") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "core.cli", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=timeout)


def test_create_app_refuses_demo_accounts_when_not_a_demo(app, settings):
    from core.app import create_app
    with pytest.raises(ConfigError, match=r"demo account.*@partnerskab\.test"):
        create_app(settings.replace(demo=False, secret_key=SECRET))


def test_serve_refuses_demo_accounts_when_not_a_demo(app, database_url):
    result = cli("serve", "--port", str(_free_port()), env=cli_env(database_url, SECRET_KEY=SECRET))
    assert result.returncode == 1
    assert "refusing to start" in result.stderr and "admin@partnerskab.test" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_refuses_without_a_secret_key(database_url):
    result = cli("serve", "--port", str(_free_port()), env=cli_env(database_url))
    assert result.returncode == 1
    assert "secret_key is not set" in result.stderr and "SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def clean_database(tmp_path) -> str:
    """A migrated database of a Roskilde deployment without demo data."""
    url = f"sqlite:///{tmp_path / 'roskilde.sqlite3'}"
    result = cli("migrate", env=cli_env(url, SECRET_KEY=SECRET))
    assert result.returncode == 0, result.stderr
    return url


def test_a_clean_non_demo_deployment_serves_and_one_demo_account_stops_it(clean_database, tmp_path):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log, subprocess.Popen(
            [sys.executable, "-m", "core.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env=cli_env(clean_database, SECRET_KEY=SECRET), stdout=log, stderr=log) as process:
        try:
            response = None
            for _ in range(200):
                try:
                    response = httpx.get(base + "/healthz", timeout=1)
                    break
                except httpx.HTTPError:
                    assert process.poll() is None, log_path.read_text()
                    time.sleep(0.05)
            assert response is not None and response.status_code == 200, log_path.read_text()
            assert httpx.get(base + "/login", timeout=5).status_code == 200
        finally:
            process.terminate()
            process.wait(timeout=10)

    created = cli("create-user", "someone@partnerskab.test", "--role", "platform_admin",
                  env=cli_env(clean_database, SECRET_KEY=SECRET, PARTNERSKAB_PASSWORD="a long enough passphrase"))
    assert created.returncode == 0, created.stderr
    refused = cli("serve", "--port", str(_free_port()), env=cli_env(clean_database, SECRET_KEY=SECRET))
    assert refused.returncode == 1 and "someone@partnerskab.test" in refused.stderr
