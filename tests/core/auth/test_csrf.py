"""CSRF: every route that accepts POST, PUT, PATCH or DELETE — the core's and every plugin's —
refuses a request without a token and one with a token from another browser, with 403, a
log line and an audit row."""
from __future__ import annotations

import logging
import re

import httpx
import pytest
from starlette.routing import Mount, Route

from core import db
from core.models.audit import AuditEntry
from tests.core.auth.conftest import csrf_from, login

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def state_changing_routes(routes, prefix=""):
    found = []
    for route in routes:
        if isinstance(route, Mount) and getattr(route, "routes", None):
            found += state_changing_routes(route.routes, prefix + route.path)
        elif isinstance(route, Route):
            for method in sorted(set(route.methods or ()) & set(UNSAFE)):
                found.append((method, prefix + re.sub(r"\{[^}]+\}", "x", route.path)))
    return found


@pytest.fixture(scope="module")
def targets(app):
    found = state_changing_routes(app.routes)
    assert ("POST", "/login") in found and ("POST", "/logout") in found
    return found


def foreign_token(live_server) -> str:
    with httpx.Client(base_url=live_server) as stranger:
        return csrf_from(stranger.get("/login").text)


def test_every_state_changing_route_refuses_a_missing_token(targets, client, make_account, caplog):
    caplog.set_level(logging.WARNING, logger="partnerskab.security")
    client.get("/login")  # the browser has its csrf cookie: only the token is missing
    browser = httpx.Client(base_url=str(client.base_url), headers=dict(client.headers))
    login(browser, make_account())
    for method, path in targets:
        sender = browser if path.startswith("/api/") else client
        response = sender.request(method, path, data={"email": "a@b.dk", "password": "x" * 12})
        assert response.status_code == 403, (method, path)
        assert "request-id" in response.text or response.headers["x-request-id"] in response.text
        assert any("CSRF check failed (missing token)" in r.getMessage() and path in r.getMessage()
                   for r in caplog.records), (method, path)
    browser.close()


def test_an_api_request_without_a_login_or_a_token_is_told_to_authenticate(targets, client):
    client.get("/login")  # a csrf cookie, no login: nothing a forged request could act with
    for method, path in targets:
        if path.startswith("/api/"):
            response = client.request(method, path, json={})
            assert response.status_code == 401, (method, path)
            assert response.headers["www-authenticate"].startswith("Bearer"), (method, path)
            assert response.headers["content-type"] == "application/problem+json"


def test_every_state_changing_route_refuses_a_foreign_token(targets, client, make_account, live_server, caplog):
    caplog.set_level(logging.WARNING, logger="partnerskab.security")
    client.get("/login")
    browser = httpx.Client(base_url=str(client.base_url), headers=dict(client.headers))
    login(browser, make_account())
    stolen = foreign_token(live_server)
    for method, path in targets:
        sender = browser if path.startswith("/api/") else client
        by_form = sender.request(method, path, data={"csrf_token": stolen})
        by_header = sender.request(method, path, headers={"X-CSRF-Token": stolen})
        assert by_form.status_code == 403 and by_header.status_code == 403, (method, path)
    browser.close()
    assert any("foreign token" in r.getMessage() for r in caplog.records)


def test_a_logged_in_browser_refuses_its_own_pre_login_token(make_account, client):
    """Tokens are bound to the session once logged in: a token from before does not work."""
    email = make_account()
    before = csrf_from(client.get("/login").text)
    login(client, email)
    assert client.post("/logout", data={"csrf_token": before}).status_code == 403
    after = csrf_from(client.get("/me").text)
    assert client.post("/logout", headers={"X-CSRF-Token": after}).status_code == 303


def test_login_without_a_token_is_refused_even_with_the_right_password(make_account, client):
    email = make_account()
    client.get("/login")
    response = client.post("/login", data={"email": email, "password": "blue kettle under the stairs"})
    assert response.status_code == 403
    assert "session=" not in response.headers.get("set-cookie", "")


def test_refusals_are_in_the_audit_log(client):
    client.get("/login")
    client.post("/logout", data={})
    with db.connection():
        assert AuditEntry.select().where(AuditEntry.action == "csrf.refused",
                                         AuditEntry.object_id == "POST /logout").exists()


def test_a_cookieless_post_is_refused(live_server):
    with httpx.Client(base_url=live_server) as fresh:
        assert fresh.post("/logout", data={"csrf_token": "anything"}).status_code == 403
