"""Creating and changing the registry through the rules: every problem reported at once, and
nothing written when there is one."""
from __future__ import annotations

import datetime
import json

import pytest

from core import db, i18n
from core.models import AuditEntry, Membership, Organisation, OrganisationTargetGroup, Programme
from core.rules import registry
from core.rules.errors import RuleViolation
from tests.core.rules.conftest import (ACTOR, COPENHAGEN_TYPE, ROSKILDE_TYPE, SLAGELSE_TYPE,
                                       TEST_MUNICIPALITY, random_valid_cvr, unique)


def english(exc: RuleViolation) -> dict[str, list[str]]:
    with i18n.locale_context("en"):
        return exc.by_field()


def counts() -> tuple[int, int, int, int]:
    return (Organisation.select().count(), OrganisationTargetGroup.select().count(),
            Programme.select().count(), AuditEntry.select().count())


# --- organisations ---------------------------------------------------------------------------

def test_every_bad_field_is_reported_and_nothing_written(platform, build):
    before = counts()
    with pytest.raises(RuleViolation) as caught:
        registry.create_organisation(platform, {
            "name": "  ", "kind": "club", "cvr": "12345678", "municipality": "0001",
            "postcode": "12a4", "email": "not-an-address", "website": "www.example.dk",
            "target_groups": ["children", "aliens", "robots"]}, ACTOR)
    assert english(caught.value) == {
        "name": ["Enter the organisation's name"],
        "kind": ["Choose what kind of organisation it is"],
        "cvr": ["'12345678' is not a valid CVR number: it must be 8 digits with a correct check digit"],
        "municipality": ["There is no municipality with code 0001"],
        "postcode": ["A Danish postcode has 4 digits"],
        "email": ["'not-an-address' is not an email address"],
        "website": ["A website address starts with https://"],
        "target_groups": ["Unknown target group(s): aliens, robots"],
    }
    assert counts() == before


def test_name_too_long_and_malformed_municipality(platform, build):
    with pytest.raises(RuleViolation) as caught:
        registry.create_organisation(platform, {"name": "x" * 201, "kind": "association",
                                                "municipality": "København"}, ACTOR)
    assert english(caught.value) == {
        "name": ["The name can be at most 200 characters"],
        "municipality": ["'København' is not a municipality code: it must be 4 digits"],
    }
    organisation = registry.create_organisation(platform, {"name": "y" * 200, "kind": "association"}, ACTOR)
    assert len(organisation.name) == 200 and organisation.municipality is None


def test_organisation_is_created_normalised_and_audited(platform, build):
    cvr = random_valid_cvr()
    name = unique("Idrætsforeningen Ny")
    organisation = registry.create_organisation(platform, {
        "name": f"  {name}  ", "kind": "association", "cvr": f"DK {cvr[:4]} {cvr[4:]}",
        "municipality": TEST_MUNICIPALITY[0].lstrip("0"), "postcode": "4200", "city": "Slagelse",
        "email": "kontakt@example.dk", "website": "https://example.dk",
        "target_groups": "youth_16_24, volunteers, youth_16_24"}, "tester")
    stored = Organisation.get_by_id(organisation.id)
    assert (stored.name, stored.cvr, stored.municipality.code, stored.postcode) == \
        (name, cvr, TEST_MUNICIPALITY[0], "4200")
    assert stored.slug.startswith("idraetsforeningen-ny-")
    assert sorted(r.target_group for r in stored.target_group_rows) == ["volunteers", "youth_16_24"]
    [entry] = AuditEntry.select().where(AuditEntry.action == "organisation.create",
                                        AuditEntry.object_id == str(organisation.id))
    assert entry.actor == "tester"
    assert json.loads(entry.after)["cvr"] == cvr
    assert json.loads(entry.after)["target_groups"] == ["youth_16_24", "volunteers"]


def test_same_name_gets_its_own_slug(platform, build):
    name = unique("Tvillingeforeningen")
    first = build.organisation(name=name)
    second = build.organisation(name=name)
    assert first.slug != second.slug and second.slug == f"{first.slug}-2"


