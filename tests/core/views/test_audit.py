"""The audit log pages over real HTTP: who may read it, each person only their tenant's rows,
the filters, keyset paging without N+1 queries, the streamed CSV export (itself audited), and
no way to change or delete a row."""
from __future__ import annotations

import csv
import datetime
import io
import re
import uuid
from pathlib import Path

import httpx
import pytest

from core import db
from core.demo import DEMO_PASSWORD
from core.models.audit import AuditEntry, record_event
from core.models.municipality import Municipality
from core.models.programme import Programme
from core.views import audit as audit_view
from tests.core.auth.conftest import csrf_from, fresh_address, login

ROOT = Path(__file__).resolve().parents[3]
UTC = datetime.timezone.utc
ADMIN = "admin@partnerskab.test"
KBH_ADMIN = "kbh-admin@partnerskab.test"
NOT_ALLOWED = ["kbh-konsulent@partnerskab.test", "slagelse-frivilligcenter@partnerskab.test",
               "rbbc-ressourceperson@partnerskab.test", "rbbc-bestyrelse@partnerskab.test",
               "national@partnerskab.test"]


@pytest.fixture
def client_for(live_server):
    clients = []

    def make(email: str | None = None) -> httpx.Client:
        client = httpx.Client(base_url=live_server, timeout=20, follow_redirects=False,
                              headers={"X-Forwarded-For": fresh_address()}, cookies={"lang": "en"})
        clients.append(client)
        if email:
            assert login(client, email, DEMO_PASSWORD).status_code == 303
        return client
    yield make
    for client in clients:
        client.close()


@pytest.fixture(scope="module")
def places(app):
    with db.connection():
        kbh = Municipality.get(Municipality.code == "0101")
        roskilde = Municipality.get(Municipality.code == "0265")
        return {
            "kbh": kbh.id, "roskilde": roskilde.id,
            "kbh_programme": Programme.get(Programme.slug == "kobenhavn-sociale-partnerskaber").id,
            "roskilde_programme": Programme.select().where(Programme.municipality == roskilde.id).first().id,
        }


def tag() -> str:
    return f"t{uuid.uuid4().hex[:10]}"


def write(action: str, scope: str = "", actor: str = "test-actor", at: datetime.datetime | None = None,
          after=None) -> int:
    with db.connection():
        row = record_event(actor, action, "thing", "1", scope=scope, after=after)
        if at is not None:  # an old row, for the date filters (only a test rewrites history)
            AuditEntry.update(at=at).where(AuditEntry.id == row.id).execute()
        return row.id


def row_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr id="audit-(\d+)">', html)]


def test_platform_admin_reads_every_row_newest_first(client_for, places):
    t = tag()
    ids = [write(f"{t}.a", ""), write(f"{t}.b", f"municipality:{places['kbh']}"),
           write(f"{t}.c", f"programme:{places['roskilde_programme']}")]
    client = client_for(ADMIN)
    response = client.get("/admin/audit", params={"action": t})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert row_ids(response.text) == ids[::-1]
    assert '<a href="/admin/audit">Audit log</a>' in response.text  # in the main navigation


def test_a_municipality_admin_reads_only_their_municipality(client_for, places):
    t = tag()
    own = [write(f"{t}.mun", f"municipality:{places['kbh']}"),
           write(f"{t}.prog", f"programme:{places['kbh_programme']}")]
    write(f"{t}.other", f"municipality:{places['roskilde']}")
    write(f"{t}.other", f"programme:{places['roskilde_programme']}")
    write(f"{t}.instance", "")
    client = client_for(KBH_ADMIN)
    response = client.get("/admin/audit", params={"action": t})
    assert response.status_code == 200
    assert row_ids(response.text) == own[::-1]
    # asking for another municipality's scope finds nothing rather than their rows
    other = client.get("/admin/audit", params={"scope": f"municipality:{places['roskilde']}", "action": t})
    assert other.status_code == 200 and row_ids(other.text) == []
    export = client.get("/admin/audit.csv", params={"action": t})
    assert [int(r["id"]) for r in read_csv(export)] == own[::-1]
    # the export is logged under the admin's own municipality, even when they asked about another
    assert read_csv(client.get("/admin/audit.csv", params={"scope": f"municipality:{places['roskilde']}"})) == []
    with db.connection():
        logged = (AuditEntry.select().where(AuditEntry.action == "audit.export", AuditEntry.actor.endswith(KBH_ADMIN))
                  .order_by(AuditEntry.id.desc()).first())
    assert logged.scope == f"municipality:{places['kbh']}"


