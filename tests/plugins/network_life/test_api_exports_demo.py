"""The network life's API operations (in the OpenAPI document, scoped like the pages), its export
datasets, a person's own data and its forgetting, and the demo's illustrative year in
Copenhagen and Roskilde."""
from __future__ import annotations

import datetime
import json
import uuid

import httpx

from core import db
from core.auth import accounts
from core.models.account import Account
from core.models.organisation import Organisation
from core.models.programme import Programme
from plugins.network_life import demo
from plugins.network_life.models import Meeting, MeetingInvitation, MeetingMinutes, MeetingPresence, PlanStatus
from tests.core.api.conftest import api, token_for  # noqa: F401 (fixture)
from tests.plugins.network_life.conftest import ADMIN, ASSOCIATION, OUTSIDER, csrf_from
from tests.plugins.network_life.test_plans import plan_of

BASE = "/api/v1/network-life"


def test_the_operations_are_in_openapi_and_scoped(api, conn):
    document = api().get("/api/openapi.json").json()
    for path in (f"{BASE}/action-plans", f"{BASE}/action-plans/{{actionplan_id}}/statuses", f"{BASE}/meetings",
                 f"{BASE}/meetings/{{meeting_id}}/answer"):
        assert path in document["paths"], path
    plan = plan_of("B1908")
    association = api(token_for(ASSOCIATION))
    listed = association.get(f"{BASE}/action-plans").json()
    items = listed["items"] if isinstance(listed, dict) else listed
    assert plan.id in [row["id"] for row in items]
    assert association.get(f"{BASE}/action-plans/{plan.id}").status_code == 200
    assert api(token_for(OUTSIDER)).get(f"{BASE}/action-plans/{plan.id}").status_code in (403, 404)

    count = PlanStatus.select().where(PlanStatus.plan == plan.id).count()
    bad = association.post(f"{BASE}/action-plans/{plan.id}/statuses",
                           json={"focus_area": 1, "year": datetime.date.today().year, "progress": "splendid"})
    assert bad.status_code == 400  # the body does not match the schema (the core's answer for that)
    good = association.post(f"{BASE}/action-plans/{plan.id}/statuses",
                            json={"focus_area": 1, "year": datetime.date.today().year, "progress": "at_risk",
                                  "note": "Via API"})
    assert good.status_code == 201, good.text
    assert PlanStatus.select().where(PlanStatus.plan == plan.id).count() == count + 1

    invitation = (MeetingInvitation.select().join(Meeting).join(Account, on=(MeetingInvitation.account == Account.id))
                  .where(Account.email == ASSOCIATION, Meeting.status == "scheduled").first())
    answer = association.post(f"{BASE}/meetings/{invitation.meeting_id}/answer", json={"response": "yes"})
    assert answer.status_code == 200, answer.text
    assert MeetingInvitation.get_by_id(invitation.id).response == "yes"
    # someone who is not invited cannot answer for the meeting
    assert api(token_for(OUTSIDER)).post(f"{BASE}/meetings/{invitation.meeting_id}/answer",
                                         json={"response": "yes"}).status_code in (403, 404)


def test_the_export_datasets_download_as_csv(person, conn):
    admin = person(ADMIN)
    for key in ("action-plan-targets", "action-plan-statuses", "meetings"):
        response = admin.get(f"/exports/{key}.csv")
        assert response.status_code == 200, (key, response.status_code)
        assert response.headers["content-type"].startswith("text/csv")
        assert len(response.content.decode("utf-8-sig").splitlines()) > 1, key


def test_own_data_lists_invitations_and_forgetting_leaves_no_trace(person, live_server, conn):
    email = f"nl-{uuid.uuid4().hex[:10]}@example.org"
    accounts.create_account(email=email, name="Netværk Testperson", password="blue kettle under the stairs",
                            role="resource_person", organisation_ref=Organisation.get(Organisation.name == "B1908").slug,
                            actor="test")
    account = Account.get(Account.email == email)
    meeting = Meeting.select().where(Meeting.title.contains("B1908")).first()
    invitation = MeetingInvitation.create(meeting=meeting.id, account=account.id, name=account.name, email=email)
    with httpx.Client(base_url=live_server, timeout=20, headers={"X-Forwarded-For": "10.9.9.9"},
                      cookies={"lang": "en"}) as client:
        page = client.get("/login")
        assert client.post("/login", data={"email": email, "password": "blue kettle under the stairs",
                                           "csrf_token": csrf_from(page.text)}).status_code == 303
        data = json.loads(client.get("/me/data.json").text)
        assert [row["meeting"] for row in data["plugins"]["network_life"]["meeting_invitations"]] == [meeting.title]
        form = client.get("/me/delete")
        assert client.post("/me/delete", data={"password": "blue kettle under the stairs",
                                               "csrf_token": csrf_from(form.text)}).status_code == 200
    kept = MeetingInvitation.get_by_id(invitation.id)
    assert kept.account_id is None and email not in kept.email and kept.name == ""


def test_the_demo_has_a_year_of_network_life_labelled_illustrative(conn):
    copenhagen = Programme.get(Programme.slug == "kobenhavn-sociale-partnerskaber")
    roskilde = Programme.get(Programme.slug == "roskilde-sociale-partnerskabsforeninger")
    kinds = {m.kind for m in Meeting.select().where(Meeting.programme == copenhagen.id)}
    assert {"status_resource_person", "status_board", "network"} <= kinds
    # the demo's minutes (other tests write minutes of their own into the same programme)
    minutes = list(MeetingMinutes.select().join(Meeting).where(Meeting.programme == copenhagen.id,
                                                               MeetingMinutes.written_by == demo.ACTOR))
    assert minutes and all("Illustrativ" in m.summary for m in minutes)
    network = list(Meeting.select().where(Meeting.programme == roskilde.id, Meeting.kind == "network"))
    assert network and all("Illustrativ" in m.agenda for m in network)
    present = {o.name for o in Organisation.select().join(MeetingPresence, on=(
        MeetingPresence.organisation == Organisation.id)).join(Meeting).where(Meeting.programme == roskilde.id)}
    assert {"Skoler i Roskilde Kommune", "Boligselskabet Sjælland"} & present
