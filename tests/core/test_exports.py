"""Exports: CSV and Excel of payments and commitments (content, tenancy, streaming in batches),
and the 360Giving package validated against the official schema (format checker, the grant
schema mapped to the local file), from the URL and from the command line."""
from __future__ import annotations

import csv
import datetime
import io
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import openpyxl
import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from stdnum.dk import cvr as stdnum_cvr

from core import db, exports
from core.demo import DEMO_PASSWORD
from core.models import Programme
from core.models.payment import PaymentRequest
from core.rules import money
from core.settings import DEFAULT_CONFIG, ROOT

STANDARD = ROOT.parent / "shared" / "standards" / "360giving"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


# --- 360Giving validation -----------------------------------------------------------------

@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    package = json.loads((STANDARD / "360-giving-package-schema.json").read_text(encoding="utf-8"))
    grant = json.loads((STANDARD / "360-giving-schema.json").read_text(encoding="utf-8"))
    # the files declare "http://json-schema.org/draft/2020-12/schema" (http, not https), which
    # referencing does not recognise by itself: say which draft it is
    resource = Resource(contents=grant, specification=DRAFT202012)
    # the package refers to the grant schema by a web address (1.4.2) and the file calls itself 1.4.3:
    # both map to the local file, so validation runs offline
    referenced = package["properties"]["grants"]["items"]["$ref"]
    registry = Registry().with_resources([(referenced, resource), (grant["$id"], resource)])
    Draft202012Validator.check_schema(package)
    return Draft202012Validator(package, registry=registry, format_checker=format_checker())


RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def format_checker() -> FormatChecker:
    """jsonschema's checkers plus 'date-time' (RFC 3339), which it checks only with an optional
    package: without it a plain date would match both branches of 360Giving's date ``oneOf``."""
    checker = FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def is_datetime(value) -> bool:
        if not isinstance(value, str):
            return True
        if not RFC3339.match(value):
            return False
        datetime.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
        return True
    return checker


def regrant_codes() -> set[str]:
    with open(STANDARD / "regrantType.csv", encoding="utf-8") as fh:
        return {row["Code"] for row in csv.DictReader(fh)}