@pytest.mark.parametrize("email", NOT_ALLOWED)
def test_other_roles_are_refused_and_see_no_link(client_for, email):
    client = client_for(email)
    for path in ("/admin/audit", "/admin/audit.csv"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "test-actor" not in response.text
    assert 'href="/admin/audit"' not in client.get("/me").text


def test_a_visitor_is_sent_to_log_in(client_for):
    response = client_for().get("/admin/audit.csv")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=/admin/audit.csv")


def test_filters(client_for, places):
    t = tag()
    old = write(f"{t}.login.failure", actor="mallory@example.org", at=datetime.datetime(2001, 1, 15, 12, tzinfo=UTC))
    edge = write(f"{t}.login.success", actor="account:9:anna@example.org",
                 at=datetime.datetime(2001, 1, 31, 23, 59, tzinfo=UTC))
    fee = write(f"{t}.fee.create", scope=f"programme:{places['kbh_programme']}", actor="account:9:anna@example.org")
    mun = write(f"{t}.org.create", scope=f"municipality:{places['kbh']}")
    client = client_for(ADMIN)

    def ids(**params):
        response = client.get("/admin/audit", params={"action": t, **params})
        assert response.status_code == 200, response.text
        return row_ids(response.text)

    assert ids() == [mun, fee, edge, old]
    assert ids(action=f"{t}.login") == [edge, old]          # a prefix
    assert ids(action=f"{t}.login.f") == [old]
    assert ids(action=f"{t}%") == []                        # no wildcards of one's own
    assert ids(actor="ANNA@example") == [fee, edge]          # part of the actor, any case
    assert ids(scope=f"programme:{places['kbh_programme']}") == [fee]
    # a municipality takes in its programmes
    assert ids(scope=f"municipality:{places['kbh']}") == [mun, fee]
    assert ids(**{"from": "2001-01-01", "to": "2001-01-31"}) == [edge, old]   # both days included
    assert ids(**{"from": "2001-01-16", "to": "2001-01-31"}) == [edge]
    assert ids(**{"from": "2001-02-01"}) == [mun, fee]
    bad = client.get("/admin/audit", params={"from": "32/01/2001", "to": "x"})
    assert bad.status_code == 400
    assert 'id="audit-from-error"' in bad.text and 'aria-invalid="true"' in bad.text
    backwards = client.get("/admin/audit", params={"from": "2001-02-01", "to": "2001-01-01"})
    assert backwards.status_code == 400 and "The end date is before the start date." in backwards.text


def test_keyset_pages_walk_the_whole_log_without_gaps(client_for):
    t = tag()
    ids = [write(f"{t}.x") for _ in range(audit_view.PAGE_SIZE * 2 + 7)]
    client = client_for(ADMIN)
    seen, url, pages = [], f"/admin/audit?action={t}", []
    while url:
        response = client.get(url.replace("&amp;", "&"))
        assert response.status_code == 200
        pages.append(response.text)
        seen += row_ids(response.text)
        older = re.search(r'<a href="([^"]+)" rel="next">', response.text)
        url = older.group(1) if older else None
    assert seen == ids[::-1]
    assert len(pages) == 3
    assert 'rel="prev"' not in pages[0] and 'rel="prev"' in pages[1]
    newer = re.search(r'<a href="([^"]+)" rel="prev">', pages[2]).group(1).replace("&amp;", "&")
    assert row_ids(client.get(newer).text) == ids[::-1][audit_view.PAGE_SIZE:audit_view.PAGE_SIZE * 2]


def test_a_page_costs_the_same_queries_whatever_it_shows(client_for, monkeypatch):
    t = tag()
    for _ in range(audit_view.PAGE_SIZE):
        write(f"{t}.many")
    write(f"{t[::-1]}.one")
    client = client_for(ADMIN)
    client.get("/admin/audit")  # warm up
    database = db.database.obj
    counted: list[str] = []
    original = database.execute_sql

    def counting(sql, *args, **kwargs):
        counted.append(sql)
        return original(sql, *args, **kwargs)

    monkeypatch.setattr(database, "execute_sql", counting)
    assert len(row_ids(client.get(f"/admin/audit?action={t}").text)) == audit_view.PAGE_SIZE
    many = len(counted)
    counted.clear()
    assert len(row_ids(client.get(f"/admin/audit?action={t[::-1]}").text)) == 1
    assert many == len(counted) and many <= 10, counted
    assert not any("COUNT(" in sql.upper() and "audit_entry" in sql for sql in counted)


def read_csv(response) -> list[dict]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))  # for Danish Excel (core.csv_writer)


