"""Helpers for the management-form tests: a logged-in client per demo account, posting a form
with the CSRF token of the page it came from, and reading the per-field messages back."""
from __future__ import annotations

import html
import re

import httpx
import pytest

from core.demo import DEMO_PASSWORD
from tests.core.auth.conftest import csrf_from, fresh_address

ADMIN = "admin@partnerskab.test"
KBH_ADMIN = "kbh-admin@partnerskab.test"
KBH_CONSULTANT = "kbh-konsulent@partnerskab.test"
SLAGELSE_COORDINATOR = "slagelse-frivilligcenter@partnerskab.test"
RBBC_RESOURCE_PERSON = "rbbc-ressourceperson@partnerskab.test"
RBBC_BOARD = "rbbc-bestyrelse@partnerskab.test"
NATIONAL = "national@partnerskab.test"
DEMO_ACCOUNTS = (ADMIN, KBH_ADMIN, KBH_CONSULTANT, SLAGELSE_COORDINATOR, RBBC_RESOURCE_PERSON, RBBC_BOARD, NATIONAL)

KBH_PROGRAMME = "kobenhavn-sociale-partnerskaber"
SLAGELSE_PROGRAMME = "slagelse-faellesskabsalliancen"
HILLEROD_PROGRAMME = "hillerod-tuff"
ROSKILDE_PROGRAMME = "roskilde-sociale-partnerskabsforeninger"
RBBC = "roskilde-basketball-club-rbbc"


def new_client(base_url: str) -> httpx.Client:
    client = httpx.Client(base_url=base_url, timeout=30, follow_redirects=False,
                          headers={"X-Forwarded-For": fresh_address()})
    client.cookies.set("lang", "en")
    return client


def log_in(client: httpx.Client, email: str, password: str = DEMO_PASSWORD) -> httpx.Client:
    page = client.get("/login")
    response = client.post("/login", data={"email": email, "password": password,
                                           "csrf_token": csrf_from(page.text)})
    assert response.status_code == 303, f"could not log in as {email}: {response.status_code}"
    return client


@pytest.fixture
def as_user(live_server):
    """``as_user(email)`` -> an httpx client logged in as that account (English pages)."""
    clients: list[httpx.Client] = []

    def make(email: str | None = None) -> httpx.Client:
        client = new_client(live_server)
        clients.append(client)
        return log_in(client, email) if email else client
    yield make
    for client in clients:
        client.close()


def token(client: httpx.Client, path: str = "/") -> str:
    """A CSRF token for this client's session (from any page with a form)."""
    page = client.get(path)
    if 'name="csrf_token"' not in page.text:  # the public's pages hold no form but the login page
        page = client.get("/login")
    return csrf_from(page.text)


def submit(client: httpx.Client, path: str, data: dict, token_from: str | None = None) -> httpx.Response:
    """POST ``data`` to ``path`` with a valid CSRF token (taken from ``token_from`` or the front page)."""
    fields = dict(data)
    fields["csrf_token"] = token(client, token_from or "/")
    return client.post(path, data=fields)


def field_error(page: str, field: str) -> str:
    """The message shown under a field (its id is f-<field>-error), as text."""
    match = re.search(rf'<p class="field-error" id="f-{re.escape(field)}-error">(.*?)</p>', page, re.S)
    assert match, f"no message for {field}"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).replace("Error:", "", 1).strip()


def summary_links(page: str) -> list[str]:
    """The fields the error summary links to."""
    match = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert match, "no error summary"
    return re.findall(r'href="#f-([\w-]+)"', match.group(0))


def assert_invalid(page: str, field: str) -> None:
    """The control is marked invalid and described by its message."""
    control = re.search(rf'<(?:input|select|textarea)[^>]*id="f-{re.escape(field)}"[^>]*>', page, re.S)
    assert control, f"no control f-{field}"
    tag = control.group(0)
    assert 'aria-invalid="true"' in tag, tag
    assert f"f-{field}-error" in re.search(r'aria-describedby="([^"]*)"', tag).group(1)
    assert f'<label for="f-{field}">' in page


def _registry_models():
    from core.models.membership import Membership
    from core.models.money import Grant, SignOnFee
    from core.models.organisation import Organisation, OrganisationTargetGroup
    from core.models.programme import Programme, ProgrammeBudget
    # children first, so deleting new rows never trips a foreign key
    return (SignOnFee, Grant, Membership, ProgrammeBudget, OrganisationTargetGroup, Programme, Organisation)


def registry_snapshot() -> dict[str, dict]:
    """Every registry row (organisations, target groups, programmes, budgets, memberships,
    sign-on fees, grants) by table and id: what a test compares before and after."""
    snapshot: dict[str, dict] = {}
    for model in _registry_models():
        snapshot[model._meta.table_name] = {row["id"]: row for row in model.select().dicts()}
    return snapshot


@pytest.fixture
def restore_registry(app):
    """Put the registry back as it was after a test that writes through the forms, so the
    demo data other tests read stays as loaded."""
    from core import db
    with db.connection():
        before = registry_snapshot()
    yield before
    with db.connection(), db.database.atomic():
        for model in _registry_models():
            table = before[model._meta.table_name]
            model.delete().where(model.id.not_in(list(table) or [0])).execute()
        for model in reversed(_registry_models()):
            now = {row["id"]: row for row in model.select().dicts()}
            for row_id, row in before[model._meta.table_name].items():
                if row_id not in now:  # deleted and written anew (an organisation's target groups)
                    model.insert(**row).execute()
                elif now[row_id] != row:
                    model.update(**{k: v for k, v in row.items() if k != "id"}).where(model.id == row_id).execute()
