"""Helpers for the catalogue's tests: clients logged in as demo accounts (each from its own
address, so one test's logins never throttle another's), and the demo offers by title."""
from __future__ import annotations

import re
import uuid

import httpx
import pytest

from core import db
from plugins.catalogue.models import Offer

DEMO_PASSWORD = "demo-partnerskab-2025"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
ENGLISH = {"Cookie": "lang=en"}
DANISH = {"Cookie": "lang=da"}


def csrf_from(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def offer_id(title: str) -> int:
    with db.connection():
        return Offer.get(Offer.title == title, Offer.deleted_at.is_null()).id


@pytest.fixture
def client_as(live_server):
    """``client_as(email)`` -> an httpx client logged in as a demo account, in English."""
    made = []

    def make(email: str, password: str = DEMO_PASSWORD) -> httpx.Client:
        n = uuid.uuid4().int
        client = httpx.Client(base_url=live_server, timeout=30, follow_redirects=False, cookies={"lang": "en"},
                              headers={"X-Forwarded-For": f"10.{n % 250 + 1}.{(n >> 8) % 250 + 1}.{n % 9 + 1}"})
        made.append(client)
        page = client.get("/login")
        response = client.post("/login", data={"email": email, "password": password,
                                               "csrf_token": csrf_from(page.text)})
        assert response.status_code == 303, response.text
        return client
    yield make
    for client in made:
        client.close()
