"""Turning two-factor login on ends the person's other logins, made with the password alone,
and offers to revoke their API tokens, which never ask for the second factor (issue 7, item 6)."""
from __future__ import annotations

import httpx
import pyotp

from core import db
from core.models.account import Account, Session
from tests.core.api.conftest import token_for
from tests.core.auth.conftest import csrf_from, login
from tests.core.auth.two_factor_helpers import SECRET


def test_turning_it_on_ends_other_logins_and_offers_to_revoke_tokens(make_account, client_factory, live_server):
    email = make_account()
    here, elsewhere = client_factory(**{"Accept-Language": "en"}), client_factory()
    assert login(here, email).status_code == 303 and login(elsewhere, email).status_code == 303
    assert elsewhere.get("/me").status_code == 200
    secret = token_for(email, "script")
    with httpx.Client(base_url=live_server, headers={"Authorization": f"Bearer {secret}"}) as api:
        assert api.get("/api/v1/payments").status_code != 401

        page = here.get("/me/two-factor")
        code = pyotp.TOTP(SECRET.search(page.text).group(1)).now()
        enabled = here.post("/me/two-factor/enable", data={"code": code, "csrf_token": csrf_from(page.text)})
        assert enabled.status_code == 200
        assert 'id="ended-sessions"' in enabled.text and "1 other login of yours was ended" in enabled.text
        assert 'action="/me/tokens/revoke-all"' in enabled.text and "You have 1 API token." in enabled.text
        # the other browser is logged out; this one goes on
        assert elsewhere.get("/me").headers["location"].startswith("/login")
        assert here.get("/me").status_code == 200
        with db.connection():
            account = Account.get(Account.email == email)
            reasons = [row.end_reason for row in Session.select().where(Session.account == account.id,
                                                                        Session.ended_at.is_null(False))]
        assert reasons == ["two_factor"]
        # the token still works until the person takes up the offer
        assert api.get("/api/v1/payments").status_code != 401
        revoked = here.post("/me/tokens/revoke-all", data={"csrf_token": csrf_from(enabled.text)})
        assert revoked.status_code == 303 and revoked.headers["location"] == "/me/tokens"
        assert api.get("/api/v1/payments").status_code == 401


def test_with_no_other_login_and_no_token_there_is_nothing_to_offer(make_account, client_factory):
    client = client_factory(**{"Accept-Language": "en"})
    assert login(client, make_account()).status_code == 303
    page = client.get("/me/two-factor")
    response = client.post("/me/two-factor/enable", data={
        "code": pyotp.TOTP(SECRET.search(page.text).group(1)).now(), "csrf_token": csrf_from(page.text)})
    assert "You had no other open logins." in response.text and "revoke-all" not in response.text
