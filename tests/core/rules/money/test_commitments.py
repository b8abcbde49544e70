"""The money rules: amounts typed by people, sign-on fees, grants, budgets and the overview,
including writers racing each other on their own connections."""
from __future__ import annotations

import datetime
import json
import threading

import pytest

from core import db, i18n
from core.models import AuditEntry, Grant, ProgrammeBudget, SignOnFee
from core.programme_types import ProgrammeTypeRegistry
from core.rules import money
from core.rules.errors import RuleViolation
from tests.core.rules.conftest import (ACTOR, COPENHAGEN_TYPE, ROSKILDE_TYPE, audit_of, fees_of,
                                       grants_of)

DAY = datetime.date(2024, 3, 1)
CAP_ORE = 30_000 * 100


def english(exc: RuleViolation) -> dict[str, list[str]]:
    with i18n.locale_context("en"):
        return exc.by_field()


def fee(platform, programme, organisation, amount_ore=10_000 * 100, granted_on=DAY):
    return money.record_sign_on_fee(platform, programme_id=programme.id, organisation_id=organisation.id,
                                    amount_ore=amount_ore, granted_on=granted_on, actor=ACTOR)


def grant(platform, programme, organisation, year=2024, amount_ore=200_000 * 100):
    return money.record_grant(platform, programme_id=programme.id, organisation_id=organisation.id,
                              year=year, amount_ore=amount_ore, actor=ACTOR)


# --- parse_amount ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, ore", [
    ("30000", 3_000_000),
    ("30.000", 3_000_000),
    ("30.000,50", 3_000_050),
    ("30000,5", 3_000_050),
    ("1.500", 150_000),
    ("1.500.000", 150_000_000),
    ("0,01", 1),
    ("12,50", 1_250),
    ("30 000 kr.", 3_000_000),
    ("30.000 kr", 3_000_000),
    ("\u00a030000 DKK", 3_000_000),
    ("1 500,25", 150_025),
    (30000, 3_000_000),
    ("100.000.000.000", 10**13),
])
def test_parse_amount_danish(text, ore):
    with i18n.locale_context("da"):
        assert money.parse_amount(text) == ore


@pytest.mark.parametrize("text, msgid", [
    ("-5", "The amount must be positive, not %(value)s"),
    (" -30.000", "The amount must be positive, not %(value)s"),
    ("0", "The amount must be positive, not %(value)s"),
    ("0,00", "The amount must be positive, not %(value)s"),
    (0, "The amount must be positive, not %(value)s"),
    ("", "Enter an amount in kroner"),
    ("   ", "Enter an amount in kroner"),
    (None, "Enter an amount in kroner"),
    ("kr.", "Enter an amount in kroner"),
    ("abc", "'%(value)s' is not an amount in kroner"),
    ("NaN", "'%(value)s' is not an amount in kroner"),
    ("Infinity", "'%(value)s' is not an amount in kroner"),
    ("1e5", "'%(value)s' is not an amount in kroner"),
    ("1_000", "'%(value)s' is not an amount in kroner"),
    ("\u0661\u0662\u0663", "'%(value)s' is not an amount in kroner"),
    ("1..5", "'%(value)s' is not an amount in kroner"),
    ("1,5,0", "'%(value)s' is not an amount in kroner"),
    ("5-", "'%(value)s' is not an amount in kroner"),
    ("1,234", "An amount can have at most two decimals (øre): %(value)s"),
    ("30000,555", "An amount can have at most two decimals (øre): %(value)s"),
    ("1.234,567", "An amount can have at most two decimals (øre): %(value)s"),
    ("0,001", "An amount can have at most two decimals (øre): %(value)s"),
    ("99999999999999999", "The amount %(value)s is too large"),
    ("100.000.000.000,01", "The amount %(value)s is too large"),
])
def test_parse_amount_refuses_with_the_field_named(text, msgid):
    with i18n.locale_context("da"), pytest.raises(RuleViolation) as caught:
        money.parse_amount(text, field="fee_amount")
    [problem] = caught.value.problems
    assert problem.field == "fee_amount"
    assert problem.message.msgid == msgid


