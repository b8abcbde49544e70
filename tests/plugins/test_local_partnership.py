"""The local partnerships of Slagelse and Hillerød: one shared plugin (``plugins/local_partnership``)
that each configures with its own ``partnership.toml``, and a demo that tells the press release's
truth: the volunteer centre owns it, Socialstyrelsen funds it, FriSe and Socialstyrelsen coordinate
nationally, sign-on fees up to 30,000 DKK go to local associations, and each partnership mobilises
more than 30 organisations (fictional ones, named as such, a different network in each)."""
from __future__ import annotations

import ast
import collections
import datetime
from pathlib import Path

import pytest

from core import i18n
from core.models import Organisation
from core.models.call import Call
from core.models.membership import Membership
from core.models.money import SignOnFee
from core.models.payment import PaymentRequest
from core.models.programme import Programme, ProgrammeBudget
from plugins import hillerod, local_partnership, slagelse
from plugins.local_partnership import demo as partnership_demo
from plugins.local_partnership.demo import NETWORK_KINDS
from tests.core.views._html import DANISH, ENGLISH, danish, main, section, table_rows

FRISE = "Frivilligcentre & Selvhjælp Danmark (FriSe)"
PARTNERSHIPS = {
    "slagelse": (slagelse, "slagelse-faellesskabsalliancen", ("Frivilligcenter Slagelse", "frivilligcenter-slagelse",
                                                              "0330"),
                 "Fællesskabsalliancen – local partnership for young people (Slagelse)"),
    "hillerod": (hillerod, "hillerod-tuff", ("Frivilligcenter Hillerød", "frivilligcenter-hillerod", "0219"),
                 "TUFF – local partnership for young people (Hillerød)"),
}
TODAY = datetime.date.today()


@pytest.fixture(params=list(PARTNERSHIPS))
def partnership(request):
    module, slug, centre, type_name = PARTNERSHIPS[request.param]
    return {"module": module, "slug": slug, "centre": centre, "type_name": type_name,
            "dir": Path(module.__file__).parent}


def network(slug) -> dict[str, Membership]:
    programme = Programme.get(Programme.slug == slug)
    return {m.organisation.name: m for m in Membership.select(Membership, Organisation).join(Organisation)
            .where(Membership.programme == programme.id, Membership.deleted_at.is_null())}


# --- the shared plugin and its configuration -----------------------------------------------------

def test_the_programme_type_comes_from_the_shared_model(platform, partnership):
    module = partnership["module"]
    programme_type = platform.programme_types[module.TYPE_KEY]
    assert module.PARTNERSHIP.programme_type is programme_type and programme_type.plugin == module.__name__.split(".")[-1]
    assert programme_type.owner_kinds == ("volunteer_centre",)
    assert programme_type.sign_on_fee_cap_ore == 30_000 * 100 and programme_type.sign_on_fees_per_organisation == 1
    assert programme_type.target_groups == ("youth_16_24",) and programme_type.age_range == (16, 24)
    assert programme_type.agreement_years == 4
    with i18n.locale_context("en"):
        assert str(programme_type.name) == partnership["type_name"]


def test_the_two_plugins_configure_and_do_not_copy():
    """Everything that differs is data (partnership.toml); the code is the shared plugin's."""
    for module in (slagelse, hillerod):
        folder = Path(module.__file__).parent
        assert (folder / "partnership.toml").exists()
        assert module.REQUIRES == ("local_partnership",)
        assert module.register_programme_types.__qualname__.startswith("LocalPartnership.hookimpls")
        statements = ast.parse((folder / "__init__.py").read_text()).body[1:]  # after the docstring
        assert len(statements) <= 7 and not any(isinstance(s, ast.FunctionDef) for s in statements)
    assert slagelse.PARTNERSHIP.settings["network"] != hillerod.PARTNERSHIP.settings["network"]
    assert local_partnership.LocalPartnership is type(slagelse.PARTNERSHIP) is type(hillerod.PARTNERSHIP)


def test_the_programme_years_follow_today():
    """The release gives no dates: the first round's four years, moved on when they are over."""
    assert partnership_demo.programme_years(datetime.date(2026, 11, 30)) == (2023, 2026)
    assert partnership_demo.programme_years(datetime.date(2024, 2, 1)) == (2023, 2026)
    assert partnership_demo.programme_years(datetime.date(2027, 1, 1)) == (2024, 2027)
    assert partnership_demo.programme_years(datetime.date(2031, 6, 1)) == (2028, 2031)


# --- the demo's truths ---------------------------------------------------------------------------

def test_owned_by_the_centre_funded_by_socialstyrelsen_with_a_budget_this_year(dbconn, partnership):
    programme = Programme.get(Programme.slug == partnership["slug"])
    owner = programme.owner_organisation
    assert (owner.name, owner.slug, owner.municipality.code, owner.kind) == (*partnership["centre"], "volunteer_centre")
    assert programme.municipality.code == partnership["centre"][2]
    assert (programme.funder.name, programme.funder.kind) == ("Socialstyrelsen", "national_body")
    first, last = partnership_demo.programme_years(TODAY)
    assert (programme.start_date, programme.end_date) == (datetime.date(first, 1, 1), datetime.date(last, 12, 31))
    assert programme.start_date <= TODAY <= programme.end_date
    budgets = {b.year: b.amount_ore for b in ProgrammeBudget.select().where(ProgrammeBudget.programme == programme.id)}
    assert budgets == {year: 1_200_000 * 100 for year in range(first, last + 1)}
    assert TODAY.year in budgets
    assert "antaget" in programme.description  # the assumption is labelled in the data


