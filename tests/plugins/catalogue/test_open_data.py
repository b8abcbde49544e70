"""Open data: the catalogue as Open Referral HSDS 3.0, validated against the standard's own
compiled schemas (``../shared/standards/hsds/``, offline), the documented address, the
OpenAPI document, and what is never published (drafts, stale offers, a contact's name
without consent)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from core.settings import ROOT
from plugins.catalogue import hsds
from tests.core.test_exports import format_checker
from tests.plugins.catalogue.conftest import ENGLISH, offer_id

STANDARD = ROOT.parent / "shared" / "standards" / "hsds"
if not STANDARD.is_dir():
    STANDARD = Path("/work/shared/standards/hsds")


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((STANDARD / f"{name}.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=format_checker())


def assert_valid(check: Draft202012Validator, record: dict) -> None:
    errors = sorted(check.iter_errors(record), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def all_pages(http, path: str, **params) -> list[dict]:
    items, page = [], 1
    while True:
        body = http.get(path, params={**params, "page": page, "per_page": 7}, headers=ENGLISH).json()
        assert body["page_number"] == page and body["size"] == len(body["contents"])
        items += body["contents"]
        if body["last_page"]:
            assert body["total_items"] == len(items)
            return items
        page += 1


@pytest.fixture(scope="module")
def services(live_server):
    import httpx
    with httpx.Client(base_url=live_server, timeout=30) as http:
        return all_pages(http, "/api/v1/hsds/services", full="true")


def test_every_service_validates_against_hsds_3(services):
    check = validator("service")
    assert len(services) >= 15
    for record in services:
        assert_valid(check, record)
    # the nested records are there, not only the top level
    streetbasket = next(s for s in services if s["name"] == "Streetbasket lørdag for unge")
    schedule = streetbasket["schedules"][0]
    assert (schedule["freq"], schedule["byday"], schedule["opens_at"], schedule["closes_at"]) == (
        "WEEKLY", "SA", "11:00", "13:00")
    address = streetbasket["service_at_locations"][0]["location"]["addresses"][0]
    assert (address["address_1"], address["postal_code"], address["country"]) == ("Sønderlundsvej 2", "4000", "DK")
    assert streetbasket["cost_options"][0]["amount"] == 0
    assert {a["value"] for a in streetbasket["attributes"]} >= {"youth", "children", "sport", "activity"}
    assert (streetbasket["minimum_age"], streetbasket["maximum_age"]) == (10, 17)
    # the schema bites: a wrong id, a wrong type and a missing name are each refused
    for broken in ({**streetbasket, "id": "offer-4"}, {**streetbasket, "minimum_age": "ten"},
                   {key: value for key, value in streetbasket.items() if key != "name"}):
        assert list(check.iter_errors(broken)), broken


def test_the_short_list_validates_and_ids_lead_back(http, services):
    check = validator("service_list")
    short = all_pages(http, "/api/v1/hsds/services")
    assert [s["id"] for s in short] == [s["id"] for s in services]
    for record in short:
        assert_valid(check, record)
        one = http.get(f"/api/v1/hsds/services/{record['id']}")
        assert one.status_code == 200 and one.json()["name"] == record["name"]
    assert len({s["id"] for s in short}) == len(short)


def test_organizations_validate(http):
    listed = all_pages(http, "/api/v1/hsds/organizations")
    check_list, check_one = validator("organization_list"), validator("organization")
    assert len(listed) >= 5
    for record in listed:
        assert_valid(check_list, record)
    one = http.get(f"/api/v1/hsds/organizations/{listed[0]['id']}").json()
    assert_valid(check_one, one)
    assert one["services"] and all(s["organization_id"] == one["id"] for s in one["services"])


def test_only_public_offers_are_published(http, services):
    names = {s["name"] for s in services}
    for hidden in ("Håndbold for de mindste (upubliceret udkast)", "Brydning for begyndere"):
        assert hidden not in names
        assert http.get(f"/api/v1/hsds/services/{hsds.uuid_for('service', offer_id(hidden))}").status_code == 404
    for record in services:
        for contact in record.get("contacts", []):
            assert "name" not in contact or contact["name"]  # a name only where the person agreed
    assert http.get("/api/v1/hsds/services/not-a-uuid").status_code == 404
    assert http.get("/api/v1/hsds/services", params={"per_page": "100000"}).status_code == 400


def test_search_in_the_open_data(http):
    body = http.get("/api/v1/hsds/services", params={"search": "haandbold"}).json()
    assert "Håndbold lørdag morgen for 13–15-årige" in {s["name"] for s in body["contents"]}


def test_the_documented_address_and_openapi(http):
    page = http.get("/offers/open-data", headers=ENGLISH).text
    assert "/api/v1/hsds/services" in page and "/api/v1/hsds/organizations" in page
    about = http.get("/api/v1/hsds").json()
    assert about["version"] == "3.0"
    paths = http.get("/api/openapi.json").json()["paths"]
    for path in ("/api/v1/hsds/services", "/api/v1/hsds/services/{id}", "/api/v1/hsds/organizations",
                 "/api/v1/hsds/organizations/{id}", "/api/v1/catalogue/offers", "/api/v1/catalogue/offers/{offer_id}"):
        assert path in paths, path


def test_ids_are_uuids_that_lead_back_to_their_row(dbconn):
    import uuid
    text = hsds.uuid_for("service", 12345)
    assert uuid.UUID(text).version == 8
    assert hsds.number_of(text, "service") == 12345
    assert hsds.number_of(text, "organization") is None
    assert hsds.number_of("0" * 36, "service") is None
