"""A person's own data over real HTTP: seeing it, downloading it as JSON, and deleting the
account (the audit log stays, pseudonymised)."""
from __future__ import annotations

import json

import httpx

from core import db
from core.models.account import Account, RoleAssignment, Session
from core.models.audit import AuditEntry
from core.models.two_factor import RecoveryCode, TwoFactor
from tests.core.auth.conftest import PASSWORD, csrf_from, login
from tests.core.auth.two_factor_helpers import turn_on


def account_id(email):
    with db.connection():
        return Account.get(Account.email == email).id


def test_the_account_page_links_to_the_data_and_the_deletion(make_account, client):
    login(client, make_account())
    page = client.get("/me").text
    assert 'href="/me/data"' in page and 'href="/me/delete"' in page


def test_the_data_page_and_the_json_download(make_account, client, client_factory):
    email = make_account(role="consultant", municipality="0101", name="Sara Holm")
    login(client_factory(), email)  # an earlier login, now elsewhere
    login(client, email)
    turn_on(client)
    page = client.get("/me/data")
    assert page.status_code == 200 and email in page.text and 'href="/me/data.json"' in page.text

    response = client.get("/me/data.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["cache-control"] == "no-store"
    data = response.json()
    assert data["account"]["email"] == email and data["account"]["name"] == "Sara Holm"
    assert data["account"]["two_factor_enabled_at"] and data["account"]["unused_recovery_codes"] == 10
    assert [(role["role"], role["municipality"]["code"]) for role in data["roles"]] == [("consultant", "0101")]
    assert len(data["sessions"]) == 2 and sum(session["current"] for session in data["sessions"]) == 1
    assert all(set(session) == {"created_at", "last_seen_at", "ended_at", "end_reason", "user_agent", "current"}
               for session in data["sessions"])
    actions = {row["action"] for row in data["audit"]}
    assert {"account.create", "role.grant", "login.success", "two_factor.enable"} <= actions
    # no secrets: not the password hash, not the TOTP secret, not the session ids
    with db.connection():
        account = Account.get(Account.email == email)
        secret = TwoFactor.get(TwoFactor.account == account.id).secret
        session_ids = [row.id for row in Session.select().where(Session.account == account.id)]
    body = response.text
    assert account.password_hash not in body and secret not in body
    assert not any(session_id in body for session_id in session_ids)
    assert "argon2" not in body
    with db.connection():
        assert AuditEntry.select().where(AuditEntry.action == "personal_data.download",
                                         AuditEntry.object_id == str(account.id)).exists()


def test_someone_else_cannot_download_it(make_account, client, live_server):
    email = make_account()
    login(client, email)
    with httpx.Client(base_url=live_server, follow_redirects=False) as anonymous:
        response = anonymous.get("/me/data.json")
        assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_deleting_needs_the_password(make_account, client):
    email = make_account()
    login(client, email)
    page = client.get("/me/delete")
    assert page.status_code == 200
    response = client.post("/me/delete", data={"password": "not the password, sorry",
                                               "csrf_token": csrf_from(page.text)})
    assert response.status_code == 400 and 'id="delete-password-error"' in response.text
    with db.connection():
        assert Account.select().where(Account.email == email).exists()
    assert client.get("/me").status_code == 200


def test_deleting_the_account_keeps_the_audit_log_pseudonymised(make_account, client, client_factory, live_server):
    email = make_account(role="resource_person", municipality=None, organisation="roskilde-basketball-club-rbbc",
                         name="Quentin Abildgaard")
    ident = account_id(email)
    other_browser = client_factory()
    login(other_browser, email)
    login(client_factory(), email, password="a wrong password here")  # a failed login, audited under the email
    login(client, email)
    turn_on(client)
    old_cookie = client.cookies["session"]
    with db.connection():
        condition = (AuditEntry.actor.contains(email) | AuditEntry.after.contains(email)
                     | AuditEntry.before.contains(email) | AuditEntry.after.contains("Quentin Abildgaard")
                     | ((AuditEntry.object_type == "account") & (AuditEntry.object_id == str(ident))))
        rows_before = {row.id for row in AuditEntry.select().where(condition)}
    assert len(rows_before) >= 6

    page = client.get("/me/delete")
    response = client.post("/me/delete", data={"password": PASSWORD, "csrf_token": csrf_from(page.text)})
    assert response.status_code == 200 and 'id="account-deleted"' in response.text
    assert any(h.startswith("session=;") or h.startswith('session="";') for h in response.headers.get_list("set-cookie"))

    with db.connection():
        assert not Account.select().where(Account.id == ident).exists()
        assert not RoleAssignment.select().where(RoleAssignment.account == ident).exists()
        assert not Session.select().where(Session.account == ident).exists()
        assert not TwoFactor.select().where(TwoFactor.account == ident).exists()
        assert not RecoveryCode.select().where(RecoveryCode.account == ident).exists()
        kept = list(AuditEntry.select().where(AuditEntry.id.in_(rows_before)))
        deletion = AuditEntry.get(AuditEntry.action == "account.delete", AuditEntry.object_id == str(ident))
        everything = list(AuditEntry.select())
    # every audit row is still there, and none names the person any more
    assert {row.id for row in kept} == rows_before
    for row in everything:
        text = " ".join((row.actor, row.before, row.after)).lower()
        assert email not in text and "quentin abildgaard" not in text, row.action
    pseudonym = deletion.actor
    assert pseudonym.startswith("deleted-account:") and len(pseudonym) == len("deleted-account:") + 12
    own_rows = [row for row in kept if row.actor == pseudonym]
    assert {"login.success", "two_factor.enable"} <= {row.action for row in own_rows}
    assert json.loads(deletion.after) == {"roles": ["resource_person"]}

    # the old session cookies are refused, and the email and password no longer log in
    with httpx.Client(base_url=live_server, cookies={"session": old_cookie}, follow_redirects=False) as replay:
        assert replay.get("/me").status_code == 303
    assert other_browser.get("/me").status_code == 303
    assert login(client_factory(), email).status_code == 400
