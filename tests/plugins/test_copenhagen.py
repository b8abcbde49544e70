"""The Copenhagen plugin: its two programme types, and its demo data as the experience
report's annex gives it (25 associations by the year they joined, each with an agreement that
one of three consultants follows, 200,000 DKK each a year within the 6 million DKK budget,
permanent from 2022), the 2007 framework as an illustrative programme, read back over HTTP and
from the database."""
from __future__ import annotations

import collections
import datetime
from pathlib import Path

from core import db
from core.models import Organisation
from core.models.account import Account, RoleAssignment
from core.models.agreement import Agreement
from core.models.membership import Membership
from core.models.money import Grant
from core.models.payment import PaymentRequest
from core.models.programme import Programme, ProgrammeBudget
from plugins import copenhagen
from tests.core.views._html import DANISH, ENGLISH, danish, main, section, table_rows
from tests.core.views._lifecycle import people

__all__ = ["people"]

SLUG = "kobenhavn-sociale-partnerskaber"
PLUGIN_DIR = Path(copenhagen.__file__).parent
ALL_ASSOCIATIONS = {name for names in copenhagen.ASSOCIATIONS_BY_START.values() for name in names}
TODAY = datetime.date.today()


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


def test_budgets_and_grants_of_200000_each_from_2022_to_this_year(dbconn):
    """6 million DKK in 2022, permanent from 2022: a budget and a grant for each of the 25 every year
    up to the current one, whatever today is."""
    years = list(range(2022, TODAY.year + 1))
    budgets = {b.year: b.amount_ore for b in ProgrammeBudget.select().where(ProgrammeBudget.programme == programme().id)}
    assert budgets == {year: 6_000_000 * 100 for year in years}
    grants = list(Grant.select().where(Grant.programme == programme().id, Grant.deleted_at.is_null()))
    assert collections.Counter(g.year for g in grants) == {year: 25 for year in years}
    assert {g.amount_ore for g in grants} == {200_000 * 100}
    for year in years:
        assert {g.organisation.name for g in grants if g.year == year} == ALL_ASSOCIATIONS
    assert 25 * 200_000 * 100 <= budgets[2022]
    # past years paid out; this year's instalments paid, approved and waiting
    statuses = collections.Counter((p.grant.year == TODAY.year, p.status) for p in
                                   PaymentRequest.select(PaymentRequest, Grant).join(Grant)
                                   .where(PaymentRequest.programme == programme().id))
    assert statuses[(False, "paid")] == 25 * (len(years) - 1)
    assert statuses[(True, "created")] == statuses[(True, "approved")] == 1


def test_an_agreement_for_each_of_the_25_followed_by_three_consultants(dbconn):
    agreements = list(Agreement.select(Agreement, Organisation, Account).join(Organisation)
                      .switch(Agreement).join(Account, on=(Agreement.consultant == Account.id))
                      .where(Agreement.programme == programme().id))
    assert sorted(a.organisation.name for a in agreements) == sorted(ALL_ASSOCIATIONS)
    by_consultant = collections.Counter(a.consultant.email for a in agreements)
    assert set(by_consultant) == set(copenhagen.CONSULTANTS) and len(by_consultant) == 3
    assert all(count >= 8 for count in by_consultant.values())
    for agreement in agreements:
        assert agreement.start_date == copenhagen_joined(agreement.organisation.name)
        assert agreement.state(TODAY) == "running", agreement.organisation.name
        assert RoleAssignment.get(RoleAssignment.account == agreement.consultant_id).municipality.code == "0101"
    # four-year terms, extended (the report); one ends within 90 days so the to-do list shows it
    ending = [a.organisation.name for a in agreements if (a.end_date - TODAY).days <= 90]
    assert ending == ["Street Society"]
    assert all(a.extensions.count() >= 1 for a in agreements if a.start_date.year < 2022)


def copenhagen_joined(name: str) -> datetime.date:
    return next(day for day, names in copenhagen.ASSOCIATIONS_BY_START.items() if name in names)


