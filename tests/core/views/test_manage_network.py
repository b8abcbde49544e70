"""A programme's network in the browser: add and remove members."""
from __future__ import annotations

import pytest

from core import db
from core.models.membership import Membership
from core.models.organisation import Organisation
from core.models.programme import Programme
from tests.core.views._manage import (HILLEROD_PROGRAMME, KBH_CONSULTANT, NATIONAL, RBBC_RESOURCE_PERSON,
                                      SLAGELSE_COORDINATOR, SLAGELSE_PROGRAMME, as_user, assert_invalid, field_error,
                                      registry_snapshot, restore_registry, submit, summary_links)

__all__ = ["as_user", "restore_registry"]

NETWORK = f"/manage/programmes/{SLAGELSE_PROGRAMME}/network"


def snapshot():
    with db.connection():
        return registry_snapshot()


def _ids():
    with db.connection():
        get2sport = Organisation.get(Organisation.slug == "dif-get2sport")
        centre = Organisation.get(Organisation.slug == "frivilligcenter-slagelse")
        programme = Programme.get(Programme.slug == SLAGELSE_PROGRAMME)
    return get2sport.id, centre.id, programme.id


def test_coordinator_adds_and_removes_a_member(as_user, restore_registry):
    get2sport, _centre, programme = _ids()
    client = as_user(SLAGELSE_COORDINATOR)
    page = client.get(NETWORK)
    assert page.status_code == 200
    assert '<label for="f-organisation">' in page.text and "DIF Get2sport" in page.text
    response = submit(client, NETWORK, {"organisation": str(get2sport), "role": "local_actor",
                                        "joined_on": "2024-02-01"}, token_from=NETWORK)
    assert response.status_code == 303
    assert response.headers["location"] == f"{NETWORK}?saved=member-added"
    assert "The organisation was added to the network." in client.get(response.headers["location"]).text
    with db.connection():
        membership = Membership.get(Membership.programme == programme, Membership.organisation == get2sport)
        assert membership.role == "local_actor" and membership.deleted_at is None
    remove = f"{NETWORK}/{membership.id}/remove"
    assert remove in client.get(NETWORK).text
    response = submit(client, remove, {}, token_from=NETWORK)
    assert response.status_code == 303 and response.headers["location"] == f"{NETWORK}?saved=member-removed"
    with db.connection():
        assert Membership.get_by_id(membership.id).deleted_at is not None
    # removing it again: it is no longer there
    assert submit(client, remove, {}, token_from=NETWORK).status_code == 404
    # and it can join again
    again = submit(client, NETWORK, {"organisation": str(get2sport), "role": "partner", "joined_on": ""},
                   token_from=NETWORK)
    assert again.status_code == 303


@pytest.mark.parametrize("field, value, message", [
    ("organisation", "", "Choose an organisation from the list"),
    ("organisation", "centre", "The organisation is already in this programme's network"),
    ("role", "boss", "Choose a role: partner, local actor or coordinator"),
    ("joined_on", "soon", "'soon' is not a date: write day, month and year, e.g. 1.12.2026"),
])
def test_each_problem_speaks_on_its_field(as_user, field, value, message):
    get2sport, centre, _programme = _ids()
    if value == "centre":
        value = str(centre)
    client = as_user(SLAGELSE_COORDINATOR)
    before = snapshot()
    data = {"organisation": str(get2sport), "role": "partner", "joined_on": "2024-01-01", field: value}
    response = submit(client, NETWORK, data, token_from=NETWORK)
    assert response.status_code == 422
    assert field_error(response.text, field) == message
    assert field in summary_links(response.text)
    assert_invalid(response.text, field)
    assert snapshot() == before


def test_other_tenants_and_roles_are_refused(as_user):
    get2sport, _centre, _programme = _ids()
    with db.connection():
        hillerod = Programme.get(Programme.slug == HILLEROD_PROGRAMME)
        hillerod_member = Membership.select().where(Membership.programme == hillerod.id).first()
        slagelse_member = Membership.select().join(Programme).where(Programme.slug == SLAGELSE_PROGRAMME).first()
    before = snapshot()
    consultant = as_user(KBH_CONSULTANT)
    assert consultant.get(NETWORK).status_code == 404
    assert submit(consultant, NETWORK, {"organisation": str(get2sport), "role": "partner"}).status_code == 404
    assert submit(consultant, f"{NETWORK}/{slagelse_member.id}/remove", {}).status_code == 404
    coordinator = as_user(SLAGELSE_COORDINATOR)
    # a membership of another programme, reached through one's own programme's address
    assert submit(coordinator, f"{NETWORK}/{hillerod_member.id}/remove", {}).status_code == 404
    assert submit(coordinator, f"/manage/programmes/{HILLEROD_PROGRAMME}/network/{hillerod_member.id}/remove",
                  {}).status_code == 404
    assert submit(coordinator, f"{NETWORK}/not-a-number/remove", {}).status_code == 404
    for email in (RBBC_RESOURCE_PERSON, NATIONAL):
        assert as_user(email).get(NETWORK).status_code == 403
    anonymous = as_user()
    assert anonymous.get(NETWORK).status_code == 303
    assert submit(anonymous, f"{NETWORK}/{slagelse_member.id}/remove", {}).status_code == 403
    assert snapshot() == before
