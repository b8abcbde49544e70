"""Sessions over real HTTP: new token at login, logout and revocation end them on the server,
idle and absolute limits, cookie attributes."""
from __future__ import annotations

import datetime

import httpx

from core import db
from core.auth import accounts, sessions
from core.models.account import Account, Session
from tests.core.auth.conftest import csrf_from, login


def session_cookie(response: httpx.Response) -> str:
    for header in response.headers.get_list("set-cookie"):
        if header.startswith("session=") or header.startswith("__Host-session="):
            return header
    raise AssertionError("no session cookie set")


def open_sessions(email):
    with db.connection():
        return list(Session.select().join(Account).where(Account.email == email, Session.ended_at.is_null()))


def replay(live_server, cookie_value: str) -> httpx.Response:
    with httpx.Client(base_url=live_server, cookies={"session": cookie_value}, follow_redirects=False) as other:
        return other.get("/me")


def test_cookie_is_httponly_lax_and_holds_only_an_opaque_token(make_account, client):
    email = make_account()
    header = session_cookie(login(client, email))
    assert "HttpOnly" in header and "samesite=lax" in header.lower() and "Path=/" in header
    assert "Secure" not in header  # plain HTTP here; see the HTTPS test
    assert email not in header
    [row] = open_sessions(email)
    # the row is keyed by the token's SHA-256: the table alone cannot be replayed as cookies
    token = client.cookies["session"].rsplit(".", 2)[0]
    assert row.id == sessions.session_id(token) and row.id not in header


def test_over_https_the_cookie_is_secure_with_the_host_prefix(make_account, client_factory):
    email = make_account()
    client = client_factory(**{"X-Forwarded-Proto": "https"})
    page = client.get("/login")
    # httpx keeps Secure cookies for https URLs only, so this test carries the cookie itself
    [browser_cookie] = [h for h in page.headers.get_list("set-cookie") if h.startswith("__Host-csrf=")]
    assert "Secure" in browser_cookie
    client.cookies.clear()
    response = client.post("/login", data={"email": email, "password": "blue kettle under the stairs",
                                           "csrf_token": csrf_from(page.text)},
                           headers={"Cookie": browser_cookie.split(";")[0]})
    header = session_cookie(response)
    assert header.startswith("__Host-session=")
    assert "Secure" in header and "Path=/" in header and "Domain" not in header
    assert "strict-transport-security" in response.headers


def test_login_gives_a_new_session_and_ends_the_old_one(make_account, client):
    email = make_account()
    first = session_cookie(login(client, email)).split(";")[0]
    token = csrf_from(client.get("/me").text)  # logged in, /login itself redirects to /me
    second = session_cookie(client.post("/login", data={"email": email, "password": "blue kettle under the stairs",
                                                        "csrf_token": token})).split(";")[0]
    assert first != second
    assert len(open_sessions(email)) == 1
    with db.connection():
        assert Session.select().join(Account).where(Account.email == email,
                                                    Session.end_reason == "replaced").count() == 1


def test_logout_ends_the_session_and_a_replayed_cookie_is_refused(make_account, client, live_server):
    email = make_account()
    login(client, email)
    old_cookie = client.cookies["session"]
    me = client.get("/me")
    assert me.status_code == 200
    response = client.post("/logout", data={"csrf_token": csrf_from(me.text)})
    assert response.status_code == 303
    assert 'session=""' in session_cookie(response) and "Max-Age=0" in session_cookie(response)
    assert open_sessions(email) == []
    assert client.get("/me").status_code == 303
    replayed = replay(live_server, old_cookie)
    assert replayed.status_code == 303 and replayed.headers["location"].startswith("/login")


def test_revoking_sessions_from_the_cli_ends_them(make_account, client, live_server):
    email = make_account()
    login(client, email)
    cookie = client.cookies["session"]
    with db.connection():
        assert accounts.revoke_sessions(email, actor="test") == 1
    assert replay(live_server, cookie).status_code == 303


def test_idle_timeout_ends_the_session(make_account, client, settings):
    email = make_account()
    login(client, email)
    assert client.get("/me").status_code == 200
    [row] = open_sessions(email)
    with db.connection():
        Session.update(last_seen_at=row.last_seen_at - datetime.timedelta(minutes=settings.session_idle_minutes + 1)
                       ).where(Session.id == row.id).execute()
    response = client.get("/me")
    assert response.status_code == 303
    with db.connection():
        assert Session.get_by_id(row.id).end_reason == "idle"


def test_absolute_lifetime_ends_an_active_session(make_account, client, settings):
    email = make_account()
    login(client, email)
    [row] = open_sessions(email)
    with db.connection():
        Session.update(created_at=row.created_at - datetime.timedelta(hours=settings.session_max_hours, minutes=1)
                       ).where(Session.id == row.id).execute()
    assert client.get("/me").status_code == 303
    with db.connection():
        assert Session.get_by_id(row.id).end_reason == "expired"


def test_deactivating_an_account_ends_its_session(make_account, client):
    email = make_account()
    login(client, email)
    with db.connection():
        Account.update(active=False).where(Account.email == email).execute()
    assert client.get("/me").status_code == 303
    assert open_sessions(email) == []


def test_a_forged_cookie_is_refused(live_server):
    assert replay(live_server, "made-up-token.AAAAAA.BBBBBBBBBBBB").status_code == 303