def test_parse_amount_default_field_and_raw_value_in_message():
    with pytest.raises(RuleViolation) as caught:
        money.parse_amount("-42 kr.")
    assert english(caught.value) == {"amount": ["The amount must be positive, not -42 kr."]}


def test_parse_amount_follows_the_locale_for_separators():
    with i18n.locale_context("en"):
        assert money.parse_amount("1,500") == 150_000
        assert money.parse_amount("30,000.50") == 3_000_050
        with pytest.raises(RuleViolation):
            money.parse_amount("30.000,50")
    with i18n.locale_context("da"):
        with pytest.raises(RuleViolation):
            money.parse_amount("30,000.50")


# --- sign-on fees --------------------------------------------------------------------------

def test_fee_at_the_cap_is_recorded_and_audited(platform, build):
    programme = build.programme(budgets={2024: 1_000_000})
    organisation = build.member(programme)
    recorded = money.record_sign_on_fee(platform, programme_id=programme.id, organisation_id=organisation.id,
                                        amount_ore=CAP_ORE, granted_on=DAY, actor="tester", note="  velkommen  ")
    [row] = fees_of(programme)
    assert (row.id, row.organisation_id, row.amount_ore, row.granted_on, row.note) == \
        (recorded.id, organisation.id, CAP_ORE, DAY, "velkommen")
    assert row.change_number > 0
    [entry] = audit_of(programme, "sign_on_fee.create")
    assert (entry.actor, entry.object_type, entry.object_id) == ("tester", "signonfee", str(row.id))
    assert json.loads(entry.after) == {"programme": programme.id, "organisation": organisation.id,
                                       "amount_ore": CAP_ORE, "granted_on": "2024-03-01"}
    assert money.spent_in_year(programme.id, 2024) == CAP_ORE


def test_fee_above_the_cap_is_refused_and_nothing_written(platform, build):
    programme = build.programme(budgets={2024: 1_000_000})
    organisation = build.member(programme)
    audit_before = AuditEntry.select().count()
    with pytest.raises(RuleViolation) as caught:
        fee(platform, programme, organisation, amount_ore=CAP_ORE + 1)
    assert english(caught.value) == {
        "amount": ["DKK 30,000.01 is above the sign-on fee cap of DKK 30,000"]}
    assert fees_of(programme) == []
    assert AuditEntry.select().count() == audit_before
    fee(platform, programme, organisation, amount_ore=CAP_ORE)  # the refusal did not use up the one fee
    assert len(fees_of(programme)) == 1


@pytest.mark.parametrize("amount_ore", [0, -100])
def test_fee_must_be_positive(platform, build, amount_ore):
    programme = build.programme(budgets={2024: 1_000_000})
    organisation = build.member(programme)
    with pytest.raises(RuleViolation) as caught:
        fee(platform, programme, organisation, amount_ore=amount_ore)
    assert list(english(caught.value)) == ["amount"]
    assert fees_of(programme) == []


def test_second_fee_for_the_same_organisation_is_refused(platform, build):
    programme = build.programme(budgets={2024: 1_000_000})
    organisation = build.member(programme, name="Anden Gang Forening")
    fee(platform, programme, organisation, amount_ore=1_000 * 100)
    with pytest.raises(RuleViolation) as caught:
        fee(platform, programme, organisation, amount_ore=1_000 * 100, granted_on=DAY.replace(month=6))
    assert english(caught.value) == {"organisation": [
        "Anden Gang Forening already has 1 sign-on fee in this programme; the programme type allows 1"]}
    assert len(fees_of(programme)) == 1
    assert len(audit_of(programme, "sign_on_fee.create")) == 1