def test_the_coordinators(dbconn, partnership):
    roles = {name: m.role for name, m in network(partnership["slug"]).items()}
    assert {name for name, role in roles.items() if role == "coordinator"} == {
        partnership["centre"][0], FRISE, "Socialstyrelsen"}
    # FriSe and Socialstyrelsen are national: one organisation each, shared by both local partnerships
    assert Organisation.select().where(Organisation.name == FRISE).count() == 1
    assert Organisation.select().where(Organisation.name == "Socialstyrelsen").count() == 1


def test_more_than_30_network_organisations_each_and_not_the_same(dbconn):
    counts, names = {}, {}
    for key, (_module, slug, _centre, _name) in PARTNERSHIPS.items():
        members = {name: m for name, m in network(slug).items() if m.role != "coordinator"}
        counts[key], names[key] = len(members), set(members)
        assert len(members) > 30, (slug, len(members))
        kinds = collections.Counter((m.role, m.organisation.kind) for m in members.values())
        # the kinds the press release lists: associations (social, cultural, adult-education) as partners,
        # culture and education, business, region and municipality as local actors
        assert {("partner", "association"), ("local_actor", "school_institution"), ("local_actor", "other"),
                ("local_actor", "municipal_unit")} <= set(kinds), kinds
        for name, member in members.items():
            # fictional, and named and described so
            assert name.startswith("Eksempel"), name
            assert "Fiktiv" in member.organisation.description, name
    assert counts["slagelse"] != counts["hillerod"]
    assert not names["slagelse"] & names["hillerod"]


def test_each_network_file_names_only_known_kinds():
    for module in (slagelse, hillerod):
        assert set(module.PARTNERSHIP.settings["network"]) <= set(NETWORK_KINDS)


def test_sign_on_fees_go_to_local_associations_within_the_cap(dbconn, partnership):
    programme = Programme.get(Programme.slug == partnership["slug"])
    fees = list(SignOnFee.select(SignOnFee, Organisation).join(Organisation)
                .where(SignOnFee.programme == programme.id, SignOnFee.deleted_at.is_null()))
    members = network(partnership["slug"])
    assert len(fees) > 20
    for fee in fees:
        member = members[fee.organisation.name]
        assert (member.role, fee.organisation.kind) == ("partner", "association"), fee.organisation.name
        assert fee.organisation.municipality_id == programme.municipality_id
        assert 0 < fee.amount_ore <= 30_000 * 100
        assert programme.start_date <= fee.granted_on <= TODAY
    statuses = collections.Counter(p.status for p in PaymentRequest.select().where(
        PaymentRequest.programme == programme.id, PaymentRequest.kind == "sign_on_fee"))
    assert statuses["created"] == 1 and statuses["paid"] == len(fees) - 1


def test_an_open_call_whatever_today_is(dbconn, partnership):
    programme = Programme.get(Programme.slug == partnership["slug"])
    states = collections.Counter(c.state(TODAY) for c in Call.select().where(Call.programme == programme.id))
    assert states == {"closed": 1, "open": 1}


# --- the pages -----------------------------------------------------------------------------------

def test_programme_page(http, partnership):
    name, slug_of_centre, _code = partnership["centre"]
    text = http.get(f"/programmes/{partnership['slug']}", headers=ENGLISH).text
    facts = main(text)
    assert f'<dt>Owner</dt><dd><a href="/organisations/{slug_of_centre}">{name}</a></dd>' in facts
    assert '<dt>Funder</dt><dd><a href="/organisations/socialstyrelsen">Socialstyrelsen</a></dd>' in facts
    roles = {row[0]: row[1] for row in table_rows(section(text, "network"))}
    assert roles[FRISE] == "Coordinator" and roles[name] == "Coordinator"
    assert len([role for role in roles.values() if role != "Coordinator"]) > 30
    assert "up to DKK 30,000 per organisation" in section(text, "rules")
    assert '<h2 id="fees">' in text  # sign-on fees are part of this programme type


def test_programme_page_in_danish(http, partnership):
    text = http.get(f"/programmes/{partnership['slug']}", headers=DANISH).text
    rules = section(text, "rules")
    assert "30.000 kr." in rules
    assert danish(partnership["dir"], partnership["type_name"]) in rules
    # the shared words come from the shared plugin's catalogue
    assert danish(Path(local_partnership.__file__).parent,
                  "Shares knowledge and learning with the national coordinators, FriSe and Socialstyrelsen") in rules
    first, last = partnership_demo.programme_years(TODAY)
    assert [(row[0], row[1]) for row in table_rows(section(text, "budget"))] == [
        (str(year), "1.200.000 kr.") for year in range(first, last + 1)]


def test_the_centre_is_in_the_directory_for_young_people(http, partnership):
    name, slug_of_centre, code = partnership["centre"]
    text = http.get("/organisations", params={"target_group": "youth_16_24", "municipality": code,
                                              "kind": "volunteer_centre"}, headers=ENGLISH).text
    assert f'<a href="/organisations/{slug_of_centre}">{name}</a>' in text
