"""The Copenhagen plugin: its two programme types, and its demo data as the experience
report's annex gives it (25 associations by the year they joined, 200,000 DKK each in 2022
within the 6 million DKK budget), read back over HTTP and from the database."""
from __future__ import annotations

import collections
import datetime
from pathlib import Path

from core import db
from core.models import Organisation
from core.models.membership import Membership
from core.models.money import Grant
from core.models.programme import Programme, ProgrammeBudget
from plugins import copenhagen
from tests.core.views._html import DANISH, ENGLISH, danish, main, section, table_rows

SLUG = "kobenhavn-sociale-partnerskaber"
PLUGIN_DIR = Path(copenhagen.__file__).parent
ALL_ASSOCIATIONS = {name for names in copenhagen.ASSOCIATIONS_BY_START.values() for name in names}


def programme() -> Programme:
    return Programme.get(Programme.slug == SLUG)


def test_the_annex_lists_25_associations_in_four_intakes():
    assert len(ALL_ASSOCIATIONS) == 25
    assert {day: len(names) for day, names in copenhagen.ASSOCIATIONS_BY_START.items()} == {
        datetime.date(2012, 1, 1): 5, datetime.date(2018, 1, 1): 10,
        datetime.date(2020, 1, 1): 5, datetime.date(2020, 7, 1): 5}


def test_programme_types_are_registered(platform):
    social = platform.programme_types[copenhagen.SOCIAL_PARTNERSHIPS]
    assert social.plugin == "copenhagen"
    assert social.grant_per_partner_per_year_ore == 200_000 * 100
    assert social.resource_person_hours_min == 20
    assert social.agreement_years == 4 and social.agreement_extendable
    assert len(social.focus_areas) == 6 and [a.number for a in social.focus_areas] == [1, 2, 3, 4, 5, 6]
    assert social.age_range == (0, 25)
    assert platform.programme_types[copenhagen.INTEGRATION_2007].agreement_years == 3


def test_exactly_the_25_annex_associations_are_partners(dbconn):
    partners = (Membership.select(Membership, Organisation).join(Organisation)
                .where(Membership.programme == programme().id, Membership.role == "partner",
                       Membership.deleted_at.is_null()))
    joined = {m.organisation.name: m.joined_on for m in partners}
    assert set(joined) == ALL_ASSOCIATIONS
    for day, names in copenhagen.ASSOCIATIONS_BY_START.items():
        for name in names:
            assert joined[name] == day, name
    assert collections.Counter(joined.values()) == {
        datetime.date(2012, 1, 1): 5, datetime.date(2018, 1, 1): 10,
        datetime.date(2020, 1, 1): 5, datetime.date(2020, 7, 1): 5}


def test_the_associations_are_copenhagen_associations_for_children_and_youth(dbconn):
    for organisation in Organisation.select().where(Organisation.name.in_(list(ALL_ASSOCIATIONS))):
        assert organisation.kind == "association"
        assert organisation.municipality.code == "0101"
        assert sorted(row.target_group for row in organisation.target_group_rows) == ["children", "youth"]
        city_wide = organisation.name in copenhagen.CITY_WIDE
        assert (organisation.description == "Bydækkende forening.") == city_wide


def test_2022_grants_of_200000_each_within_the_budget(dbconn):
    grants = list(Grant.select().where(Grant.programme == programme().id, Grant.year == 2022,
                                       Grant.deleted_at.is_null()))
    assert len(grants) == 25
    assert {g.amount_ore for g in grants} == {200_000 * 100}
    assert {g.organisation.name for g in grants} == ALL_ASSOCIATIONS
    budget = ProgrammeBudget.get(ProgrammeBudget.programme == programme().id, ProgrammeBudget.year == 2022)
    assert budget.amount_ore == 6_000_000 * 100
    assert sum(g.amount_ore for g in grants) == 5_000_000 * 100 <= budget.amount_ore


def test_programme_page_network(http):
    rows = table_rows(section(http.get(f"/programmes/{SLUG}", headers=ENGLISH).text, "network"))
    partners = [row for row in rows if row[1] == "Partner"]
    assert {row[0] for row in partners} == ALL_ASSOCIATIONS
    assert collections.Counter(row[2] for row in partners) == {
        "January 2012": 5, "January 2018": 10, "January 2020": 5, "July 2020": 5}
    assert [row[:2] for row in rows if row[1] != "Partner"] == [["DIF Get2sport", "Local actor"]]


def test_programme_page_money_in_danish(http):
    text = http.get(f"/programmes/{SLUG}", headers=DANISH).text
    budget = table_rows(section(text, "budget"))
    # year, budget, fees, grants, used, paid (the demo's two paid grant instalments), left
    assert budget == [["2022", "6.000.000 kr.", "0 kr.", "5.000.000 kr.", "5.000.000 kr.", "200.000 kr.",
                       "1.000.000 kr."]]
    grants = table_rows(section(text, "grants"))
    assert len(grants) == 25
    assert {(row[1], row[2]) for row in grants} == {("2022", "200.000 kr.")}
    assert {row[0] for row in grants} == ALL_ASSOCIATIONS


def test_programme_page_rules_in_danish_come_from_the_plugin_catalogue(http):
    rules = section(http.get(f"/programmes/{SLUG}", headers=DANISH).text, "rules")
    assert danish(PLUGIN_DIR, "Social partnerships (Copenhagen)") in rules
    assert danish(PLUGIN_DIR, "Involving parents") in rules
    assert danish(PLUGIN_DIR, "all of it for employing a resource person") in rules
    assert "200.000 kr." in rules


def test_programme_facts(http):
    body = main(http.get(f"/programmes/{SLUG}", headers=ENGLISH).text)
    assert '<a href="/municipalities/0101">Københavns Kommune</a>' in body
    assert ('<a href="/organisations/kobenhavns-kommune-kultur-og-fritidsforvaltningen">'
            'Københavns Kommune, Kultur- og Fritidsforvaltningen</a>') in body


def test_dif_get2sport_is_one_organisation_in_two_programmes(http, dbconn):
    assert Organisation.select().where(Organisation.name == "DIF Get2sport").count() == 1
    rows = table_rows(main(http.get("/organisations/dif-get2sport", headers=ENGLISH).text))
    assert {(row[0], row[1]) for row in rows} >= {("Sociale partnerskaber", "Local actor"),
                                                  ("Sociale partnerskabsforeninger", "Partner")}


def test_demo_data_is_idempotent(platform, dbconn):
    def snapshot():
        return (Organisation.select().count(), Membership.select().count(), Grant.select().count(),
                ProgrammeBudget.select().count(), Programme.select().count())
    with db.database.atomic() as txn:
        before = snapshot()
        copenhagen.load_demo_data(platform)
        assert snapshot() == before
        txn.rollback()
