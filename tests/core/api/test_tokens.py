"""Personal access tokens: made on the command line and in the browser (the secret shown once),
stored hashed, carrying the account's permissions, revocable (then 401), audited; bearer
requests to the API skip the CSRF check, cookie requests to the API do not."""
from __future__ import annotations

import datetime
import hashlib
import os
import re
import subprocess
import sys

import httpx

from core import clock, db
from core.models.account import Account
from core.models.api_token import ApiToken
from core.models.audit import AuditEntry
from core.settings import DEFAULT_CONFIG, ROOT
from tests.core.api.conftest import PASSWORD, new_account, token_for
from tests.core.auth.conftest import csrf_from, fresh_address, login

EXE = ROOT / ".venv" / "bin" / "partnerskab"


def _cli(settings, tmp_path, *args):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("PARTNERSKAB_") and key not in {"DATABASE_URL", "SECRET_KEY", "PORT"}}
    env.update(PARTNERSKAB_CONFIG=str(DEFAULT_CONFIG), DATABASE_URL=settings.database_url,
               PARTNERSKAB_INSTANCE_DIR=str(tmp_path / "instance"))
    return subprocess.run([str(EXE), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_create_token_on_the_command_line_is_hashed_at_rest_and_works(settings, app, tmp_path, api):
    email = new_account("consultant", municipality="0101")
    result = _cli(settings, tmp_path, "create-token", email, "--name", "reporting")
    assert result.returncode == 0, result.stderr
    secret = result.stdout.strip()
    assert re.fullmatch(r"psk_[A-Za-z0-9_-]{43}", secret)
    assert "shown only now" in result.stderr
    with db.connection():
        row = ApiToken.select().join(Account).where(Account.email == email).get()
        assert row.name == "reporting" and row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert row.prefix == secret[:12] and row.last_used_at is None
        # the secret is nowhere in the table, nor in the audit log
        stored = " ".join(str(value) for value in ApiToken.select().where(ApiToken.id == row.id).dicts().get().values())
        assert secret not in stored and secret[12:] not in stored
        audit = AuditEntry.get(AuditEntry.action == "api_token.create", AuditEntry.object_id == str(row.id))
        assert secret[12:] not in audit.after
    response = api(secret).get("/api/v1/payments")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    with db.connection():
        assert ApiToken.get_by_id(row.id).last_used_at is not None
    # an unknown account is a message and exit code 2
    unknown = _cli(settings, tmp_path, "create-token", "nobody@example.org")
    assert unknown.returncode == 2 and "no account" in unknown.stderr and "Traceback" not in unknown.stderr


def test_browser_makes_shows_once_and_revokes(live_server, api):
    email = new_account("consultant", municipality="0101")
    with httpx.Client(base_url=live_server, timeout=20, follow_redirects=False,
                      headers={"X-Forwarded-For": fresh_address(), "Accept-Language": "en"}) as browser:
        assert login(browser, email, PASSWORD).status_code == 303
        page = browser.get("/me/tokens")
        assert page.status_code == 200 and "You have no tokens." in page.text
        assert 'href="/me/tokens"' in browser.get("/me").text
        # without the form's CSRF token: refused
        assert browser.post("/me/tokens", data={"name": "x", "expires_in_days": "30"}).status_code == 403
        refused = browser.post("/me/tokens", data={"name": "", "expires_in_days": "30",
                                                   "csrf_token": csrf_from(page.text)})
        assert refused.status_code == 400 and "Give the token a name" in refused.text
        made = browser.post("/me/tokens", data={"name": "Spreadsheet sync", "expires_in_days": "30",
                                                "csrf_token": csrf_from(page.text)})
        assert made.status_code == 200
        secret = re.search(r'<code id="token-secret">(psk_[^<]+)</code>', made.text).group(1)
        again = browser.get("/me/tokens")
        assert secret not in again.text and secret[:12] in again.text and "Spreadsheet sync" in again.text
        with db.connection():
            token = ApiToken.get(ApiToken.token_hash == hashlib.sha256(secret.encode()).hexdigest())
            assert token.expires_at.date() == (clock.now() + datetime.timedelta(days=30)).date()

        client = api(secret)
        me = client.get("/api/v1/applications")
        assert me.status_code == 200

        # another person's token cannot be revoked by this browser
        foreign_id = _token_id(token_for(new_account("consultant", municipality="0101")))
        assert browser.post(f"/me/tokens/{foreign_id}/revoke", data={"csrf_token": csrf_from(again.text)}
                            ).status_code == 404
        revoked = browser.post(f"/me/tokens/{token.id}/revoke", data={"csrf_token": csrf_from(again.text)})
        assert revoked.status_code == 303
        assert "revoked" in browser.get("/me/tokens").text
    gone = client.get("/api/v1/applications")
    assert gone.status_code == 401 and gone.headers["content-type"] == "application/problem+json"
    assert "invalid_token" in gone.headers["www-authenticate"]
    with db.connection():
        assert AuditEntry.select().where(AuditEntry.action == "api_token.revoke",
                                         AuditEntry.object_id == str(token.id)).count() == 1


def _token_id(secret: str) -> int:
    with db.connection():
        return ApiToken.get(ApiToken.token_hash == hashlib.sha256(secret.encode()).hexdigest()).id


def test_expired_unknown_and_malformed_tokens_are_401(api):
    secret = token_for(new_account("consultant", municipality="0101"))
    with db.connection():
        ApiToken.update(expires_at=clock.now() - datetime.timedelta(seconds=1)).where(
            ApiToken.id == _token_id(secret)).execute()
    for token in (secret, "psk_" + "x" * 43, "not-even-a-token", "psk_" + "y" * 5000):
        response = api(token).get("/api/v1/municipalities")
        assert response.status_code == 401, token[:20]
        assert response.json()["status"] == 401
    assert api(Authorization="Basic abc").get("/api/v1/municipalities").status_code == 401
    # a public route answers without any token
    assert api().get("/api/v1/municipalities").status_code == 200


def test_a_deactivated_account_s_token_stops_working(api):
    email = new_account("consultant", municipality="0101")
    secret = token_for(email)
    assert api(secret).get("/api/v1/payments").status_code == 200
    with db.connection():
        Account.update(active=False).where(Account.email == email).execute()
    assert api(secret).get("/api/v1/payments").status_code == 401


def test_bearer_requests_skip_csrf_but_cookie_requests_to_the_api_do_not(live_server, api):
    """A bearer token cannot be forged by another site; a browser's cookie can be sent by one."""
    email = new_account("municipality_admin", municipality="0101")
    secret = token_for(email)
    # the token: no CSRF token needed; the request reaches the API (an unknown payment: 404)
    by_token = api(secret).post("/api/v1/payments/999999/approve")
    assert by_token.status_code == 404 and by_token.json()["type"].endswith("not-found")
    with httpx.Client(base_url=live_server, timeout=20, follow_redirects=False,
                      headers={"X-Forwarded-For": fresh_address(), "Accept-Language": "en"}) as browser:
        assert login(browser, email, PASSWORD).status_code == 303
        # the session cookie reads the API like a page...
        assert browser.get("/api/v1/payments").status_code == 200
        # ...but a write with the cookie alone is refused by the CSRF check
        forged = browser.post("/api/v1/payments/999999/approve")
        assert forged.status_code == 403
        assert forged.headers["content-type"] == "application/problem+json"
        # with the page's CSRF token in the header it passes the check (and meets the API's 404)
        token = csrf_from(browser.get("/me/tokens").text)
        assert browser.post("/api/v1/payments/999999/approve", headers={"X-CSRF-Token": token}).status_code == 404
        # an invalid bearer header next to a valid cookie: the cookie is ignored (401, not the session)
        mixed = browser.post("/api/v1/payments/999999/approve", headers={"Authorization": "Bearer psk_wrong"})
        assert mixed.status_code == 401
        mixed_get = browser.get("/api/v1/payments", headers={"Authorization": "Bearer psk_wrong"})
        assert mixed_get.status_code == 401
    # a bearer header does not exempt a page (outside /api/) from the CSRF check
    page_post = api(secret).post("/me/tokens", data={"name": "x"})
    assert page_post.status_code == 403


def test_a_token_carries_exactly_its_account_s_permissions(api):
    national = api(token_for("national@partnerskab.test"))
    refused = national.get("/api/v1/applications")
    assert refused.status_code == 403 and refused.json()["type"].endswith("forbidden")
    consultant = api(token_for(new_account("consultant", municipality="0101")))
    # a consultant may request but not approve payments (as on the pages)
    assert consultant.post("/api/v1/payments/1/approve").status_code == 403
    assert api().get("/api/v1/applications").status_code == 401
