"""Changing one's password over real HTTP: the current password is required (and wrong tries
are throttled), the new one meets the policy, and every other session ends on the server."""
from __future__ import annotations

import json

from core import db
from core.auth import passwords
from core.models.account import Account, Session
from core.models.audit import AuditEntry
from tests.core.auth.conftest import PASSWORD, csrf_from, login

NEW_PASSWORD = "green lantern over the harbour"


def change(client, current, new, again=None):
    page = client.get("/me/password")
    assert page.status_code == 200
    return client.post("/me/password", data={"current_password": current, "new_password": new,
                                             "new_password_again": new if again is None else again,
                                             "csrf_token": csrf_from(page.text)})


def stored_hash(email):
    with db.connection():
        return Account.get(Account.email == email).password_hash


def test_the_account_page_links_to_it(make_account, client):
    login(client, make_account())
    assert 'href="/me/password"' in client.get("/me").text


def test_changing_the_password_ends_every_other_session(make_account, client_factory):
    email = make_account()
    here, elsewhere, third = client_factory(), client_factory(), client_factory()
    for client in (here, elsewhere, third):
        assert login(client, email).status_code == 303
    response = change(here, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 200 and 'id="password-changed"' in response.text
    assert passwords.verify(stored_hash(email), NEW_PASSWORD)
    # this browser stays logged in; the others are ended on the server
    assert here.get("/me").status_code == 200
    for client in (elsewhere, third):
        assert client.get("/me").status_code == 303
    with db.connection():
        ended = (Session.select().join(Account)
                 .where(Account.email == email, Session.end_reason == "password").count())
        row = (AuditEntry.select().where(AuditEntry.action == "password.change",
                                         AuditEntry.actor.endswith(f":{email}")).get())
    assert ended == 2 and json.loads(row.after) == {"ended_sessions": 2}
    # the old password no longer logs in, the new one does
    fresh = client_factory()
    assert login(fresh, email).status_code == 400
    assert login(fresh, email, password=NEW_PASSWORD).status_code == 303


def test_the_current_password_must_be_right(make_account, client):
    email = make_account()
    login(client, email)
    before = stored_hash(email)
    response = change(client, "not my password at all", NEW_PASSWORD)
    assert response.status_code == 400 and 'id="current-password-error"' in response.text
    assert stored_hash(email) == before


def test_the_new_password_follows_the_policy(make_account, client):
    email = make_account(name="Birgitte Sørensen")
    login(client, email)
    before = stored_hash(email)
    for new, again, field in (("short", None, "new-password"),
                              ("password1234", None, "new-password"),
                              ("birgitte sørensen is here", None, "new-password"),
                              (PASSWORD, None, "new-password"),
                              (NEW_PASSWORD, NEW_PASSWORD + "x", "new-password-again")):
        response = change(client, PASSWORD, new, again)
        assert response.status_code == 400, new
        assert f'id="{field}-error"' in response.text, new
    assert stored_hash(email) == before
    # long passwords are fine
    assert change(client, PASSWORD, "x" * 40 + " a very long passphrase " + "y" * 60).status_code == 200


def test_wrong_current_passwords_are_throttled(make_account, client, settings):
    email = make_account()
    login(client, email)
    for _ in range(settings.login_max_failures):
        assert change(client, "guessing the password", NEW_PASSWORD).status_code == 400
    assert change(client, PASSWORD, NEW_PASSWORD).status_code == 429
    assert passwords.verify(stored_hash(email), PASSWORD)
