"""Creating and editing programmes in the browser."""
from __future__ import annotations

import html

import pytest

from core import db
from core.models.organisation import Organisation
from core.models.programme import Programme
from tests.core.views._manage import (HILLEROD_PROGRAMME, KBH_ADMIN, KBH_CONSULTANT, KBH_PROGRAMME, NATIONAL,
                                      RBBC_RESOURCE_PERSON, SLAGELSE_COORDINATOR, SLAGELSE_PROGRAMME, as_user,
                                      assert_invalid, field_error, registry_snapshot, restore_registry, submit,
                                      summary_links)

__all__ = ["as_user", "restore_registry"]

NEW = "/manage/programmes/new"
VALID = {"name": "Sommerferieaktiviteter", "programme_type": "copenhagen-social-partnerships",
         "municipality": "0101", "owner_organisation": "", "funder": "", "description": "Aktiviteter i ferien.",
         "start_date": "2025-06-01", "end_date": "2025-08-31", "status": "planned"}


def snapshot():
    with db.connection():
        return registry_snapshot()


def test_municipality_admin_creates_a_programme(as_user, restore_registry):
    client = as_user(KBH_ADMIN)
    form = client.get(NEW)
    assert form.status_code == 200
    for field in VALID:
        assert f'<label for="f-{field}">' in form.text
    response = submit(client, NEW, VALID, token_from=NEW)
    assert response.status_code == 303
    assert response.headers["location"] == "/programmes/sommerferieaktiviteter?saved=programme-created"
    page = client.get(response.headers["location"])
    assert "The programme was created." in page.text
    assert "/manage/programmes/sommerferieaktiviteter/edit" in page.text
    with db.connection():
        programme = Programme.get(Programme.slug == "sommerferieaktiviteter")
        assert programme.municipality.code == "0101" and programme.status == "planned"


@pytest.mark.parametrize("field, value, message", [
    ("name", "", "Enter the programme's name"),
    ("programme_type", "made-up", "Choose one of the programme types the enabled plugins offer"),
    ("municipality", "", "is not a municipality code"),
    ("start_date", "", "Enter a date"),
    ("start_date", "1st of June", "'1st of June' is not a date: write day, month and year, e.g. 1.12.2026"),
    ("end_date", "2025-01-01", "The end date is before the start date"),
    ("status", "paused", "Choose a status"),
    ("owner_organisation", "99999999", "Choose an organisation from the list"),
])
def test_each_rule_speaks_on_its_field(as_user, field, value, message):
    client = as_user(KBH_ADMIN)
    before = snapshot()
    response = submit(client, NEW, {**VALID, "description": "Typed text", field: value}, token_from=NEW)
    assert response.status_code == 422
    assert message in field_error(response.text, field)
    assert field in summary_links(response.text)
    assert_invalid(response.text, field)
    assert "Typed text</textarea>" in response.text
    assert snapshot() == before


def test_an_owner_of_the_wrong_kind_is_named(as_user):
    client = as_user(KBH_ADMIN)
    with db.connection():
        unit = Organisation.get(Organisation.slug == "kobenhavns-kommune-kultur-og-fritidsforvaltningen")
    response = submit(client, NEW, {**VALID, "programme_type": "slagelse-faellesskabsalliancen",
                                    "owner_organisation": str(unit.id)}, token_from=NEW)
    assert response.status_code == 422
    assert "A programme of this type is owned by: Volunteer centre"  # words, not the key in field_error(response.text, "owner_organisation")


def test_forged_municipality_or_owner_is_refused(as_user):
    client = as_user(KBH_ADMIN)
    with db.connection():
        centre = Organisation.get(Organisation.slug == "frivilligcenter-slagelse")
    before = snapshot()
    assert submit(client, NEW, {**VALID, "municipality": "0330"}, token_from=NEW).status_code == 403
    assert submit(client, NEW, {**VALID, "programme_type": "slagelse-faellesskabsalliancen",
                                "owner_organisation": str(centre.id)}, token_from=NEW).status_code == 403
    assert snapshot() == before