def test_duplicate_cvr_is_refused_naming_the_holder(platform, build):
    cvr = random_valid_cvr()
    holder = build.organisation(name=unique("Første Ejer"), cvr=cvr)
    before = counts()
    with pytest.raises(RuleViolation) as caught:
        build.organisation(cvr=cvr)
    assert english(caught.value) == {"cvr": [f"CVR {cvr} is already registered for {holder.name}"]}
    assert counts() == before


def test_update_organisation_changes_fields_groups_and_audits(platform, build):
    cvr = random_valid_cvr()
    organisation = build.organisation(cvr=cvr, target_groups=["children"])
    new_name = unique("Omdøbt Forening")
    updated = registry.update_organisation(platform, organisation, {
        "name": new_name, "kind": "other", "cvr": cvr, "municipality": TEST_MUNICIPALITY[0],
        "target_groups": ["adults", "elderly"], "city": "Sorø"}, "editor")
    stored = Organisation.get_by_id(updated.id)
    assert (stored.name, stored.kind, stored.cvr, stored.city) == (new_name, "other", cvr, "Sorø")
    assert sorted(r.target_group for r in stored.target_group_rows) == ["adults", "elderly"]
    [entry] = AuditEntry.select().where(AuditEntry.action == "organisation.update",
                                        AuditEntry.object_id == str(organisation.id))
    assert json.loads(entry.before)["target_groups"] == ["children"]
    assert json.loads(entry.after)["name"] == new_name
    assert entry.actor == "editor"


def test_update_organisation_refuses_and_keeps_the_row(platform, build):
    taken = random_valid_cvr()
    other = build.organisation(cvr=taken)
    organisation = build.organisation(target_groups=["children"])
    original_name = organisation.name
    audit_before = AuditEntry.select().count()
    with pytest.raises(RuleViolation) as caught:
        registry.update_organisation(platform, organisation, {
            "name": "Nyt Navn", "kind": "association", "cvr": taken, "target_groups": ["adults"]}, ACTOR)
    assert english(caught.value) == {"cvr": [f"CVR {taken} is already registered for {other.name}"]}
    stored = Organisation.get_by_id(organisation.id)
    assert stored.name == original_name and stored.cvr is None
    assert [r.target_group for r in stored.target_group_rows] == ["children"]
    assert AuditEntry.select().count() == audit_before


# --- programmes -------------------------------------------------------------------------------

def programme_data(programme_type, owner=None, **extra):
    return {"name": unique("Program"), "programme_type": programme_type,
            "municipality": TEST_MUNICIPALITY[0], "owner_organisation": owner,
            "start_date": "2024-01-01", **extra}


@pytest.mark.parametrize("programme_type, owner_kind, allowed", [
    (SLAGELSE_TYPE, "volunteer_centre", True),
    (SLAGELSE_TYPE, None, False),
    (SLAGELSE_TYPE, "association", False),
    ("hillerod-tuff", "volunteer_centre", True),
    ("hillerod-tuff", "municipal_unit", False),
    (COPENHAGEN_TYPE, None, True),
    (COPENHAGEN_TYPE, "volunteer_centre", False),
    (ROSKILDE_TYPE, None, True),
    (ROSKILDE_TYPE, "association", False),
])
def test_programme_owner_kind_must_suit_the_type(platform, build, programme_type, owner_kind, allowed):
    owner = build.organisation(owner_kind) if owner_kind else None
    before = counts()
    data = programme_data(programme_type, owner.id if owner else None)
    if allowed:
        programme = registry.create_programme(platform, data, ACTOR)
        assert programme.owner_organisation_id == (owner.id if owner else None)
        assert programme.programme_type == programme_type and programme.status == "active"
        assert programme.start_date == datetime.date(2024, 1, 1) and programme.end_date is None
        assert AuditEntry.select().where(AuditEntry.action == "programme.create",
                                         AuditEntry.object_id == str(programme.id)).count() == 1
        return
    with pytest.raises(RuleViolation) as caught:
        registry.create_programme(platform, data, ACTOR)
    from core import i18n
    from core.labels import organisation_kind
    with i18n.locale_context("en"):
        kinds = ", ".join(organisation_kind(kind) for kind in platform.programme_types[programme_type].owner_kinds)
    assert "_" not in kinds  # words, not the stored keys
    assert english(caught.value) == {"owner_organisation": [f"A programme of this type is owned by: {kinds}"]}
    assert counts() == before


