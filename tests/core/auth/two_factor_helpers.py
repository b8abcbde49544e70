"""Helpers for the two-factor tests: turn it on over HTTP and compute codes with pyotp.

An accepted code's time step is stored so the same code cannot be used twice; tests that
are not about that reset the stored step (``usable_code``) so they need not wait 30 seconds
between two logins.
"""
from __future__ import annotations

import re

import httpx
import pyotp

from core import db
from core.models.account import Account
from core.models.two_factor import TwoFactor
from tests.core.auth.conftest import csrf_from, login

SECRET = re.compile(r'id="two-factor-secret">([A-Z2-7]+)<')
RECOVERY = re.compile(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>")


def usable_code(email: str) -> str:
    with db.connection():
        row = TwoFactor.select().join(Account).where(Account.email == email).get()
        TwoFactor.update(last_step=0).where(TwoFactor.id == row.id).execute()
    return pyotp.TOTP(row.secret).now()


def turn_on(client: httpx.Client) -> tuple[str, list[str]]:
    """On the logged-in client's account: (secret, recovery codes)."""
    page = client.get("/me/two-factor")
    assert page.status_code == 200, page.text
    secret = SECRET.search(page.text).group(1)
    response = client.post("/me/two-factor/enable", data={"code": pyotp.TOTP(secret).now(),
                                                          "csrf_token": csrf_from(page.text)})
    assert response.status_code == 200, response.text
    codes = RECOVERY.findall(response.text)
    assert len(codes) == 10
    return secret, codes


def password_step(client: httpx.Client, email: str, password: str | None = None) -> httpx.Response:
    response = login(client, email, **({"password": password} if password else {}))
    assert response.status_code == 303 and response.headers["location"] == "/login/two-factor", response.text
    return response


def code_step(client: httpx.Client, code: str) -> httpx.Response:
    page = client.get("/login/two-factor")
    assert page.status_code == 200, page.text
    return client.post("/login/two-factor", data={"code": code, "csrf_token": csrf_from(page.text)})