def test_programme_page_network(http):
    rows = table_rows(section(http.get(f"/programmes/{SLUG}", headers=ENGLISH).text, "network"))
    partners = [row for row in rows if row[1] == "Partner"]
    assert {row[0] for row in partners} == ALL_ASSOCIATIONS
    assert collections.Counter(row[2] for row in partners) == {
        "January 2012": 5, "January 2018": 10, "January 2020": 5, "July 2020": 5}
    assert [row[:2] for row in rows if row[1] != "Partner"] == [["DIF Get2sport", "Local actor"]]


def test_programme_page_money_in_danish(http):
    text = http.get(f"/programmes/{SLUG}", headers=DANISH).text
    budget = {row[0]: row for row in table_rows(section(text, "budget"))}
    assert list(budget) == [str(year) for year in range(2022, TODAY.year + 1)]
    # year, budget, fees, grants, used, paid, left
    assert budget["2022"] == ["2022", "6.000.000 kr.", "0 kr.", "5.000.000 kr.", "5.000.000 kr.", "5.000.000 kr.",
                              "1.000.000 kr."]
    # this year: the first grant paid in two halves, the second's first half approved but not paid
    assert budget[str(TODAY.year)][5] == "200.000 kr."
    grants = table_rows(section(text, "grants"))
    assert len(grants) == 25 * (TODAY.year - 2021)
    assert {row[2] for row in grants} == {"200.000 kr."}
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
                                                  ("Sociale partnerskabsforeninger", "Local actor")}


def test_demo_data_is_idempotent(platform, dbconn):
    def snapshot():
        return (Organisation.select().count(), Membership.select().count(), Grant.select().count(),
                ProgrammeBudget.select().count(), Programme.select().count())
    with db.database.atomic() as txn:
        before = snapshot()
        copenhagen.load_demo_data(platform)
        assert snapshot() == before
        txn.rollback()


# --- the 2007 framework, as one illustrative programme --------------------------------------------

INTEGRATION_SLUG = "kobenhavn-integrationspartnerskaber-2008"


def test_the_2007_framework_has_one_illustrative_programme(dbconn):
    from core.models.application import Application
    from core.models.call import Call
    from core.models.resource_person import HandoverNote
    integration = Programme.get(Programme.slug == INTEGRATION_SLUG)
    assert integration.programme_type == copenhagen.INTEGRATION_2007
    assert (integration.start_date, integration.end_date, integration.status) == (
        datetime.date(2008, 1, 1), datetime.date(2010, 12, 31), "ended")
    assert "Illustrativt eksempel" in integration.description  # labelled as an assumption
    assert integration.funder.name == "Københavns Kommune, Socialforvaltningen"
    [application] = Application.select().join(Call).where(Call.programme == integration.id)
    assert application.status == "accepted" and application.organisation.name.startswith("Eksempel")
    [agreement] = Agreement.select().where(Agreement.programme == integration.id)
    assert (agreement.start_date, agreement.end_date) == (datetime.date(2008, 1, 1), datetime.date(2010, 12, 31))
    [note] = HandoverNote.select().where(HandoverNote.agreement == agreement.id)
    assert "Midtvejsstatus mod målene" in note.text and "BR 112/07B" in note.text


def test_its_goals_and_evaluation_show(http, people):
    programme_page = http.get(f"/programmes/{INTEGRATION_SLUG}", headers=ENGLISH).text
    assert "Evaluation against the goals stated in the application" in section(programme_page, "rules")
    assert "Illustrativt eksempel" in main(programme_page)
    admin = people("kbh-admin@partnerskab.test")
    from core.models.agreement import Agreement as A
    with db.connection():
        agreement = A.select().join(Programme).where(Programme.slug == INTEGRATION_SLUG).get()
    application = admin.get(f"/applications/{agreement.application_id}")
    assert "60 frivillige rekrutteret og 40 fastholdt" in application  # the applicant's goals
    assert "Midtvejsstatus mod målene" in admin.get(f"/agreements/{agreement.id}")  # measured against them