def test_programme_problems_are_all_reported(platform, build):
    before = counts()
    with pytest.raises(RuleViolation) as caught:
        registry.create_programme(platform, {
            "name": "", "programme_type": "atlantis", "municipality": "9999",
            "owner_organisation": 10**9, "funder": 10**9, "start_date": "1. januar",
            "status": "dreaming"}, ACTOR)
    assert english(caught.value) == {
        "name": ["Enter the programme's name"],
        "programme_type": ["Choose one of the programme types the enabled plugins offer"],
        "municipality": ["There is no municipality with code 9999"],
        "owner_organisation": ["The owning organisation does not exist"],
        "funder": ["The funder does not exist"],
        "start_date": ["'1. januar' is not a date: write day, month and year, e.g. 1.12.2026"],
        "status": ["Choose a status"],
    }
    assert counts() == before


def test_a_programme_is_created_only_with_an_owner_and_funder_that_exist(platform, build):
    """Creating looks organisations up as changing does: a non-number or a deleted organisation
    is a problem on its field, never a database error, and nothing is written."""
    gone = build.organisation()
    with db.database.atomic():
        gone.soft_delete()
    before = counts()
    for owner, funder in (("abc", "12x"), (gone.id, gone.id)):
        with pytest.raises(RuleViolation) as caught:
            registry.create_programme(platform, programme_data(COPENHAGEN_TYPE, owner, funder=funder), ACTOR)
        assert english(caught.value) == {"owner_organisation": ["The owning organisation does not exist"],
                                         "funder": ["The funder does not exist"]}
    assert counts() == before


def test_programme_dates(platform, build):
    with pytest.raises(RuleViolation) as caught:
        registry.create_programme(platform, programme_data(COPENHAGEN_TYPE, start_date=""), ACTOR)
    assert english(caught.value) == {"start_date": ["Enter a date"]}
    with pytest.raises(RuleViolation) as caught:
        registry.create_programme(platform, programme_data(COPENHAGEN_TYPE, end_date="2023-12-31"), ACTOR)
    assert english(caught.value) == {"end_date": ["The end date is before the start date"]}
    programme = registry.create_programme(
        platform, programme_data(COPENHAGEN_TYPE, end_date=datetime.date(2024, 1, 1), status="planned"), ACTOR)
    assert (programme.start_date, programme.end_date, programme.status) == \
        (datetime.date(2024, 1, 1), datetime.date(2024, 1, 1), "planned")


# --- memberships ------------------------------------------------------------------------------

def test_membership_roles_and_duplicates(platform, build):
    programme = build.programme()
    organisation = build.organisation(name=unique("Medlemsforening"))
    with pytest.raises(RuleViolation) as caught:
        registry.add_membership(programme=programme, organisation=organisation, role="sponsor",
                                joined_on=None, actor=ACTOR)
    assert list(caught.value.by_field()) == ["role"]
    registry.add_membership(programme=programme, organisation=organisation, role="local_actor",
                            joined_on=datetime.date(2024, 2, 1), actor=ACTOR)
    with pytest.raises(RuleViolation) as caught:
        registry.add_membership(programme=programme, organisation=organisation, role="partner",
                                joined_on=None, actor=ACTOR)
    assert english(caught.value) == {"organisation": [f"{organisation.name} is already in this programme's network"]}
    [membership] = Membership.select().where(Membership.programme == programme.id,
                                             Membership.organisation == organisation.id)
    assert (membership.role, membership.joined_on) == ("local_actor", datetime.date(2024, 2, 1))


def test_ensure_municipality_is_idempotent(build):
    again = registry.ensure_municipality(TEST_MUNICIPALITY[0].lstrip("0"), "Et andet navn")
    assert again.id == build.municipality.id and again.name == TEST_MUNICIPALITY[1]
