"""The pathway counts in the JSON API (listed in the OpenAPI document; read and write with the
same rules and tenancy as the pages) and as a download on /exports (the core's CSV writer)."""
from __future__ import annotations

import csv
import io

from core import db
from plugins.pathways.models import PathwayReport
from tests.core.api.conftest import api, token_for  # noqa: F401 - api is a fixture
from tests.plugins.pathways.conftest import COORDINATOR, GOOD_H1, OTHER_COORDINATOR, wipe_reports

NESTED_H1 = {step: dict(zip(("entered", "moved_on", "left"), flow)) for step, flow in GOOD_H1.items()}
NESTED_H1["volunteer"].pop("moved_on")


def test_the_operations_are_in_the_openapi_document(http):
    paths = http.get("/api/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/pathways/reports"])
    assert "get" in paths["/api/v1/pathways/reports/{pathway_report_id}"]
    assert "post" in paths["/api/v1/pathways/reports/{pathway_report_id}/check"]
    assert "409" in paths["/api/v1/pathways/reports/{pathway_report_id}/check"]["post"]["responses"]


def test_record_correct_read_and_check_through_the_api(partnership, api):
    wipe_reports(partnership.programme)
    a, b = partnership.partners
    person = api(token_for(partnership.people[0]))
    body = {"programme_id": partnership.programme.id, "organisation_id": a.id, "period": "2024-H1", "counts": NESTED_H1}
    made = person.post("/api/v1/pathways/reports", json=body)
    assert made.status_code == 201, made.text
    report = made.json()
    assert report["status"] == "submitted" and report["revision"] == 1
    assert report["counts"]["first_contact"] == {"entered": 12, "moved_on": 8, "left": 2}
    corrected = person.post("/api/v1/pathways/reports", json={**body, "counts": {
        **NESTED_H1, "first_contact": {"entered": 13, "moved_on": 8, "left": 2}}})
    assert corrected.status_code == 200 and corrected.json()["revision"] == 2

    refused = person.post("/api/v1/pathways/reports", json={**body, "counts": {
        **NESTED_H1, "participant": {"entered": 9, "moved_on": 40, "left": 1}}})
    assert refused.status_code == 422
    errors = refused.json()["errors"]
    assert errors["participant-moved_on"][0].startswith("Participant: moved on (40) and left (1) add up to more")
    assert person.post("/api/v1/pathways/reports", json={**body, "organisation_id": b.id}).json()["errors"] == \
        {"organisation": ["Choose an organisation from the list"]}
    assert person.post("/api/v1/pathways/reports", json={**body, "period": "2024-H7"}).status_code == 400
    assert person.post("/api/v1/pathways/reports", json={**body, "counts": {"first_contact": {"entered": "many"}}}
                       ).status_code == 422
    assert person.post("/api/v1/pathways/reports", json={**body, "programme_id": 2**40}).status_code == 404

    listed = person.get("/api/v1/pathways/reports", params={"programme_id": partnership.programme.id}).json()
    assert [item["id"] for item in listed["items"]] == [report["id"]]
    assert person.post(f"/api/v1/pathways/reports/{report['id']}/check").status_code == 403  # not theirs to check

    coordinator = api(token_for(COORDINATOR))
    checked = coordinator.post(f"/api/v1/pathways/reports/{report['id']}/check")
    assert checked.status_code == 200 and checked.json()["status"] == "checked"
    assert coordinator.post(f"/api/v1/pathways/reports/{report['id']}/check").status_code == 409

    stranger = api(token_for(OTHER_COORDINATOR))
    assert stranger.get(f"/api/v1/pathways/reports/{report['id']}").status_code == 404
    assert stranger.post(f"/api/v1/pathways/reports/{report['id']}/check").status_code == 404
    assert report["id"] not in [item["id"] for item in stranger.get("/api/v1/pathways/reports").json()["items"]]
    other_partner = api(token_for(partnership.people[1]))
    assert other_partner.get(f"/api/v1/pathways/reports/{report['id']}").status_code == 404
    assert api().get("/api/v1/pathways/reports").status_code == 401
    with db.connection():
        assert PathwayReport.get_by_id(report["id"]).revision == 2


def test_the_download_holds_exactly_what_the_person_may_read(partnership, client_for):
    wipe_reports(partnership.programme)
    a = partnership.partners[0]
    person = client_for(partnership.people[0])
    from tests.plugins.pathways.test_pages import post_report
    from tests.plugins.pathways.conftest import counts_form
    assert post_report(person, partnership, counts_form("2024-H1", GOOD_H1)).status_code == 303
    coordinator = client_for(COORDINATOR)
    assert 'href="/exports/pathway-counts.csv"' in coordinator.get("/exports").text
    response = coordinator.get("/exports/pathway-counts.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Municipality", "Programme", "Organisation", "Period", "Step", "Entered", "Moved on",
                       "Left the pathway", "Status", "Version"]
    ours = [row for row in rows[1:] if row[2] == a.name]
    assert ["Hillerød Kommune", partnership.programme.name, a.name, "First half of 2024", "First contact", "12", "8",
            "2", "Waiting to be checked", "1"] in ours and len(ours) == 4
    assert {row[1] for row in rows[1:]} <= {partnership.programme.name, "TUFF – Trivsel, Unge, Fællesskaber og Foreningsliv"}
    # /exports is the staff's (export.read): a partner's people read their counts on the pages and in the API
    assert person.get("/exports/pathway-counts.csv").status_code == 403
    assert client_for(OTHER_COORDINATOR).get("/exports/pathway-counts.csv").content.decode("utf-8-sig"
                                                                                          ).count(a.name) == 0
