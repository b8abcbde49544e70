"""The Slagelse plugin: Fællesskabsalliancen, owned by Frivilligcenter Slagelse, funded by
Socialstyrelsen, with FriSe as a national coordinator; sign-on fees of up to 30,000 DKK."""
from __future__ import annotations

import datetime
from pathlib import Path

from core.models import Organisation
from core.models.membership import Membership
from core.models.programme import Programme, ProgrammeBudget
from plugins import slagelse
from tests.core.views._html import DANISH, ENGLISH, danish, main, section, table_rows

SLUG = "slagelse-faellesskabsalliancen"
CENTRE = ("Frivilligcenter Slagelse", "frivilligcenter-slagelse", "0330")
FRISE = "Frivilligcentre & Selvhjælp Danmark (FriSe)"
PLUGIN_DIR = Path(slagelse.__file__).parent
TYPE_NAME = "Fællesskabsalliancen – local partnership for young people (Slagelse)"
MODULE = slagelse


def test_programme_type(platform):
    programme_type = platform.programme_types[MODULE.TYPE_KEY]
    assert programme_type.owner_kinds == ("volunteer_centre",)
    assert programme_type.sign_on_fee_cap_ore == 30_000 * 100 and programme_type.sign_on_fees_per_organisation == 1
    assert programme_type.target_groups == ("youth_16_24",) and programme_type.age_range == (16, 24)
    assert programme_type.agreement_years == 4


def test_owned_by_the_volunteer_centre_and_funded_by_socialstyrelsen(dbconn):
    programme = Programme.get(Programme.slug == SLUG)
    owner = programme.owner_organisation
    assert (owner.name, owner.slug, owner.municipality.code, owner.kind) == (*CENTRE, "volunteer_centre")
    assert programme.municipality.code == CENTRE[2]
    assert (programme.funder.name, programme.funder.kind) == ("Socialstyrelsen", "national_body")
    assert (programme.start_date, programme.end_date) == (datetime.date(2023, 1, 1), datetime.date(2026, 12, 31))
    budgets = {b.year: b.amount_ore for b in ProgrammeBudget.select().where(ProgrammeBudget.programme == programme.id)}
    assert budgets == {year: 1_200_000 * 100 for year in (2023, 2024, 2025, 2026)}


def test_coordinators(dbconn):
    programme = Programme.get(Programme.slug == SLUG)
    roles = {m.organisation.name: m.role for m in Membership.select(Membership, Organisation).join(Organisation)
             .where(Membership.programme == programme.id, Membership.deleted_at.is_null())}
    assert roles[FRISE] == "coordinator"
    assert roles[CENTRE[0]] == "coordinator"
    assert roles["Socialstyrelsen"] == "coordinator"
    # FriSe and Socialstyrelsen are national: one organisation each, shared by both local partnerships
    assert Organisation.select().where(Organisation.name == FRISE).count() == 1
    assert Organisation.select().where(Organisation.name == "Socialstyrelsen").count() == 1


def test_programme_page(http):
    text = http.get(f"/programmes/{SLUG}", headers=ENGLISH).text
    facts = main(text)
    assert f'<dt>Owner</dt><dd><a href="/organisations/{CENTRE[1]}">{CENTRE[0]}</a></dd>' in facts
    assert '<dt>Funder</dt><dd><a href="/organisations/socialstyrelsen">Socialstyrelsen</a></dd>' in facts
    roles = {row[0]: row[1] for row in table_rows(section(text, "network"))}
    assert roles[FRISE] == "Coordinator" and roles[CENTRE[0]] == "Coordinator"
    assert "up to DKK 30,000 per organisation" in section(text, "rules")
    assert '<h2 id="fees">' in text  # sign-on fees are part of this programme type


def test_programme_page_in_danish(http):
    text = http.get(f"/programmes/{SLUG}", headers=DANISH).text
    rules = section(text, "rules")
    assert "30.000 kr." in rules
    assert danish(PLUGIN_DIR, TYPE_NAME) in rules
    assert [(row[0], row[1]) for row in table_rows(section(text, "budget"))] == [
        (str(year), "1.200.000 kr.") for year in (2023, 2024, 2025, 2026)]


def test_the_centre_is_in_the_directory_for_young_people(http):
    text = http.get("/organisations", params={"target_group": "youth_16_24", "municipality": CENTRE[2]},
                    headers=ENGLISH).text
    assert f'<a href="/organisations/{CENTRE[1]}">{CENTRE[0]}</a>' in text