def test_who_may_not_create(as_user):
    anonymous = as_user()
    assert anonymous.get(NEW).headers["location"] == "/login?next=/manage/programmes/new"
    assert submit(anonymous, NEW, VALID).status_code == 403
    for email in (KBH_CONSULTANT, SLAGELSE_COORDINATOR, RBBC_RESOURCE_PERSON, NATIONAL):
        assert as_user(email).get(NEW).status_code == 403, email
    assert "/manage/programmes/new" in as_user(KBH_ADMIN).get("/programmes").text
    assert "/manage/programmes/new" not in as_user(KBH_CONSULTANT).get("/programmes").text


def test_coordinator_edits_the_centres_programme(as_user, restore_registry):
    client = as_user(SLAGELSE_COORDINATOR)
    path = f"/manage/programmes/{SLAGELSE_PROGRAMME}/edit"
    page = client.get(path)
    assert page.status_code == 200 and "cannot be changed" in page.text
    public = client.get(f"/programmes/{SLAGELSE_PROGRAMME}").text
    assert path in public and f"/manage/programmes/{SLAGELSE_PROGRAMME}/network" in public
    # the volunteer centre pays its partnership's sign-on fees (plugins/local_partnership/model.py)
    assert f"/manage/programmes/{SLAGELSE_PROGRAMME}/fees/new" in public
    with db.connection():
        programme = Programme.get(Programme.slug == SLAGELSE_PROGRAMME)
    data = {"name": programme.name + " (ny fase)", "owner_organisation": str(programme.owner_organisation_id),
            "funder": str(programme.funder_id), "description": "Ny beskrivelse",
            "start_date": programme.start_date.isoformat(), "end_date": programme.end_date.isoformat(),
            "status": "active"}
    response = submit(client, path, data, token_from=path)
    assert response.status_code == 303
    assert response.headers["location"] == f"/programmes/{SLAGELSE_PROGRAMME}?saved=programme-updated"
    assert "The programme's details were saved." in html.unescape(client.get(response.headers["location"]).text)
    with db.connection():
        changed = Programme.get_by_id(programme.id)
        assert changed.description == "Ny beskrivelse" and changed.name.endswith("(ny fase)")
        assert changed.programme_type == programme.programme_type and changed.municipality_id == programme.municipality_id


def test_edit_refuses_a_period_that_leaves_money_outside(as_user):
    client = as_user(KBH_CONSULTANT)
    path = f"/manage/programmes/{KBH_PROGRAMME}/edit"
    with db.connection():
        programme = Programme.get(Programme.slug == KBH_PROGRAMME)
    before = snapshot()
    response = submit(client, path, {"name": programme.name, "start_date": "2023-01-01", "end_date": "",
                                     "status": "active", "owner_organisation": "",
                                     "funder": str(programme.funder_id or "")}, token_from=path)
    assert response.status_code == 422
    assert field_error(response.text, "start_date") == "Money is already recorded before 1 Jan 2023"
    assert snapshot() == before


@pytest.mark.parametrize("email, slug", [
    (KBH_CONSULTANT, SLAGELSE_PROGRAMME), (KBH_ADMIN, HILLEROD_PROGRAMME),
    (SLAGELSE_COORDINATOR, HILLEROD_PROGRAMME), (SLAGELSE_COORDINATOR, KBH_PROGRAMME),
])
def test_another_tenants_programme_is_not_found(as_user, email, slug):
    client = as_user(email)
    path = f"/manage/programmes/{slug}/edit"
    before = snapshot()
    assert client.get(path).status_code == 404
    assert submit(client, path, {**VALID, "name": "Taken over"}).status_code == 404
    assert snapshot() == before
    assert path not in client.get(f"/programmes/{slug}").text


def test_who_may_not_edit(as_user):
    path = f"/manage/programmes/{KBH_PROGRAMME}/edit"
    assert as_user().get(path).status_code == 303
    assert as_user(RBBC_RESOURCE_PERSON).get(path).status_code == 403
    assert as_user(NATIONAL).get(path).status_code == 403
    assert "/manage/" not in as_user().get(f"/programmes/{KBH_PROGRAMME}").text
