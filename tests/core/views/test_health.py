"""/healthz for load balancers and operators, and the static files."""
from __future__ import annotations

from pathlib import Path

import core
from core import db
from core.settings import ROOT


def test_healthz_reports_the_database(http):
    response = http.get("/healthz")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["status"] == "ok"
    assert body["version"] == core.__version__
    assert body["database"]["ok"] is True
    assert body["database"]["backend"] == db.backend_name() and body["database"]["backend"] in {"sqlite", "postgresql"}
    assert body["database"]["pending_migrations"] == {}
    assert isinstance(body["database"]["latency_ms"], (int, float)) and body["database"]["latency_ms"] >= 0


def test_healthz_answers_json_even_to_a_browser_and_has_the_security_headers(http):
    response = http.get("/healthz", headers={"Accept": "text/html"})
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-request-id"]


def test_the_theme_stylesheet_is_served(http):
    response = http.get("/static/css/base.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert response.content == (ROOT / "themes" / "default" / "static" / "css" / "base.css").read_bytes()
    assert response.headers["x-content-type-options"] == "nosniff"


def test_static_files_do_not_leave_their_folders(http):
    for path in ("/static/css/nope.css", "/static/../config/default.toml", "/static/%2e%2e/config/default.toml",
                 "/static/..%2f..%2fpyproject.toml", "/static/"):
        response = http.get(path)
        assert response.status_code == 404, path
        assert "[project]" not in response.text and "database_url" not in response.text


def test_every_page_links_the_stylesheet(http):
    assert '<link rel="stylesheet" href="/static/css/base.css">' in http.get("/organisations").text
    assert Path(ROOT / "themes" / "default" / "static" / "css" / "base.css").stat().st_size > 0
