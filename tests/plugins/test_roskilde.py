"""The Roskilde plugin: exactly seven associations with a resource person 10–12 hours a week,
2021–2023, from a pool of 750,000 DKK a year (split illustratively in the demo); its network of
partners and local actors, with the housing association and DIF Get2sport as close collaborators."""
from __future__ import annotations

import collections
import datetime
from pathlib import Path

from core.models import Organisation
from core.models.agreement import Agreement
from core.models.membership import Membership
from core.models.money import Grant
from core.models.payment import PaymentRequest
from core.models.programme import Programme, ProgrammeBudget
from plugins import roskilde
from tests.core.views._html import DANISH, ENGLISH, danish, main, section, table_rows

SLUG = "roskilde-sociale-partnerskabsforeninger"
PLUGIN_DIR = Path(roskilde.__file__).parent
LOCAL_ACTORS = {"Skoler i Roskilde Kommune", "SFO’er i Roskilde Kommune", "Fritidshjem i Roskilde Kommune"}
OTHER_PARTNERS = {"Boligselskabet Sjælland": "housing_association", "DIF Get2sport": "national_body"}


def members() -> dict[str, Membership]:
    programme = Programme.get(Programme.slug == SLUG)
    return {m.organisation.name: m for m in Membership.select(Membership, Organisation).join(Organisation)
            .where(Membership.programme == programme.id, Membership.deleted_at.is_null())}


def test_programme_type(platform):
    programme_type = platform.programme_types[roskilde.TYPE_KEY]
    assert programme_type.plugin == "roskilde"
    assert (programme_type.resource_person_hours_min, programme_type.resource_person_hours_max) == (10, 12)
    assert programme_type.fixed_period == (datetime.date(2021, 1, 1), datetime.date(2023, 12, 31))
    assert programme_type.agreement_end(datetime.date(2022, 5, 1)) == datetime.date(2023, 12, 31)
    assert not programme_type.allows_sign_on_fees


def test_the_seven_associations_are_partners(dbconn):
    network = members()
    assert len(roskilde.ASSOCIATIONS) == 7
    for name in roskilde.ASSOCIATIONS:
        assert network[name].role == "partner", name
        assert network[name].joined_on == datetime.date(2021, 1, 1)
        organisation = network[name].organisation
        assert organisation.kind == "association" and organisation.municipality.code == "0265"


def test_exactly_seven_partners_and_the_close_collaborators_in_another_role(dbconn):
    network = members()
    assert sorted(name for name, m in network.items() if m.role == "partner") == sorted(roskilde.ASSOCIATIONS)
    # Boligselskabet Sjælland's housing-social effort and DIF Get2sport are close collaboration partners,
    # not partnership associations: local actors, with no agreement and no grant
    for name, kind in OTHER_PARTNERS.items():
        assert network[name].role == "local_actor" and network[name].organisation.kind == kind
        assert not Grant.select().where(Grant.organisation == network[name].organisation.id,
                                        Grant.programme == network[name].programme_id).exists()
    for name in LOCAL_ACTORS:
        assert network[name].role == "local_actor" and network[name].organisation.kind == "school_institution"
    assert set(network) == set(roskilde.ASSOCIATIONS) | set(OTHER_PARTNERS) | LOCAL_ACTORS
    programme = Programme.get(Programme.slug == SLUG)
    agreements = Agreement.select(Agreement, Organisation).join(Organisation).where(Agreement.programme == programme.id)
    assert sorted(a.organisation.name for a in agreements) == sorted(roskilde.ASSOCIATIONS)


def test_grants_2021_to_2023_from_the_pool_labelled_illustrative(dbconn):
    programme = Programme.get(Programme.slug == SLUG)
    grants = list(Grant.select(Grant, Organisation).join(Organisation).where(Grant.programme == programme.id,
                                                                             Grant.deleted_at.is_null()))
    by_year = collections.defaultdict(dict)
    for grant in grants:
        by_year[grant.year][grant.organisation.name] = grant.amount_ore
        assert "Illustrativ fordeling" in grant.purpose  # the split is not in the source, and says so
    assert sorted(by_year) == [2021, 2022, 2023]
    for year, amounts in by_year.items():
        assert set(amounts) == set(roskilde.ASSOCIATIONS), year
        assert sum(amounts.values()) <= 750_000 * 100
        assert set(amounts.values()) == {107_000 * 100}
    paid = collections.Counter((p.grant.year, p.status) for p in PaymentRequest.select(PaymentRequest, Grant)
                               .join(Grant).where(PaymentRequest.programme == programme.id))
    assert paid[(2021, "paid")] == paid[(2022, "paid")] == 7
    assert paid[(2023, "created")] == 1 and paid[(2023, "approved")] == 1


def test_budgets_of_750000_for_2021_to_2023(dbconn):
    programme = Programme.get(Programme.slug == SLUG)
    budgets = {b.year: b.amount_ore for b in ProgrammeBudget.select().where(ProgrammeBudget.programme == programme.id)}
    assert budgets == {2021: 750_000 * 100, 2022: 750_000 * 100, 2023: 750_000 * 100}
    assert (programme.start_date, programme.end_date, programme.status) == (
        datetime.date(2021, 1, 1), datetime.date(2023, 12, 31), "ended")
    assert programme.owner_organisation_id is None  # owned by the municipality itself
    assert programme.funder.name == "Roskilde Kommune, Kultur og Idræt"


def test_programme_page(http):
    text = http.get(f"/programmes/{SLUG}", headers=ENGLISH).text
    roles = {row[0]: row[1] for row in table_rows(section(text, "network"))}
    assert {name for name, role in roles.items() if role == "Partner"} == set(roskilde.ASSOCIATIONS)
    assert {name for name, role in roles.items() if role == "Local actor"} == LOCAL_ACTORS | set(OTHER_PARTNERS)
    assert "10–12 hours a week" in section(text, "rules")
    facts = main(text)
    assert "<dt>Owner</dt><dd>Roskilde Kommune</dd>" in facts
    assert "<dt>Status</dt><dd>Ended</dd>" in facts


def test_programme_page_budget_in_danish(http):
    text = http.get(f"/programmes/{SLUG}", headers=DANISH).text
    budget = table_rows(section(text, "budget"))
    assert [(row[0], row[1]) for row in budget] == [("2021", "750.000 kr."), ("2022", "750.000 kr."),
                                                    ("2023", "750.000 kr.")]
    assert danish(PLUGIN_DIR, "Social partnership associations (Roskilde)") in section(text, "rules")


def test_the_associations_are_in_the_directory(http):
    listed = http.get("/organisations", params={"municipality": "0265", "kind": "association"}, headers=ENGLISH).text
    for name in roskilde.ASSOCIATIONS:
        assert f">{name}</a></h2>" in listed.replace("&#39;", "'"), name
