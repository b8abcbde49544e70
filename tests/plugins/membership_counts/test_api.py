"""Yearly counts through the API, with the same rules as the pages: the ±30 % note, a correction
that replaces, the consultant's check, another association's rows not found."""
from __future__ import annotations

import datetime

from tests.core.api.conftest import api, token_for  # noqa: F401  (the fixture)
from tests.plugins.network import make_network

LAST_YEAR = datetime.date.today().year - 1


def test_counts_through_the_api(platform, api):  # noqa: F811
    network = make_network(platform, 2)
    organisation = network.organisations[0]
    person = api(token_for(network.people[0]))
    body = {"organisation_id": organisation.id, "metric": "members_under_25", "year": LAST_YEAR - 1, "value": 100}
    created = person.post("/api/v1/membership-counts", json=body)
    assert created.status_code == 201 and created.json()["outcome"] == "created"
    refused = person.post("/api/v1/membership-counts", json={**body, "year": LAST_YEAR, "value": 200})
    assert refused.status_code == 422 and "note" in refused.text
    with_note = person.post("/api/v1/membership-counts", json={**body, "year": LAST_YEAR, "value": 200, "note": "Ny hal"})
    assert with_note.status_code == 201
    corrected = person.post("/api/v1/membership-counts", json={**body, "value": 110})
    assert corrected.status_code == 200 and corrected.json()["outcome"] == "corrected"
    assert person.post("/api/v1/membership-counts", json={**body, "value": -1}).status_code in (400, 422)
    other = api(token_for(network.people[1]))
    assert other.post("/api/v1/membership-counts", json=body).status_code in (403, 404)
    listed = other.get("/api/v1/membership-counts", params={"organisation_id": organisation.id}).json()["items"]
    assert listed == [], "another association's counts are not its to read"
    staff = api(token_for(network.staff))
    mine = staff.get("/api/v1/membership-counts", params={"organisation_id": organisation.id}).json()["items"]
    assert sorted((row["year"], row["value"]) for row in mine) == [(LAST_YEAR - 1, 110), (LAST_YEAR, 200)]
    checked = staff.post(f"/api/v1/membership-counts/{mine[0]['id']}/check")
    assert checked.status_code == 200 and checked.json()["checked_on"]
    assert person.post(f"/api/v1/membership-counts/{mine[0]['id']}/check").status_code in (403, 404)