def assert_valid(validator, package: dict) -> None:
    errors = sorted(validator.iter_errors(package), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


@pytest.fixture
def fee_with_cvr(platform, dbconn):
    """A volunteer centre's programme with a sign-on fee to an association that has a CVR number."""
    from tests.core.rules.conftest import Builder
    build = Builder(platform)
    programme = build.programme(budgets={2024: 500_000})
    while True:
        stem = str(uuid.uuid4().int % 9_000_000 + 1_000_000)
        cvr = next((stem + d for d in "0123456789" if stdnum_cvr.is_valid(stem + d)), None)
        if cvr and not exports.Organisation.select().where(exports.Organisation.cvr == cvr).exists():
            break
    organisation = build.member(programme, cvr=cvr)
    fee = money.record_sign_on_fee(platform, programme_id=programme.id, organisation_id=organisation.id,
                                   amount_ore=12_345_50, granted_on=datetime.date(2024, 5, 1), actor="test")
    return fee, organisation


def test_360giving_from_the_url_validates(http, validator, fee_with_cvr):
    fee, organisation = fee_with_cvr
    response = http.get("/exports/360giving.json")  # public: awarded grants are public data
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    package = response.json()
    assert_valid(validator, package)
    grants = package["grants"]
    assert len({g["id"] for g in grants}) == len(grants)
    assert all(g["currency"] == "DKK" for g in grants)
    codes = regrant_codes()
    assert all(g["regrantType"] in codes for g in grants if "regrantType" in g)
    record = next(g for g in grants if g["id"] == f"{exports.PUBLISHER_PREFIX}-fee-{fee.id}")
    assert record["recipientOrganization"][0]["id"] == f"DK-CVR-{organisation.cvr}"
    assert record["amountAwarded"] == 12345.5
    assert record["regrantType"] == "FRG020"  # a volunteer centre passes the fee on
    assert record["awardDate"] == "2024-05-01"
    # every demo programme is in the package; Copenhagen's grants come from its funder, no regrant
    programmes = {g["grantProgramme"][0]["code"] for g in grants}
    assert {"kobenhavn-sociale-partnerskaber", "slagelse-faellesskabsalliancen", "hillerod-tuff"} <= programmes
    copenhagen = [g for g in grants if g["grantProgramme"][0]["code"] == "kobenhavn-sociale-partnerskaber"]
    assert copenhagen and all("regrantType" not in g for g in copenhagen)
    assert {g["fundingOrganization"][0]["name"] for g in copenhagen} == {
        "Københavns Kommune, Kultur- og Fritidsforvaltningen"}
    slagelse = [g for g in grants if g["grantProgramme"][0]["code"] == "slagelse-faellesskabsalliancen"]
    assert slagelse and all(g["regrantType"] == "FRG020" for g in slagelse)
    for g in grants:  # identifiers: a CVR number, else a local identifier under the publisher's prefix
        for org in g["recipientOrganization"] + g["fundingOrganization"]:
            assert re.fullmatch(r"DK-CVR-\d{8}|360G-partnerskab-(org|municipality)-[a-z0-9-]+", org["id"]), org["id"]


PUBLIC_GRANT_KEYS = {"id", "title", "description", "currency", "amountAwarded", "awardDate", "plannedDates",
                     "recipientOrganization", "fundingOrganization", "grantProgramme", "beneficiaryLocation",
                     "regrantType"}
PUBLIC_ORGANISATION_KEYS = {"id", "name", "addressCountry", "streetAddress", "addressLocality", "postalCode", "url"}


def test_360giving_carries_only_public_fields(http, validator, platform, dbconn):
    """Staff notes on fees, grant purposes written for colleagues, decision reasons, email
    addresses and phone numbers never reach the public package (issue 7, item 6)."""
    from tests.core.rules.conftest import COPENHAGEN_TYPE, Builder
    secret = uuid.uuid4().hex[:12]
    build = Builder(platform)
    centre = build.programme(budgets={2024: 500_000})
    member = build.member(centre, email=f"club-{secret}@example.org", phone=f"+45 {secret[:8]}")
    fee = money.record_sign_on_fee(platform, programme_id=centre.id, organisation_id=member.id, amount_ore=10_000_00,
                                   granted_on=datetime.date(2024, 5, 1), actor="test",
                                   note=f"STAFF-NOTE {secret}: bestyrelsen er uenig, ring til formanden")
    grants = build.programme(COPENHAGEN_TYPE, start=datetime.date(2020, 1, 1), end=None, budgets={2024: 5_000_000})
    partner = build.member(grants, email=f"partner-{secret}@example.org")
    grant = money.record_grant(platform, programme_id=grants.id, organisation_id=partner.id, year=2024,
                               amount_ore=150_000_00, actor="test", purpose=f"INTERNAL {secret}: på prøve til juni")

    response = http.get("/exports/360giving.json")
    assert response.status_code == 200
    assert secret not in response.text  # no note, purpose, email or phone of these rows, anywhere
    package = response.json()
    assert_valid(validator, package)
    ours = {g["id"]: g for g in package["grants"]
            if g["id"] in {f"{exports.PUBLISHER_PREFIX}-fee-{fee.id}", f"{exports.PUBLISHER_PREFIX}-grant-{grant.id}"}}
    assert len(ours) == 2
    for record in package["grants"]:
        assert set(record) <= PUBLIC_GRANT_KEYS, set(record) - PUBLIC_GRANT_KEYS
        for org in record["recipientOrganization"] + record["fundingOrganization"]:
            assert set(org) <= PUBLIC_ORGANISATION_KEYS, set(org) - PUBLIC_ORGANISATION_KEYS
    assert centre.name in ours[f"{exports.PUBLISHER_PREFIX}-fee-{fee.id}"]["description"]
    assert grants.name in ours[f"{exports.PUBLISHER_PREFIX}-grant-{grant.id}"]["description"]


def test_360giving_schema_catches_a_broken_package(validator):
    """The validator is strict: the checks above would fail for a bad package."""
    broken = {"grants": [{"id": "x", "title": "t", "description": "d", "currency": "DKK",
                          "amountAwarded": "lots", "awardDate": "1 May",
                          "recipientOrganization": [], "fundingOrganization": [{"id": "a", "name": "b"}]}]}
    messages = " ".join(e.message for e in validator.iter_errors(broken))
    assert "'lots' is not of type 'number'" in messages
    assert not validator.is_valid({"grants": []})
    dated = {"id": "x", "title": "t", "description": "d", "currency": "DKK", "amountAwarded": 1,
             "recipientOrganization": [{"id": "a", "name": "b"}], "fundingOrganization": [{"id": "a", "name": "b"}]}
    assert validator.is_valid({"grants": [{**dated, "awardDate": "2024-05-01"}]})
    assert validator.is_valid({"grants": [{**dated, "awardDate": "2024-05-01T10:00:00Z"}]})
    assert not validator.is_valid({"grants": [{**dated, "awardDate": "2024-13-01"}]})
    assert not validator.is_valid({"grants": [{**dated, "currency": "DKR", "awardDate": "2024-05-01"}]})


def test_360giving_from_the_command_line(settings, app, tmp_path, validator):
    output = tmp_path / "360giving.json"
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("PARTNERSKAB_") and key not in {"DATABASE_URL", "SECRET_KEY", "PORT"}}
    env.update(PARTNERSKAB_CONFIG=str(DEFAULT_CONFIG), DATABASE_URL=settings.database_url,
               PARTNERSKAB_INSTANCE_DIR=str(tmp_path / "instance"))
    result = subprocess.run([sys.executable, "-m", "core.cli", "export", "360giving", "--output", str(output)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert_valid(validator, json.loads(output.read_text(encoding="utf-8")))
    csv_result = subprocess.run([sys.executable, "-m", "core.cli", "export", "payments"], cwd=ROOT, env=env,
                                capture_output=True, timeout=120)
    assert csv_result.returncode == 0
    assert len(list(csv.reader(io.StringIO(csv_result.stdout.decode("utf-8-sig"))))) > 1
    bad = subprocess.run([sys.executable, "-m", "core.cli", "export", "payments", "--format", "xlsx"], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "--output" in bad.stderr


# --- CSV and Excel over HTTP ----------------------------------------------------------------

@pytest.fixture
def logged_in(live_server):
    clients = []

    def login(email: str) -> httpx.Client:
        n = uuid.uuid4().int
        client = httpx.Client(base_url=live_server, timeout=30, follow_redirects=False,
                              headers={"X-Forwarded-For": f"10.{n % 250 + 1}.{(n >> 8) % 250 + 1}.{n % 7 + 1}"})
        clients.append(client)
        page = client.get("/login")
        response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD,
                                               "csrf_token": CSRF_FIELD.search(page.text).group(1)})
        assert response.status_code == 303
        return client
    yield login
    for client in clients:
        client.close()


def programme_names_of(rows, column) -> set[str]:
    return {row[column] for row in rows}


def test_payments_csv_is_narrowed_to_the_readers_municipality(logged_in):
    client = logged_in("kbh-admin@partnerskab.test")
    with client.stream("GET", "/exports/payments.csv?dialect=machine") as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        assert "attachment" in response.headers["content-disposition"]
        assert "content-length" not in response.headers  # streamed, not built in memory first
        body = b"".join(response.iter_bytes())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header, data = rows[0], rows[1:]
    assert len(header) == 14 and data
    with db.connection():
        programme = Programme.get(Programme.slug == "kobenhavn-sociale-partnerskaber")
        expected = {p.id for p in PaymentRequest.select().where(PaymentRequest.programme == programme.id)}
    assert {int(row[0]) for row in data} == expected
    assert {row[7] for row in data} >= {"created", "approved", "paid"}
    paid = [row for row in data if row[7] == "paid"]
    # past years' grants paid in full, this year's in halves
    assert all(row[12] and row[13] for row in paid) and {row[6] for row in paid} == {"100000.00", "200000.00"}


def test_volunteer_centre_sees_its_own_programme_only(logged_in):
    client = logged_in("slagelse-frivilligcenter@partnerskab.test")
    rows = list(csv.reader(io.StringIO(client.get("/exports/payments.csv?dialect=machine").content
                                       .decode("utf-8-sig"))))[1:]
    assert rows and programme_names_of(rows, 1) == {"Fællesskabsalliancen"}
    commitments = list(csv.reader(io.StringIO(
        client.get("/exports/commitments.csv?dialect=machine").content.decode("utf-8-sig"))))[1:]
    assert commitments and {row[0] for row in commitments} == {"sign_on_fee"}
    assert programme_names_of(commitments, 2) == {"Fællesskabsalliancen"}


def test_payments_excel(logged_in):
    client = logged_in("kbh-admin@partnerskab.test")
    response = client.get("/exports/payments.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows[0]) == 14 and len(rows) > 1
    assert all(isinstance(row[6], (int, float)) for row in rows[1:])  # amounts are numbers in Excel


def test_exports_need_the_permission(live_server, logged_in):
    with httpx.Client(base_url=live_server, follow_redirects=False) as anonymous:
        assert anonymous.get("/exports/payments.csv").status_code == 303  # to the login page
        assert anonymous.get("/exports").status_code == 303
    resource_person = logged_in("rbbc-ressourceperson@partnerskab.test")
    assert resource_person.get("/exports/payments.csv").status_code == 403
    admin = logged_in("kbh-admin@partnerskab.test")
    assert admin.get("/exports/nothing.csv").status_code == 404
    assert admin.get("/exports/payments.pdf").status_code == 404
    index = admin.get("/exports")
    assert index.status_code == 200 and "/exports/payments.xlsx" in index.text


def test_lifecycle_exports_when_installed(logged_in):
    client = logged_in("kbh-admin@partnerskab.test")
    names = {d["name"] for d in __import__("core.exports_lifecycle", fromlist=["x"]).datasets()}
    for name in names:
        response = client.get(f"/exports/{name}.csv")
        assert response.status_code == 200, name
        assert response.content.decode("utf-8-sig").splitlines()[0]
        assert client.get(f"/exports/{name}.xlsx").status_code == 200


# --- streaming keeps memory flat ------------------------------------------------------------

def test_batches_are_fetched_lazily_each_with_its_own_connection(app):
    calls = []

    class Row:
        def __init__(self, id):
            self.id = id

    def fetch(after, limit):
        calls.append((after, db.database.is_closed()))
        return [Row(i) for i in range(after + 1, min(after + limit, 2_500) + 1)]

    stream = exports.csv_stream(["id"], ([[row.id] for row in rows] for rows in exports.batches(fetch, 1_000)))
    header = next(stream)
    assert header.startswith("\ufeff".encode()) and calls == []  # nothing fetched before it is asked for
    first = next(stream)
    assert len(calls) == 1 and calls[0] == (0, False)  # the batch ran inside an open connection
    assert first.count(b"\n") == 1_000
    rest = list(stream)
    assert [after for after, _ in calls] == [0, 1_000, 2_000]
    assert sum(chunk.count(b"\n") for chunk in rest) == 1_500


def test_xlsx_stream_writes_many_rows_in_write_only_mode():
    batches = ([[i, f"række {i}", i * 1.5] for i in range(start, start + 1_000)] for start in range(0, 5_000, 1_000))
    data = b"".join(exports.xlsx_stream("Test", ["a", "b", "c"], batches))
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 5_001 and rows[-1] == (4_999, "række 4999", 4_999 * 1.5)


def test_formula_like_text_is_not_a_formula():
    data = b"".join(exports.xlsx_stream("T", ["name"], [[["=HYPERLINK(\"x\")"]]]))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.cell(2, 1).data_type == "s"