def test_the_same_organisation_may_have_a_fee_in_another_programme(platform, build):
    first = build.programme(budgets={2024: 1_000_000})
    second = build.programme(budgets={2024: 1_000_000})
    organisation = build.member(first)
    build.member(second, organisation=organisation)
    fee(platform, first, organisation)
    fee(platform, second, organisation)
    assert len(fees_of(first)) == len(fees_of(second)) == 1


def test_non_member_is_refused(platform, build):
    programme = build.programme(budgets={2024: 1_000_000})
    outsider = build.organisation()
    with pytest.raises(RuleViolation) as caught:
        fee(platform, programme, outsider)
    assert english(caught.value) == {"organisation": ["The organisation is not in this programme's network"]}
    assert fees_of(programme) == []


def test_only_local_associations_that_joined_receive_a_fee(platform, build):
    """The centre that runs the programme, its funder, its coordinators, national bodies, other
    municipalities' associations and local actors of other kinds are refused; the form offers
    exactly the members the same rule lets through."""
    funder = build.organisation("national_body", municipality="")
    programme = build.programme(budgets={2024: 1_000_000})
    with db.database.atomic():
        programme.funder = funder
        programme.save()
    association = build.member(programme)
    refused = {
        "owner": build.member(programme, "coordinator", organisation=programme.owner_organisation),
        "funder": build.member(programme, "coordinator", organisation=funder),
        "coordinating association": build.member(programme, "coordinator"),
        "national body": build.member(programme, "local_actor", kind="national_body", municipality=""),
        "school": build.member(programme, "local_actor", kind="school_institution"),
        "another municipality's association": build.member(programme, municipality="0101"),
    }
    for why, organisation in refused.items():
        with pytest.raises(RuleViolation) as caught:
            fee(platform, programme, organisation)
        [message] = english(caught.value)["organisation"]
        assert organisation.name in message and "sign-on fee" in message, why
    assert fees_of(programme) == []
    assert [m.organisation_id for m in money.sign_on_fee_recipients(platform, programme)] == [association.id]
    fee(platform, programme, association)
    assert [row.organisation_id for row in fees_of(programme)] == [association.id]
    assert money.sign_on_fee_recipients(platform, programme) == []  # its one fee is given


@pytest.mark.parametrize(("granted_on", "shown"), [(datetime.date(2022, 12, 31), "31 Dec 2022"),
                                                   (datetime.date(2027, 1, 1), "1 Jan 2027")])
def test_fee_outside_the_programme_period_is_refused(platform, build, granted_on, shown):
    programme = build.programme(budgets={2022: 1_000_000, 2024: 1_000_000, 2027: 1_000_000})
    organisation = build.member(programme)
    with pytest.raises(RuleViolation) as caught:
        fee(platform, programme, organisation, granted_on=granted_on)
    assert english(caught.value) == {"granted_on": [
        f"{shown} is outside the programme's period (1 Jan 2023 – 31 Dec 2026)"]}
    assert fees_of(programme) == []


def test_fee_on_the_first_and_last_day_of_the_period_is_allowed(platform, build):
    programme = build.programme(budgets={2023: 1_000_000, 2026: 1_000_000})
    fee(platform, programme, build.member(programme), granted_on=datetime.date(2023, 1, 1))
    fee(platform, programme, build.member(programme), granted_on=datetime.date(2026, 12, 31))
    assert len(fees_of(programme)) == 2


def test_budget_exhaustion_is_refused_naming_what_is_left(platform, build):
    programme = build.programme(budgets={2024: 50_000})
    first, second = build.member(programme), build.member(programme)
    fee(platform, programme, first, amount_ore=CAP_ORE)
    with pytest.raises(RuleViolation) as caught:
        fee(platform, programme, second, amount_ore=CAP_ORE)
    assert english(caught.value) == {"amount": [
        "DKK 30,000 is more than what is left of the budget for 2024: DKK 20,000"]}
    assert len(fees_of(programme)) == 1
    fee(platform, programme, second, amount_ore=20_000 * 100)  # exactly what is left still fits
    assert money.spent_in_year(programme.id, 2024) == 50_000 * 100


