"""Helpers for the knowledge plugin's tests: demo accounts, writing a learning through the form
as a person does, and reading ids back."""
from __future__ import annotations

import re
import uuid

from core import db
from core.models.organisation import Organisation
from core.models.programme import Programme
from tests.core.auth.conftest import csrf_from

SLAGELSE_COORDINATOR = "slagelse-frivilligcenter@partnerskab.test"
SLAGELSE_ADMIN = "slagelse-admin@partnerskab.test"
HILLEROD_COORDINATOR = "hillerod-frivilligcenter@partnerskab.test"
KBH_ADMIN = "kbh-admin@partnerskab.test"
KBH_CONSULTANT = "kbh-konsulent@partnerskab.test"
RBBC_RESOURCE_PERSON = "rbbc-ressourceperson@partnerskab.test"
NATIONAL = "national@partnerskab.test"
ADMIN = "admin@partnerskab.test"
SLAGELSE_PROGRAMME = "slagelse-faellesskabsalliancen"
SLAGELSE_MEMBER = "eksempelforening-slagelse-idraet"
LEARNING_URL = re.compile(r"/learnings/(\d+)\?saved=created")


def ids(slug: str | None = None, organisation: str | None = None) -> tuple[int | None, int | None]:
    with db.connection():
        programme = Programme.get(Programme.slug == slug).id if slug else None
        org = Organisation.get(Organisation.slug == organisation).id if organisation else None
    return programme, org


def write(client, *, title: str | None = None, summary: str = "What we learned, briefly.", body: str = "",
          visibility: str = "network", programme: str | None = SLAGELSE_PROGRAMME, organisation: str | None = None,
          **extra) -> int:
    """Write a learning through /learnings/new; returns its id."""
    page = client.get("/learnings/new")
    assert page.status_code == 200, page.status_code
    programme_id, organisation_id = ids(programme, organisation)
    data = {"title": title or f"Test learning {uuid.uuid4().hex[:8]}", "summary": summary, "body": body,
            "visibility": visibility, "programme": programme_id or "", "organisation": organisation_id or "",
            "csrf_token": csrf_from(page.text), **extra}
    response = client.post("/learnings/new", data=data)
    assert response.status_code == 303, response.text[:3000]
    return int(LEARNING_URL.search(response.headers["location"]).group(1))


def post(client, path: str, data: dict, token_from: str):
    page = client.get(token_from)
    return client.post(path, data={**data, "csrf_token": csrf_from(page.text)})
