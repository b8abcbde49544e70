"""Queries per page do not grow with the data: every list page asks the same number of questions
with 10 rows as with 500 (organisations, payment requests, audit rows), counted with peewee's
query log around real HTTP requests to the live server (it runs in this process)."""
from __future__ import annotations

import datetime

import httpx
import pytest
from playhouse.test_utils import count_queries

from core import benchdata, db
from core.models import AuditEntry, Organisation, PaymentRequest
from core.models.account import Account
from core.models.money import Grant
from core.models.municipality import Municipality
from core.models.programme import Programme
ENGLISH = {"Accept-Language": "en"}  # not the lang cookie: it would replace the session cookie

ADMIN, PASSWORD = "kbh-admin@partnerskab.test", "demo-partnerskab-2025"
PAGES = ["/organisations", "/organisations?q=querygrowth", "/programmes", "/municipalities", "/municipalities/0101",
         "/budgets", "/payments", "/admin/audit", "/todo", "/manage", "/applications", "/agreements", "/calls",
         "/exports"]
NOW = datetime.datetime(2025, 6, 1, 12, 0)


def _csrf(text: str) -> str:
    return text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def _grow(count: int, made: dict) -> None:
    """``count`` more organisations, payment requests and audit rows, written in bulk."""
    municipality = Municipality.get(Municipality.code == "0101")
    admin = Account.get(Account.email == ADMIN)
    grant = made["grant"]
    start = benchdata._max_id("organisation") + 1
    rows = [(start + n, 0, None, f"Querygrowth forening {start + n}", f"querygrowth-{start + n}", "association", None,
             municipality.id, "", "", "", "København", "", "", "", NOW, NOW) for n in range(count)]
    benchdata.bulk_insert("organisation", ("id", "change_number", "deleted_at", "name", "slug", "kind", "cvr",
                                           "municipality_id", "description", "street", "postcode", "city", "email",
                                           "phone", "website", "created_at", "updated_at"), rows)
    made["organisations"] += [row[0] for row in rows]
    first = benchdata._max_id("payment_request") + 1
    payments = [(first + n, grant.programme_id, grant.organisation_id, "grant_instalment", grant.id, grant.year, 1,
                 "created", "querygrowth", "", "", admin.id, f"querygrowth-{first + n}-" + "k" * 20, NOW, NOW)
                for n in range(count)]
    benchdata.bulk_insert("payment_request", ("id", "programme_id", "organisation_id", "kind", "grant_id", "budget_year",
                                              "amount_ore", "status", "note", "reference", "cancel_reason",
                                              "created_by_id", "idempotency_key",
                                              "created_at", "updated_at"), payments)
    made["payments"] += [row[0] for row in payments]
    first = benchdata._max_id("audit_entry") + 1
    audit = [(first + n, NOW, "test:querygrowth", "organisation.update", "organisation", str(made["organisations"][0]),
              f"municipality:{municipality.id}", "", "{}") for n in range(count)]
    benchdata.bulk_insert("audit_entry", ("id", "at", "actor", "action", "object_type", "object_id", "scope", "before",
                                          "after"), audit)
    made["audit"] += [row[0] for row in audit]
    benchdata._move_sequences(["organisation", "payment_request", "audit_entry"])


def _counts(client: httpx.Client) -> dict[str, int]:
    counts = {}
    for path in PAGES:
        client.get(path, headers=ENGLISH)  # warm what a page caches
        with count_queries() as counter:
            response = client.get(path, headers=ENGLISH)
        assert response.status_code == 200, (path, response.status_code, response.headers.get("location"))
        counts[path] = counter.count
    return counts


@pytest.fixture
def grown(app):
    made = {"organisations": [], "payments": [], "audit": []}
    with db.connection():
        made["grant"] = (Grant.select().join(Programme).join(Municipality)
                         .where(Municipality.code == "0101").order_by(Grant.amount_ore.desc()).first())
        assert made["grant"] is not None
    yield made
    with db.connection(), db.database.atomic():
        PaymentRequest.delete().where(PaymentRequest.id.in_(made["payments"])).execute()
        AuditEntry.delete().where(AuditEntry.id.in_(made["audit"])).execute()
        Organisation.delete().where(Organisation.id.in_(made["organisations"])).execute()


def test_every_list_page_asks_as_many_questions_with_500_rows_as_with_10(live_server, grown):
    with httpx.Client(base_url=live_server, timeout=30) as client:
        page = client.get("/login")
        assert client.post("/login", data={"email": ADMIN, "password": PASSWORD,
                                           "csrf_token": _csrf(page.text)}).status_code in (302, 303)
        with db.connection(), db.database.atomic():
            _grow(10, grown)
        small = _counts(client)
        with db.connection(), db.database.atomic():
            _grow(490, grown)
        large = _counts(client)
    # a page may ask fewer questions when its rows happen to name fewer kinds of thing (the audit
    # log asks once per kind on the page), never more because there are more rows
    grew = {path: (small[path], large[path]) for path in PAGES if large[path] > small[path]}
    assert not grew, f"queries grew with the data (10 → 500 rows): {grew}"