def test_csv_export_streams_the_filtered_rows_in_batches_and_is_audited(client_for, monkeypatch):
    t = tag()
    ids = [write(f"{t}.row", actor=f"actor-{n}", after={"n": n}) for n in range(23)]
    write(f"{t[::-1]}.elsewhere")
    batches: list[int] = []
    original = audit_view.fetch_batch

    def spy(conditions, below, size=audit_view.EXPORT_BATCH):
        rows = original(conditions, below, size)
        batches.append(len(rows))
        return rows

    monkeypatch.setattr(audit_view, "EXPORT_BATCH", 10)
    monkeypatch.setattr(audit_view, "fetch_batch", spy)
    client = client_for(ADMIN)
    response = client.get("/admin/audit.csv", params={"action": t})
    assert response.headers["content-disposition"].startswith('attachment; filename="audit-')
    assert "content-length" not in response.headers  # streamed, not built in memory
    assert response.headers["cache-control"] == "no-store"
    rows = read_csv(response)
    assert list(rows[0]) == list(audit_view.CSV_COLUMNS)
    assert [int(r["id"]) for r in rows] == ids[::-1]
    assert rows[0]["actor"] == "actor-22" and rows[0]["after"] == '{"n": 22}'
    assert batches == [10, 10, 3]
    with db.connection():
        exported = AuditEntry.select().where(AuditEntry.action == "audit.export").order_by(AuditEntry.id.desc()).first()
    assert exported.actor.endswith(ADMIN) and t in exported.after


def test_csv_cells_cannot_become_spreadsheet_formulas(client_for):
    t = tag()
    write(f"{t}.login.failure", actor='=HYPERLINK("http://evil.example","x")')
    rows = read_csv(client_for(ADMIN).get("/admin/audit.csv", params={"action": t}))
    assert rows[0]["actor"] == '\'=HYPERLINK("http://evil.example","x")'


# --- append-only ---------------------------------------------------------------------------------

def test_no_route_changes_or_deletes_audit_rows(app, client_for, settings):
    audit_routes = [route for route in app.routes if "audit" in getattr(route, "path", "")]
    assert {route.path for route in audit_routes} == {"/admin/audit", "/admin/audit.csv"}
    for route in audit_routes:
        assert route.methods <= {"GET", "HEAD"}, route.path
    client = client_for(ADMIN)
    page = client.get("/admin/audit")
    token = csrf_from(page.text)
    with db.connection():
        before = AuditEntry.select().where(AuditEntry.action != "audit.export").count()
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        for path in ("/admin/audit", "/admin/audit.csv", "/admin/audit/1"):
            response = client.request(method, path, headers={"X-CSRF-Token": token}, data={"id": "1"})
            assert response.status_code in (404, 405), (method, path)
    with db.connection():
        assert AuditEntry.select().where(AuditEntry.action != "audit.export").count() == before
    # the page offers no form that posts, other than logging out
    posting = re.findall(r'<form[^>]*method="post"[^>]*action="([^"]+)"', page.text, re.I)
    assert set(posting) == {"/logout"}  # the header and the phone menu each have one