def test_fee_in_a_year_without_budget_is_refused(platform, build):
    programme = build.programme(budgets={2024: 1_000_000})
    organisation = build.member(programme)
    with pytest.raises(RuleViolation) as caught:
        fee(platform, programme, organisation, granted_on=datetime.date(2025, 2, 1))
    assert english(caught.value) == {"amount": ["The programme has no budget for 2025"]}
    assert fees_of(programme) == []


def test_several_problems_are_reported_together(platform, build):
    programme = build.programme(budgets={2024: 1_000_000})
    outsider = build.organisation()
    with pytest.raises(RuleViolation) as caught:
        fee(platform, programme, outsider, amount_ore=CAP_ORE + 100, granted_on=datetime.date(2030, 1, 1))
    assert set(english(caught.value)) == {"amount", "organisation", "granted_on"}


def test_programme_type_without_fees_refuses(platform, build):
    programme = build.programme(ROSKILDE_TYPE, start=datetime.date(2021, 1, 1), end=datetime.date(2023, 12, 31),
                                budgets={2022: 750_000})
    organisation = build.member(programme)
    with pytest.raises(RuleViolation) as caught:
        fee(platform, programme, organisation, amount_ore=100, granted_on=datetime.date(2022, 5, 1))
    assert english(caught.value) == {"programme": [
        "The programme type Social partnership associations (Roskilde) has no sign-on fees"]}
    assert fees_of(programme) == []


def test_unknown_programme_is_refused(platform, dbconn):
    with pytest.raises(RuleViolation) as caught:
        money.record_sign_on_fee(platform, programme_id=10**9, organisation_id=1, amount_ore=100,
                                 granted_on=DAY, actor=ACTOR)
    assert english(caught.value) == {"programme": [f"There is no programme {10**9}"]}


def test_programme_whose_plugin_is_disabled_is_refused(build):
    programme = build.programme(budgets={2024: 1_000_000})
    organisation = build.member(programme)

    class WithoutPlugins:
        programme_types = ProgrammeTypeRegistry()

    with pytest.raises(RuleViolation) as caught:
        fee(WithoutPlugins(), programme, organisation)
    assert english(caught.value) == {"programme": [
        "The programme's type 'slagelse-faellesskabsalliancen' is not available: is its plugin enabled?"]}
    assert fees_of(programme) == []


# --- grants --------------------------------------------------------------------------------

def copenhagen(build, budgets=None):
    return build.programme(COPENHAGEN_TYPE, start=datetime.date(2022, 1, 1), end=datetime.date(2025, 12, 31),
                           budgets=budgets or {2024: 6_000_000, 2025: 6_000_000})


def test_grant_up_to_the_type_amount_is_recorded_and_audited(platform, build):
    programme = copenhagen(build)
    partner = build.member(programme, "partner")
    recorded = grant(platform, programme, partner, amount_ore=200_000 * 100)
    [row] = grants_of(programme)
    assert (row.id, row.year, row.amount_ore) == (recorded.id, 2024, 20_000_000)
    [entry] = audit_of(programme, "grant.create")
    assert json.loads(entry.after)["amount_ore"] == 20_000_000


def test_grant_above_the_type_amount_is_refused(platform, build):
    programme = copenhagen(build)
    partner = build.member(programme, "partner")
    with pytest.raises(RuleViolation) as caught:
        grant(platform, programme, partner, amount_ore=200_000 * 100 + 1)
    assert english(caught.value) == {"amount": [
        "DKK 200,000.01 is above the programme type's grant of DKK 200,000 per partner a year"]}
    assert grants_of(programme) == []


