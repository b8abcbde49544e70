"""``todo_items``, ``register_export_datasets`` and ``register_api_operations``: a plugin's to-do
items, export dataset and API operations, seen over HTTP, each narrowed to the person's
tenancy and guarded by the same permission checks as the core's."""
from __future__ import annotations

import csv
import io
import re

import httpx
import pytest
from openpyxl import load_workbook

from core import db
from core.auth import api_tokens
from core.demo import DEMO_PASSWORD
from core.models.account import Account
from core.models.municipality import Municipality
from tests import fake_plugin
from tests.core.hooks.conftest import login, new_account


@pytest.fixture
def records(fake_programme):
    """Two waiting records: one in the fake programme's municipality, one in Roskilde's."""
    with db.connection():
        roskilde = Municipality.get(Municipality.code == "0265")
        here = fake_plugin.FakeRecord.create(kind="api", text="Prøve-post her", municipality=fake_programme[
            "municipality"].id)
        there = fake_plugin.FakeRecord.create(kind="api", text="Roskilde-post", municipality=roskilde.id)
    return here, there


# --- to-do items -------------------------------------------------------------------------------

def todo_section(text: str, key: str) -> str:
    match = re.search(rf'<h[23] id="(?:me-)?todo-{key}">.*?</ul>', text, re.S)
    return match.group(0) if match else ""


def test_a_plugins_todo_items_show_for_the_people_they_concern(logged_in, records):
    here, there = records
    consultant, _ = logged_in("consultant", municipality="0999")
    page = consultant.get("/todo").text
    section = todo_section(page, "fake")
    assert "Fake records to approve" in section
    assert f'<a href="/api/v1/fake-records/{here.id}">Prøve-post her (Prøvekommune)</a>' in section
    assert "Roskilde-post" not in section  # another municipality's record is not this consultant's
    assert "Prøve-post her" in todo_section(consultant.get("/me").text, "fake")
    roskilde_consultant, _ = logged_in("consultant", municipality="0265")
    assert "Roskilde-post" in todo_section(roskilde_consultant.get("/todo").text, "fake")
    board, _ = logged_in("board_member", organisation="roskilde-basketball-club-rbbc")
    assert todo_section(board.get("/todo").text, "fake") == ""


def test_the_cores_items_come_first(client, records):
    admin = login(client(), "admin@partnerskab.test", DEMO_PASSWORD)
    keys = re.findall(r'<h2 id="todo-([a-z_]+)">', admin.get("/todo").text)
    assert "fake" in keys and keys[-1] == "fake"
    assert {"review", "payments"} <= set(keys[:-1])


# --- export datasets ---------------------------------------------------------------------------

