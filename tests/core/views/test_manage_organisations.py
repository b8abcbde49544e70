"""Creating and editing organisations in the browser: the right role succeeds, every rule's
message lands on its field, and nobody else gets in (login, 403, 404)."""
from __future__ import annotations

import html

import pytest

from core import db
from core.models.organisation import Organisation, OrganisationTargetGroup
from tests.core.views._manage import (KBH_ADMIN, KBH_CONSULTANT, NATIONAL, RBBC, RBBC_BOARD, RBBC_RESOURCE_PERSON,
                                      SLAGELSE_COORDINATOR, as_user, assert_invalid, field_error, registry_snapshot,
                                      restore_registry, submit, summary_links)

__all__ = ["as_user", "restore_registry"]  # fixtures used by the tests below

NEW = "/manage/organisations/new"
VALID = {"name": "Nørrebro Skakklub", "kind": "association", "cvr": "", "municipality": "0101",
         "description": "Skak for børn og unge.", "street": "Nørrebrogade 1", "postcode": "2200",
         "city": "København N", "email": "kontakt@skak.example", "phone": "12345678",
         "website": "https://skak.example", "target_groups": ["children", "youth"]}


def _count() -> int:
    with db.connection():
        return Organisation.select().count()


def test_municipality_admin_creates_an_organisation(as_user, restore_registry):
    client = as_user(KBH_ADMIN)
    form = client.get(NEW)
    assert form.status_code == 200
    for field in ("name", "kind", "cvr", "municipality", "postcode", "email", "website"):
        assert f'<label for="f-{field}">' in form.text and f'id="f-{field}"' in form.text
    assert "Københavns Kommune (0101)" in form.text and "Slagelse Kommune" not in form.text
    assert form.headers["cache-control"] == "no-store"
    response = submit(client, NEW, VALID, token_from=NEW)
    assert response.status_code == 303
    assert response.headers["location"] == "/organisations/norrebro-skakklub?saved=organisation-created"
    page = client.get(response.headers["location"])
    assert 'role="status"' in page.text and "The organisation was created." in page.text
    assert "/manage/organisations/norrebro-skakklub/edit" in page.text  # the person may edit it
    with db.connection():
        created = Organisation.get(Organisation.slug == "norrebro-skakklub")
        assert created.municipality.code == "0101" and created.postcode == "2200"
        groups = {row.target_group for row in OrganisationTargetGroup.select().where(
            OrganisationTargetGroup.organisation == created.id)}
        assert groups == {"children", "youth"}


@pytest.mark.parametrize("field, value, message", [
    ("name", "", "Enter the organisation's name"),
    ("name", "x" * 201, "The name can be at most 200 characters"),
    ("kind", "wizards", "Choose what kind of organisation it is"),
    ("cvr", "1234", "CVR"),
    ("municipality", "9999", "There is no municipality with code 9999"),
    ("municipality", "", "Choose the organisation's municipality"),
    ("postcode", "22", "A Danish postcode has 4 digits"),
    ("email", "not-an-address", "'not-an-address' is not an email address"),
    ("website", "skak.example", "A website address starts with https://"),
    ("target_groups", ["dragons"], "Unknown target group(s): dragons"),
])
def test_each_rule_speaks_on_its_field(as_user, field, value, message):
    client = as_user(KBH_ADMIN)
    before = _count()
    response = submit(client, NEW, {**VALID, "name": "Kept Value Club", field: value}, token_from=NEW)
    assert response.status_code == 422
    assert message in field_error(response.text, field)
    assert field in summary_links(response.text)
    if field != "target_groups":
        assert_invalid(response.text, field)
    if field != "name":
        assert 'value="Kept Value Club"' in response.text  # what was typed stays
    assert response.text.count("<title>Error:") == 1
    assert _count() == before  # nothing saved


def test_several_problems_at_once_and_a_cvr_already_taken(as_user, restore_registry):
    client = as_user(KBH_ADMIN)
    first = submit(client, NEW, {**VALID, "name": "CVR Holder Club", "cvr": "13585008"}, token_from=NEW)
    assert first.status_code == 303
    before = registry_snapshot_now()
    response = submit(client, NEW, {**VALID, "cvr": "1358 5008", "postcode": "x", "email": "@"}, token_from=NEW)
    assert response.status_code == 422
    assert set(summary_links(response.text)) >= {"cvr", "postcode", "email"}
    assert field_error(response.text, "cvr") == "CVR 13585008 is already registered for CVR Holder Club"
    assert registry_snapshot_now() == before


def test_a_form_naming_another_municipality_is_refused(as_user):
    client = as_user(KBH_ADMIN)
    before = registry_snapshot_now()
    response = submit(client, NEW, {**VALID, "name": "Slagelse Smuggler", "municipality": "0330"}, token_from=NEW)
    assert response.status_code == 403
    assert registry_snapshot_now() == before


def registry_snapshot_now():
    with db.connection():
        return registry_snapshot()


