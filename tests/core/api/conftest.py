"""Helpers for the API tests: tokens for demo or fresh accounts, and a client per token."""
from __future__ import annotations

import uuid

import httpx
import pytest

from core import db
from core.auth import accounts, api_tokens
from core.models.account import Account

PASSWORD = "orange lamp beside the window"


def new_account(role: str, *, municipality: str | None = None, organisation: str | None = None) -> str:
    email = f"api-{uuid.uuid4().hex[:10]}@example.org"
    with db.connection():
        accounts.create_account(email=email, name="API Tester", password=PASSWORD, role=role,
                                municipality_code=municipality, organisation_ref=organisation, actor="test")
    return email


def token_for(email: str, name: str = "test") -> str:
    with db.connection():
        account = Account.get(Account.email == email)
        _, secret = api_tokens.create_token(account, name=name, actor="test")
    return secret


@pytest.fixture
def api(live_server):
    """``api(token)`` -> an httpx client sending the token (or none)."""
    clients = []

    def make(token: str | None = None, **headers) -> httpx.Client:
        if token:
            headers["Authorization"] = f"Bearer {token}"
        client = httpx.Client(base_url=live_server, timeout=20, headers={"Accept-Language": "en", **headers})
        clients.append(client)
        return client
    yield make
    for client in clients:
        client.close()