def test_no_rules_api_updates_or_deletes_audit_rows():
    """Audit rows are written through ``core.models.audit.record``/``record_event`` only; no rule
    or view has an update or a delete of them."""
    forbidden = re.compile(r"AuditEntry\s*\.\s*(update|delete|replace|insert_many|bulk_update|truncate_table|"
                           r"drop_table|raw)\b|AuditEntry\b[^\n]*\.(delete_instance|save)\(")
    offenders = []
    for folder in ("core/rules", "core/views"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if forbidden.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
    import core.rules.money
    import core.rules.registry
    for module in (core.rules.money, core.rules.registry):
        names = [name for name in vars(module) if re.search(r"audit", name, re.I) and name != "audit"]
        assert names == [], module.__name__


# --- the log in words ------------------------------------------------------------------------

def _words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _row_html(html: str, row_id: int) -> str:
    return re.search(rf'<tr id="audit-{row_id}">(.*?)</tr>', html, re.S).group(1)


def test_a_row_says_who_did_what_to_which_named_thing_and_what_changed(client_for, places):
    """A payment recorded as paid, in Danish: the person's name, the action in words, the payment
    and the programme by name with links, the changed fields before → after (status as words,
    the date as a date), and no JSON, escapes or keys anywhere."""
    from core.models.account import Account
    from core.models.payment import PaymentRequest
    with db.connection():
        payment = PaymentRequest.select().where(PaymentRequest.programme == places["kbh_programme"]).first()
        admin = Account.get(Account.email == KBH_ADMIN)
        before = {"amount_ore": 10_000_000, "status": "approved", "paid_on": None, "reference": "",
                  "organisation": payment.organisation_id}
        after = {**before, "status": "paid", "paid_on": "2024-03-05", "reference": "BILAG-Ø1"}
        from core.models.audit import record
        row = record(f"account:{admin.id}:{admin.email}", "payment.paid", payment,
                     scope=f"programme:{places['kbh_programme']}", before=before, after=after)
        organisation_name = payment.organisation.name
    client = client_for(ADMIN)
    client.cookies.set("lang", "da")
    html = _row_html(client.get("/admin/audit", params={"action": "payment.paid"}).text, row.id)
    words = _words(html)
    assert admin.name in words and "account:" not in html
    assert "registrerede en betaling som udbetalt" in words
    assert f'<a href="/payments/{payment.id}">Betaling {payment.id} til {organisation_name}</a>' in html
    assert '<a href="/programmes/kobenhavn-sociale-partnerskaber">Sociale partnerskaber</a>' in html
    assert re.search(r"Status: .*Godkendt .*→ .*Udbetalt", words)
    assert "5. mar. 2024" in words and "BILAG-Ø1" in words
    assert "Beløb" not in words  # unchanged fields are not repeated
    for raw in ('{"', "\\u00", "programme:", "paymentrequest", "payment.paid", "amount_ore", "approved"):
        assert raw not in html, raw


def test_a_created_thing_shows_its_fields_with_money_in_kroner(client_for, places):
    from core.models.audit import record
    from core.models.money import Grant
    with db.connection():
        grant = (Grant.select().where(Grant.programme == places["kbh_programme"], Grant.year == 2022)
                 .order_by(Grant.id).first())
        row = record("demo-data", "grant.create", grant, scope=f"programme:{places['kbh_programme']}",
                     after={"amount_ore": 20_000_000, "organisation": grant.organisation_id,
                            "programme": places["kbh_programme"], "year": 2022})
        organisation = grant.organisation
    client = client_for(ADMIN)
    html = _row_html(client.get("/admin/audit", params={"action": "grant.create"}).text, row.id)
    words = _words(html)
    assert "Demo data" in words and "recorded a grant" in words
    assert f"Grant for 2022 to {organisation.name}" in words
    assert "Amount: DKK 200,000" in words and "Year: 2022" in words
    assert f'<a href="/organisations/{organisation.slug}">{organisation.name}</a>' in html


def test_filters_are_picked_from_lists_of_this_readers_people_places_and_actions(client_for, places):
    from core.models.account import Account
    from core.models.programme import Programme
    client = client_for(KBH_ADMIN)
    page = client.get("/admin/audit").text
    form = page.split('aria-label="Filter the audit log"', 1)[1].split("</form>", 1)[0]
    assert re.search(r'<select id="audit-person" name="person">', form)
    assert re.search(r'<select id="audit-action" name="action">', form)
    assert re.search(r'<select id="audit-scope" name="scope">', form)
    # nothing to type but dates (as Danes write them): no "municipality:1"
    assert set(re.findall(r'name="(\w+)" type="text"', form)) <= {"from", "to"}
    with db.connection():
        kbh_admin = Account.get(Account.email == KBH_ADMIN)
        roskilde_admin = Account.get(Account.email == "roskilde-admin@partnerskab.test")
        kbh_programme = Programme.get_by_id(places["kbh_programme"])
        roskilde_programme = Programme.get_by_id(places["roskilde_programme"])
    assert f'<option value="{kbh_admin.id}">{kbh_admin.name}</option>' in form
    assert f'value="{roskilde_admin.id}"' not in form  # another municipality's people
    assert f'<option value="programme:{kbh_programme.id}">{kbh_programme.name}</option>' in form
    assert f'value="programme:{roskilde_programme.id}"' not in form
    assert '<option value="payment.approve">approved a payment</option>' in form
    assert '<optgroup label="Money">' in form

    t = tag()
    mine = write(f"{t}.x", scope=f"programme:{kbh_programme.id}", actor=f"account:{kbh_admin.id}:{KBH_ADMIN}")
    write(f"{t}.x", scope=f"programme:{kbh_programme.id}", actor="account:999999:someone@example.org")
    chosen = client.get("/admin/audit", params={"action": t, "person": str(kbh_admin.id)})
    assert row_ids(chosen.text) == [mine]
    assert f'<option value="{kbh_admin.id}" selected>' in chosen.text
    assert client.get("/admin/audit", params={"person": "x"}).status_code == 400


def test_an_organisation_filter_finds_the_rows_about_it(client_for, places):
    from core.models.organisation import Organisation
    t = tag()
    with db.connection():
        organisation = Organisation.select().where(Organisation.municipality == places["kbh"]).first()
        about = record_event("test-actor", f"{t}.update", "organisation", str(organisation.id),
                             scope=f"municipality:{places['kbh']}").id
        inside = write(f"{t}.thing", scope=f"organisation:{organisation.id}")
        write(f"{t}.other", scope=f"municipality:{places['kbh']}")
    client = client_for(ADMIN)
    found = client.get("/admin/audit", params={"action": t, "scope": f"organisation:{organisation.id}"})
    assert row_ids(found.text) == [inside, about]
    assert f'<option value="organisation:{organisation.id}" selected>' in found.text


def test_the_query_count_does_not_grow_with_rows_naming_many_kinds_of_things(client_for, places, monkeypatch):
    """Fifty rows naming accounts, payments, grants, applications and organisations cost the
    same queries as five such rows: one query per kind of thing, never one per row."""
    from core.models.account import Account
    from core.models.application import Application
    from core.models.money import Grant
    from core.models.payment import PaymentRequest
    t = tag()
    with db.connection():
        admin = Account.get(Account.email == KBH_ADMIN)
        payment = PaymentRequest.select().first()
        grant = Grant.select().first()
        application = Application.select().first()

    def batch(prefix: str, copies: int) -> None:
        with db.connection():
            for _ in range(copies):
                for object_type, object_id, after in (
                        ("paymentrequest", payment.id, {"status": "paid", "organisation": payment.organisation_id}),
                        ("grant", grant.id, {"amount_ore": 100, "programme": grant.programme_id}),
                        ("application", application.id, {"reviewer": admin.id, "status": "accepted"}),
                        ("organisation", payment.organisation_id, {"name": "x", "kind": "association"}),
                        ("account", admin.id, {"role": "consultant"})):
                    record_event(f"account:{admin.id}:{admin.email}", f"{prefix}.{object_type}", object_type,
                                 str(object_id), scope=f"programme:{places['kbh_programme']}", after=after)
    batch(f"{t}a", 10)
    batch(f"{t}b", 1)
    client = client_for(ADMIN)
    client.get("/admin/audit")  # warm up
    database = db.database.obj
    counted: list[str] = []
    original = database.execute_sql

    def counting(sql, *args, **kwargs):
        counted.append(sql)
        return original(sql, *args, **kwargs)

    monkeypatch.setattr(database, "execute_sql", counting)
    assert len(row_ids(client.get("/admin/audit", params={"action": f"{t}a"}).text)) == 50
    many = len(counted)
    counted.clear()
    assert len(row_ids(client.get("/admin/audit", params={"action": f"{t}b"}).text)) == 5
    assert many == len(counted), counted


def test_a_municipality_admin_sees_the_roles_given_in_their_municipality(client_for, places, app):
    """Role grants are scoped by the municipality's id like every other row, so its own
    administrator finds them (they were once scoped by its code, which tenancy never matched)."""
    from core.auth import accounts
    email = f"role-{uuid.uuid4().hex[:8]}@example.org"
    with db.connection():
        accounts.create_account(email=email, name="Rolle Modtager", password="blue kettle under the stairs",
                                role="consultant", municipality_code="0101", organisation_ref=None, actor="test")
    html = client_for(KBH_ADMIN).get("/admin/audit", params={"action": "role.grant"}).text
    assert "Rolle Modtager" in html and email in html