def test_who_may_not_create(as_user):
    anonymous = as_user()
    response = anonymous.get(NEW)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/manage/organisations/new"
    assert submit(anonymous, NEW, VALID).status_code == 403
    for email in (KBH_CONSULTANT, SLAGELSE_COORDINATOR, RBBC_RESOURCE_PERSON, NATIONAL):
        client = as_user(email)
        assert client.get(NEW).status_code == 403, email
        assert submit(client, NEW, VALID).status_code == 403, email
    # the link is shown only to those who may follow it
    assert "/manage/organisations/new" in as_user(KBH_ADMIN).get("/organisations").text
    assert "/manage/organisations/new" not in as_user(KBH_CONSULTANT).get("/organisations").text
    assert "/manage/organisations/new" not in anonymous.get("/organisations").text


def _edit_form(client, slug):
    page = client.get(f"/manage/organisations/{slug}/edit")
    assert page.status_code == 200
    return page


def test_consultant_edits_an_organisation_of_the_municipality(as_user, restore_registry):
    client = as_user(KBH_CONSULTANT)
    with db.connection():
        organisation = Organisation.get(Organisation.slug == "b1908")
    path = "/manage/organisations/b1908/edit"
    page = _edit_form(client, "b1908")
    assert f'value="{organisation.name}"' in page.text
    data = {**VALID, "name": organisation.name, "municipality": "0101", "city": "Amager",
            "target_groups": ["youth"]}
    response = submit(client, path, data, token_from=path)
    assert response.status_code == 303
    assert response.headers["location"] == "/organisations/b1908?saved=organisation-updated"
    assert "The organisation's details were saved." in html.unescape(client.get(response.headers["location"]).text)
    with db.connection():
        changed = Organisation.get_by_id(organisation.id)
        assert changed.city == "Amager" and changed.municipality.code == "0101"
    # moving it to a municipality outside the consultant's scope is refused, nothing saved
    before = registry_snapshot_now()
    assert submit(client, path, {**data, "municipality": "0265"}, token_from=path).status_code == 403
    assert registry_snapshot_now() == before


def test_resource_person_edits_their_own_organisation_only(as_user, restore_registry):
    client = as_user(RBBC_RESOURCE_PERSON)
    path = f"/manage/organisations/{RBBC}/edit"
    page = _edit_form(client, RBBC)
    assert '<select id="f-municipality"' not in page.text  # shown, not changeable
    with db.connection():
        rbbc = Organisation.get(Organisation.slug == RBBC)
    data = {**VALID, "name": rbbc.name, "kind": rbbc.kind, "municipality": "0101", "city": "Roskilde",
            "email": "info@rbbc.example"}
    response = submit(client, path, data, token_from=path)
    assert response.status_code == 303
    with db.connection():
        changed = Organisation.get_by_id(rbbc.id)
        assert changed.email == "info@rbbc.example"
        assert changed.municipality.code == "0265"  # the posted municipality was ignored
    # the public page offers the edit link to them, not on another club's page, not to the public
    assert f"/manage/organisations/{RBBC}/edit" in client.get(f"/organisations/{RBBC}").text
    assert "/manage/organisations/roskilde-handbold/edit" not in client.get("/organisations/roskilde-handbold").text
    assert "/edit" not in as_user().get(f"/organisations/{RBBC}").text


def test_edit_validation_keeps_values_and_saves_nothing(as_user):
    client = as_user(RBBC_BOARD)
    path = f"/manage/organisations/{RBBC}/edit"
    before = registry_snapshot_now()
    response = submit(client, path, {**VALID, "name": "", "city": "Typed City", "postcode": "1"}, token_from=path)
    assert response.status_code == 422
    assert field_error(response.text, "name") == "Enter the organisation's name"
    assert field_error(response.text, "postcode") == "A Danish postcode has 4 digits"
    assert 'value="Typed City"' in response.text
    assert registry_snapshot_now() == before


@pytest.mark.parametrize("email, slug", [
    (KBH_CONSULTANT, RBBC),                              # another municipality
    (KBH_ADMIN, "frivilligcenter-slagelse"),             # another municipality
    (RBBC_RESOURCE_PERSON, "roskilde-handbold"),         # another organisation, same municipality
    (SLAGELSE_COORDINATOR, "frivilligcenter-hillerod"),  # another volunteer centre
])
def test_another_tenants_organisation_is_not_found(as_user, email, slug):
    client = as_user(email)
    path = f"/manage/organisations/{slug}/edit"
    before = registry_snapshot_now()
    assert client.get(path).status_code == 404
    assert submit(client, path, {**VALID, "name": "Taken over"}).status_code == 404
    assert registry_snapshot_now() == before


def test_who_may_not_edit(as_user):
    path = f"/manage/organisations/{RBBC}/edit"
    anonymous = as_user()
    response = anonymous.get(path)
    assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")
    assert as_user(NATIONAL).get(path).status_code == 403
    assert as_user(NATIONAL).get("/manage/organisations/no-such-organisation/edit").status_code == 403
