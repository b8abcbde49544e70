"""A draft application is the applicant's own until it is submitted (issue 7, item 6): the
programme's staff do not see it in the list, on its page, through the API, in the exports or
on their to-do list; the applicant does; once submitted, the staff see it everywhere."""
from __future__ import annotations

import uuid

import httpx
import pytest

from core import db
from core.models.application import Application, ApplicationAnswer
from core.models.call import Call
from core.models.programme import Programme
from core.rules import registry
from tests.core.api.conftest import new_account, token_for
from tests.core.views._manage import KBH_ADMIN, KBH_CONSULTANT, KBH_PROGRAMME, as_user

__all__ = ["as_user"]


@pytest.fixture
def fresh_draft(platform):
    """A fresh association's complete draft in Copenhagen's open call, and a resource person of
    it; taken out again afterwards, so the demo's open call stays as loaded."""
    from core.demo.lifecycle import LifecycleDemo
    with db.connection():
        name = f"Eksempelforening Kladde {uuid.uuid4().hex[:8]}"
        organisation = registry.create_organisation(platform, {"name": name, "kind": "association",
                                                               "municipality": "0101"}, "test")
        call = (Call.select().join(Programme).where(Programme.slug == KBH_PROGRAMME)
                .order_by(Call.closes_on.desc()).first())
        assert call.state() == "open"
        draft = LifecycleDemo(platform).application(call, organisation, "draft", answers={
            "min_members_under_25": "180", "vulnerable_urban_areas": "yes", "experience": "6", "1": "Lektiecafé."})
    yield draft, organisation, new_account("resource_person", organisation=organisation.slug)
    with db.connection(), db.database.atomic():
        ApplicationAnswer.delete().where(ApplicationAnswer.application == draft.id).execute()
        Application.delete().where(Application.id == draft.id).execute()


def _staff_sees(client: httpx.Client, api: httpx.Client, draft, name: str) -> dict[str, bool]:
    link = f'href="/applications/{draft.id}"'
    return {
        "list": link in client.get("/applications").text,
        "list of drafts": link in client.get("/applications?status=draft").text,
        "page": client.get(f"/applications/{draft.id}").status_code == 200,
        "to-do": f"/applications/{draft.id}" in client.get("/todo").text,
        "export": name in client.get("/exports/applications.csv").text,
        "api list": draft.id in {item["id"] for item in api.get("/api/v1/applications",
                                                                params={"limit": 200}).json()["items"]}
                    or api.get("/api/v1/applications", params={"status": "draft", "limit": 200}).json()["items"] != [],
        "api item": api.get(f"/api/v1/applications/{draft.id}").status_code == 200,
    }


def test_programme_staff_do_not_see_a_draft_until_it_is_submitted(fresh_draft, as_user, live_server):
    draft, organisation, applicant = fresh_draft
    staff = {email: (as_user(email), httpx.Client(base_url=live_server, headers={
        "Authorization": f"Bearer {token_for(email)}"})) for email in (KBH_ADMIN, KBH_CONSULTANT)}
    try:
        for email, (client, api) in staff.items():
            seen = _staff_sees(client, api, draft, organisation.name)
            assert not any(seen.values()), (email, seen)
        # the applicant's own people see it, and submit it
        with httpx.Client(base_url=live_server, headers={"Authorization": f"Bearer {token_for(applicant)}"}) as own:
            assert own.get(f"/api/v1/applications/{draft.id}").json()["status"] == "draft"
            submitted = own.post(f"/api/v1/applications/{draft.id}/submit", json={})
            assert submitted.status_code == 200, submitted.text
        # submitted: the staff see it everywhere (so the checks above could see it)
        for email, (client, api) in staff.items():
            seen = _staff_sees(client, api, draft, organisation.name)
            assert seen["list"] and seen["page"] and seen["export"] and seen["api item"], (email, seen)
    finally:
        for _client, api in staff.values():
            api.close()