def test_one_grant_per_organisation_per_year(platform, build):
    programme = copenhagen(build)
    partner = build.member(programme, "partner", name="Et Tilskud Om Året")
    grant(platform, programme, partner, year=2024, amount_ore=100_000 * 100)
    with pytest.raises(RuleViolation) as caught:
        grant(platform, programme, partner, year=2024, amount_ore=50_000 * 100)
    assert english(caught.value) == {"year": ["Et Tilskud Om Året already has a grant for 2024"]}
    grant(platform, programme, partner, year=2025, amount_ore=100_000 * 100)
    assert [(g.year, g.amount_ore) for g in grants_of(programme)] == [(2024, 10_000_000), (2025, 10_000_000)]


@pytest.mark.parametrize("role", ["local_actor", "coordinator", None])
def test_only_partners_receive_grants(platform, build, role):
    programme = copenhagen(build)
    organisation = build.member(programme, role) if role else build.organisation()
    with pytest.raises(RuleViolation) as caught:
        grant(platform, programme, organisation)
    assert english(caught.value) == {"organisation": ["Only partners in this programme's network receive grants"]}
    assert grants_of(programme) == []


def test_grant_outside_the_period_or_budget_is_refused(platform, build):
    programme = copenhagen(build, {2024: 300_000})
    first, second = build.member(programme), build.member(programme)
    with pytest.raises(RuleViolation) as caught:
        grant(platform, programme, first, year=2026)
    assert "year" in english(caught.value)
    grant(platform, programme, first, year=2024, amount_ore=200_000 * 100)
    with pytest.raises(RuleViolation) as caught:
        grant(platform, programme, second, year=2024, amount_ore=150_000 * 100)
    assert english(caught.value) == {"amount": [
        "DKK 150,000 is more than what is left of the budget for 2024: DKK 100,000"]}
    assert len(grants_of(programme)) == 1


def test_types_without_a_grant_amount_have_no_cap_but_the_budget(platform, build):
    programme = build.programme(budgets={2024: 1_000_000})  # Slagelse: no grant per partner
    partner = build.member(programme, "partner")
    grant(platform, programme, partner, amount_ore=900_000 * 100)
    assert grants_of(programme)[0].amount_ore == 90_000_000


# --- budgets and the overview -------------------------------------------------------------

def test_set_budget_cannot_go_below_what_is_committed(platform, build):
    programme = build.programme(budgets={2024: 100_000})
    fee(platform, programme, build.member(programme), amount_ore=CAP_ORE)
    with pytest.raises(RuleViolation) as caught:
        money.set_budget(programme_id=programme.id, year=2024, amount_ore=CAP_ORE - 1, actor=ACTOR)
    assert english(caught.value) == {"amount": [
        "The budget cannot be below the DKK 30,000 already committed in 2024"]}
    assert ProgrammeBudget.get(programme=programme.id, year=2024).amount_ore == 100_000 * 100
    money.set_budget(programme_id=programme.id, year=2024, amount_ore=CAP_ORE, actor=ACTOR)
    assert ProgrammeBudget.get(programme=programme.id, year=2024).amount_ore == CAP_ORE


def test_set_budget_audits_changes_only(build):
    programme = build.programme()
    money.set_budget(programme_id=programme.id, year=2024, amount_ore=500, actor=ACTOR)
    money.set_budget(programme_id=programme.id, year=2024, amount_ore=500, actor=ACTOR)
    money.set_budget(programme_id=programme.id, year=2024, amount_ore=700, actor=ACTOR)
    entries = audit_of(programme, "budget.set")
    assert [(json.loads(e.before), json.loads(e.after)) for e in entries] == [
        ({"amount_ore": None}, {"amount_ore": 500, "year": 2024}),
        ({"amount_ore": 500}, {"amount_ore": 700, "year": 2024}),
    ]
    assert ProgrammeBudget.select().where(ProgrammeBudget.programme == programme.id).count() == 1


def test_set_budget_refuses_negative_and_unknown_programme(dbconn):
    with pytest.raises(RuleViolation) as caught:
        money.set_budget(programme_id=1, year=2024, amount_ore=-1, actor=ACTOR)
    assert list(caught.value.by_field()) == ["amount"]
    with pytest.raises(RuleViolation) as caught:
        money.set_budget(programme_id=10**9, year=2024, amount_ore=1, actor=ACTOR)
    assert list(caught.value.by_field()) == ["programme"]


