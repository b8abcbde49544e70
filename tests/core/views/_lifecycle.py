"""Helpers for the lifecycle tests over real HTTP: a browser-like client per person (its own
client address, so login throttling of one test never touches another), logging in with the
CSRF token, posting forms from the page they are on, and fresh programmes, organisations and
accounts made through the rules.

Each test makes its own programme of the plugin's type, owned like the real one (by the
municipality, or by the real volunteer centre), so the demo accounts act in their real scopes
while the demo programmes' networks stay as their sources describe them.
"""
from __future__ import annotations

import datetime
import html
import re
import uuid

import httpx
import pytest

from core import db
from core.auth import accounts
from core.demo import DEMO_PASSWORD
from core.models.organisation import Organisation
from core.rules import registry

PASSWORD = "green teapot behind the shed"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
ENGLISH = {"Cookie": "lang=en"}
TODAY = datetime.date.today()


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def fresh_address() -> str:
    n = uuid.uuid4().int
    return f"10.{n % 250 + 1}.{(n >> 8) % 250 + 1}.{(n >> 16) % 250 + 1}"


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)))


class Person:
    """A logged-in browser."""

    def __init__(self, base_url: str, email: str, password: str):
        self.email = email
        self.client = httpx.Client(base_url=base_url, timeout=20, follow_redirects=False,
                                   headers={"X-Forwarded-For": fresh_address(), "Accept-Language": "en"})
        page = self.client.get("/login")
        response = self.client.post("/login", data={"email": email, "password": password,
                                                    "csrf_token": self.token(page.text)})
        assert response.status_code == 303, f"{email} could not log in: {response.status_code}"

    @staticmethod
    def token(text: str) -> str:
        match = CSRF_FIELD.search(text)
        assert match, "the page has no CSRF token"
        return match.group(1)

    def get(self, path: str, expect: int = 200) -> str:
        response = self.client.get(path)
        assert response.status_code == expect, f"GET {path}: {response.status_code}"
        return response.text

    def post(self, page_path: str, action: str, data: dict, expect: int = 303) -> httpx.Response:
        """Post a form found on ``page_path`` (its CSRF token) to ``action``."""
        token = self.token(self.get(page_path))
        response = self.client.post(action, data={**data, "csrf_token": token})
        assert response.status_code == expect, (f"POST {action}: {response.status_code} "
                                                f"{text_of(response.text)[:1500]}")
        return response

    def close(self):
        self.client.close()


@pytest.fixture
def people(live_server):
    made: list[Person] = []

    def login(email: str, password: str = DEMO_PASSWORD) -> Person:
        person = Person(live_server, email, password)
        made.append(person)
        return person
    yield login
    for person in made:
        person.close()


def make_account(role: str, *, municipality: str | None = None, organisation: str | None = None,
                 name: str = "Test Person") -> str:
    email = f"lifecycle-{uuid.uuid4().hex[:10]}@example.org"
    with db.connection():
        accounts.create_account(email=email, name=name, password=PASSWORD, role=role, municipality_code=municipality,
                                organisation_ref=organisation, actor="test")
    return email


def make_organisation(platform, name: str, municipality: str, **fields) -> Organisation:
    with db.connection():
        return registry.create_organisation(platform, {"name": unique(name), "kind": "association",
                                                       "municipality": municipality, **fields}, "test")


def make_programme(platform, type_key: str, municipality: str, *, owner_slug: str | None = None,
                   start: datetime.date | None = None, end: datetime.date | None = None):
    with db.connection():
        owner = Organisation.get(Organisation.slug == owner_slug) if owner_slug else None
        return registry.create_programme(platform, {
            "name": unique("Testprogram livscyklus"), "programme_type": type_key, "municipality": municipality,
            "owner_organisation": owner, "start_date": start or TODAY - datetime.timedelta(days=365),
            "end_date": end}, "test")


def open_call(staff: Person, programme, *, questions: str = "What will the young people do with you?") -> int:
    response = staff.post(f"/calls/new?programme={programme.id}", "/calls/new", {
        "programme": str(programme.id), "title": unique("Call"), "description": "A test round",
        "opens_on": (TODAY - datetime.timedelta(days=1)).isoformat(),
        "closes_on": (TODAY + datetime.timedelta(days=14)).isoformat(), "questions": questions})
    location = response.headers["location"]
    assert re.fullmatch(r"/calls/\d+", location)
    return int(location.rsplit("/", 1)[1])


def start_application(applicant: Person, call_id: int, organisation) -> int:
    response = applicant.post(f"/calls/{call_id}", f"/calls/{call_id}/apply", {"organisation": str(organisation.id)})
    location = response.headers["location"]
    assert re.fullmatch(r"/applications/\d+", location)
    return int(location.rsplit("/", 1)[1])


def question_field(page: str) -> str:
    match = re.search(r'name="(question:\d+)"', page)
    assert match, "no extra question on the application form"
    return match.group(1)


def status_of(person: Person, application_id: int) -> str:
    page = person.get(f"/applications/{application_id}")
    return text_of(re.search(r'<dd id="application-status">(.*?)</dd>', page).group(1)).strip()


def problems(page: str) -> str:
    match = re.search(r'<div class="error-summary"[^>]*id="form-problems"[^>]*>(.*?)</div>', page, re.S)
    assert match, "no problems shown"
    return text_of(match.group(1))