def rows_of_csv(body: bytes) -> list[list[str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    text = text[1:]
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def test_a_plugins_dataset_is_listed_and_streamed_within_the_tenancy(logged_in, records):
    here, there = records
    admin, _ = logged_in("municipality_admin", municipality="0999")
    index = admin.get("/exports").text
    assert '<th scope="row">Fake records</th>' in index
    assert 'href="/exports/fake-records.csv"' in index and 'href="/exports/fake-records.xlsx"' in index
    assert '<th scope="row">Payments</th>' in index  # the core's datasets are still there
    response = admin.get("/exports/fake-records.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["cache-control"] == "no-store"
    rows = rows_of_csv(response.content)
    assert rows[0] == ["Id", "Kind", "Text", "Municipality", "Status"]
    ids = {int(row[0]) for row in rows[1:]}
    assert here.id in ids and there.id not in ids
    assert all(row[3] == "Prøvekommune" for row in rows[1:])
    workbook = load_workbook(io.BytesIO(admin.get("/exports/fake-records.xlsx").content), read_only=True)
    sheet = workbook.worksheets[0]
    assert sheet.title == "Fake records"
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == ["Id", "Kind", "Text", "Municipality", "Status"]
    assert {row[0] for row in values[1:]} == ids


def test_a_plugins_dataset_needs_the_permission(logged_in, client):
    board, _ = logged_in("board_member", organisation="roskilde-basketball-club-rbbc")
    assert board.get("/exports/fake-records.csv").status_code == 403
    assert client().get("/exports/fake-records.csv").headers["location"].startswith("/login")
    admin, _ = logged_in("municipality_admin", municipality="0999")
    assert admin.get("/exports/no-such-dataset.csv").status_code == 404
    assert admin.get("/exports/fake-records.pdf").status_code == 404


def test_a_dataset_with_a_bad_name_or_an_unknown_permission_stops_the_start_up(fake_platform):
    from core import datasets
    from core.datasets import ExportDataset, Source
    from core.hookspecs import hookimpl
    from core.settings import ConfigError

    def plugin(dataset):
        class Bad:
            @hookimpl
            def register_export_datasets(self, platform):
                return [dataset]
        return Bad()

    source = Source(fake_plugin.FakeRecord, fake_plugin.record_fetcher, fake_plugin.record_values)
    cases = [(ExportDataset("Fake Records!", "x", ("a",), (source,)), "a name is lower-case"),
             (ExportDataset("payments", "x", ("a",), (source,)), "registered twice"),
             (ExportDataset("fine", "x", ("a",), (source,), permission="no.such"), "which no role holds")]
    for dataset, message in cases:
        fake_platform.pm.register(plugin(dataset), name="bad")
        try:
            with pytest.raises(ConfigError, match=message):
                datasets.collect(fake_platform)
        finally:
            fake_platform.pm.unregister(name="bad")


# --- API operations ----------------------------------------------------------------------------

def token_for(email: str) -> str:
    with db.connection():
        _, secret = api_tokens.create_token(Account.get(Account.email == email), name="hooks", actor="test")
    return secret


@pytest.fixture
def api(fake_server):
    made = []

    def make(email: str | None = None) -> httpx.Client:
        headers = {"Accept-Language": "en"}
        if email:
            headers["Authorization"] = f"Bearer {token_for(email)}"
        client = httpx.Client(base_url=fake_server, timeout=20, headers=headers)
        made.append(client)
        return client
    yield make
    for client in made:
        client.close()


def test_a_plugins_operations_are_in_the_openapi_document(api):
    document = api().get("/api/openapi.json").json()
    listing = document["paths"]["/api/v1/fake-records"]
    assert set(listing) == {"get", "post"}
    assert listing["get"]["security"] == [{"bearerAuth": []}]
    assert "`fake.read`" in listing["get"]["description"]
    assert "`fake.approve`" in listing["post"]["description"]
    assert listing["post"]["requestBody"]["content"]["application/json"]["schema"] == fake_plugin.CREATE_BODY
    assert "/api/v1/fake-records/{record_id}" in document["paths"]
    assert "/api/v1/payments" in document["paths"]  # the core's operations are all still there


def test_a_plugins_operations_are_narrowed_to_the_tenancy(api, records, fake_programme):
    here, there = records
    consultant = api(new_account("consultant", municipality="0999"))
    listed = consultant.get("/api/v1/fake-records", params={"limit": 200}).json()
    ids = {item["id"] for item in listed["items"]}
    assert here.id in ids and there.id not in ids
    assert consultant.get(f"/api/v1/fake-records/{here.id}").json()["text"] == "Prøve-post her"
    hidden = consultant.get(f"/api/v1/fake-records/{there.id}")
    assert hidden.status_code == 404 and hidden.headers["content-type"] == "application/problem+json"


def test_a_plugins_operations_check_permissions_like_the_cores(api, records):
    here, _ = records
    anonymous = api().get("/api/v1/fake-records")
    assert anonymous.status_code == 401 and anonymous.json()["type"].endswith(":unauthorized")
    board = api(new_account("board_member", organisation="roskilde-basketball-club-rbbc"))
    refused = board.get("/api/v1/fake-records")
    assert refused.status_code == 403 and "fake.read" in refused.json()["detail"]
    # a municipality administrator may read (fake.read) but not write (fake.approve)
    admin = api(new_account("municipality_admin", municipality="0999"))
    assert admin.get(f"/api/v1/fake-records/{here.id}").status_code == 200
    assert admin.post("/api/v1/fake-records", json={"text": "x", "municipality_id": here.municipality_id}
                      ).status_code == 403


def test_a_plugins_write_operation_validates_and_writes(api, fake_programme):
    municipality = fake_programme["municipality"]
    consultant = api(new_account("consultant", municipality="0999"))
    made = consultant.post("/api/v1/fake-records", json={"text": "Ny post", "municipality_id": municipality.id})
    assert made.status_code == 201
    body = made.json()
    assert body["text"] == "Ny post" and body["municipality_id"] == municipality.id and body["kind"] == "api"
    with db.connection():
        assert fake_plugin.FakeRecord.get_by_id(body["id"]).text == "Ny post"
    invalid = consultant.post("/api/v1/fake-records", json={"municipality_id": municipality.id, "extra": 1})
    assert invalid.status_code == 400
    assert set(invalid.json()["errors"]) == {"text", "extra"}
    with db.connection():
        roskilde = Municipality.get(Municipality.code == "0265").id
    elsewhere = consultant.post("/api/v1/fake-records", json={"text": "x", "municipality_id": roskilde})
    assert elsewhere.status_code == 422 and "municipality_id" in elsewhere.json()["errors"]


def test_plugin_operations_are_checked_at_start_up(fake_platform):
    from starlette.routing import Route

    from core import api as api_package
    from core.api.base import operation
    from core.hookspecs import hookimpl
    from core.settings import ConfigError

    def handler(call):
        return {}

    def plugin(route):
        class Bad:
            @hookimpl
            def register_api_operations(self, platform):
                return [route]
        return Bad()

    cases = [(Route("/api/v1/raw", handler), "not made with core.api.base.operation"),
             (operation("GET", "/fake/api", handler, permission="public", summary="x", tag="x"),
              "live under /api/v1/"),
             (operation("GET", "/api/v1/x", handler, permission="no.such", summary="x", tag="x"), "which no role"),
             (operation("GET", "/api/v1/payments", handler, permission="public", summary="x", tag="x"),
              "declared twice")]
    for route, message in cases:
        fake_platform.pm.register(plugin(route), name="bad")
        try:
            with pytest.raises(ConfigError, match=message):
                api_package.routes(fake_platform)
        finally:
            fake_platform.pm.unregister(name="bad")


def test_the_export_command_writes_a_plugins_dataset(fake_platform, records, tmp_path, capsys):
    """``partnerskab export NAME``: the operator's export of any registered dataset, every row."""
    from core import cli
    here, there = records
    main_parser, _ = cli.parser()
    output = tmp_path / "fake.csv"
    args = main_parser.parse_args(["export", "fake-records", "--output", str(output)])
    assert args.func(fake_platform, args) == cli.EXIT_OK
    ids = {int(row[0]) for row in rows_of_csv(output.read_bytes())[1:]}
    assert {here.id, there.id} <= ids  # no tenancy on the command line: every municipality's rows
    args = main_parser.parse_args(["export", "no-such"])
    assert args.func(fake_platform, args) == cli.EXIT_BAD_INPUT
    assert "there is no dataset 'no-such'" in capsys.readouterr().err