def test_money_overview_figures(platform, build):
    programme = build.programme(budgets={2023: 200_000, 2024: 100_000})
    empty = build.programme()
    a, b = build.member(programme), build.member(programme)
    fee(platform, programme, a, amount_ore=30_000 * 100, granted_on=datetime.date(2023, 6, 1))
    fee(platform, programme, b, amount_ore=12_345_67, granted_on=datetime.date(2024, 2, 1))
    grant(platform, programme, a, year=2024, amount_ore=50_000 * 100)
    overview = money.money_overview([programme.id, empty.id])
    assert overview == {
        programme.id: {
            2023: {"budget": 20_000_000, "fees": 3_000_000, "grants": 0, "used": 3_000_000, "left": 17_000_000},
            2024: {"budget": 10_000_000, "fees": 1_234_567, "grants": 5_000_000, "used": 6_234_567,
                   "left": 3_765_433},
        },
        empty.id: {},
    }
    assert list(overview[programme.id]) == [2023, 2024]
    assert money.spent_in_year(programme.id, 2024) == overview[programme.id][2024]["used"]
    assert money.money_overview([]) == {}


# --- writers racing each other --------------------------------------------------------------

def race(workers: list) -> list:
    """Run each callable in its own thread with its own connection, all released at once."""
    barrier = threading.Barrier(len(workers))
    results: list = [None] * len(workers)

    def run(index, work):
        with db.connection():
            barrier.wait()
            try:
                results[index] = work()
            except Exception as exc:  # collected and asserted on by the test
                results[index] = exc

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_concurrent_fees_for_one_organisation_record_exactly_one(platform, build):
    programme = build.programme(budgets={2024: 1_000_000})
    organisation = build.member(programme)
    results = race([lambda: fee(platform, programme, organisation, amount_ore=20_000 * 100)] * 8)
    recorded = [r for r in results if isinstance(r, SignOnFee)]
    refused = [r for r in results if isinstance(r, RuleViolation)]
    assert len(recorded) == 1 and len(refused) == 7, results
    assert all(list(r.by_field()) == ["organisation"] for r in refused)
    assert [f.id for f in fees_of(programme)] == [recorded[0].id]
    assert len(audit_of(programme, "sign_on_fee.create")) == 1


def test_concurrent_fees_never_exceed_the_budget(platform, build):
    programme = build.programme(budgets={2024: 100_000})
    organisations = [build.member(programme) for _ in range(10)]
    results = race([lambda o=o: fee(platform, programme, o, amount_ore=CAP_ORE) for o in organisations])
    recorded = [r for r in results if isinstance(r, SignOnFee)]
    refused = [r for r in results if isinstance(r, RuleViolation)]
    assert len(recorded) == 3 and len(refused) == 7, results
    assert all(list(r.by_field()) == ["amount"] for r in refused)
    assert sum(f.amount_ore for f in fees_of(programme)) == 90_000 * 100 <= 100_000 * 100
    assert money.money_overview([programme.id])[programme.id][2024]["left"] == 10_000 * 100


def test_concurrent_grants_and_fees_share_the_budget(platform, build):
    programme = build.programme(budgets={2024: 100_000})
    organisations = [build.member(programme) for _ in range(6)]
    workers = []
    for index, organisation in enumerate(organisations):
        if index % 2:
            workers.append(lambda o=organisation: grant(platform, programme, o, amount_ore=25_000 * 100))
        else:
            workers.append(lambda o=organisation: fee(platform, programme, o, amount_ore=25_000 * 100))
    results = race(workers)
    assert sum(isinstance(r, (SignOnFee, Grant)) for r in results) == 4, results
    assert all(isinstance(r, (SignOnFee, Grant, RuleViolation)) for r in results), results
    assert money.spent_in_year(programme.id, 2024) == 100_000 * 100
