"""A programme type may give sign-on fees to organisations new to the owner's network only
(``sign_on_fee_new_members_only``, a declared type's ``sign_on_fee_new_members_only = true``):
one that was in another of the same owner's programmes before it joined this one gets none."""
from __future__ import annotations

import dataclasses
import datetime

import pytest

from core import i18n
from core.rules import money, registry
from core.rules.errors import RuleViolation
from tests.core.rules.conftest import ACTOR, ROSKILDE_TYPE, fees_of

NEW_ONLY = "test-new-members-only"
PLAIN = "test-every-member"


@pytest.fixture
def types(platform, dbconn):
    """Two fee-paying types owned by the municipality, one for new network members only; the
    rows the test makes are rolled back (their types exist only during the test)."""
    base = platform.programme_types[ROSKILDE_TYPE]
    added = [dataclasses.replace(base, key=NEW_ONLY, plugin="test", sign_on_fee_cap_ore=20_000 * 100,
                                 sign_on_fee_new_members_only=True, fixed_period=None),
             dataclasses.replace(base, key=PLAIN, plugin="test", sign_on_fee_cap_ore=20_000 * 100, fixed_period=None)]
    for programme_type in added:
        platform.programme_types.add(programme_type)
    try:
        with dbconn.atomic() as transaction:
            yield
            transaction.rollback()
    finally:
        for programme_type in added:
            platform.programme_types.discard(programme_type.key)


def _fee(platform, programme, organisation):
    return money.record_sign_on_fee(platform, programme_id=programme.id, organisation_id=organisation.id,
                                    amount_ore=10_000 * 100, granted_on=datetime.date(2025, 3, 1), actor=ACTOR)


def test_only_organisations_new_to_the_owners_network_get_a_fee(platform, build, types):
    budgets = {2024: 100_000, 2025: 100_000}
    earlier = build.programme(PLAIN, start=datetime.date(2024, 1, 1), budgets=budgets)
    later = build.programme(NEW_ONLY, start=datetime.date(2025, 1, 1), budgets=budgets)
    veteran, newcomer = build.organisation(), build.organisation()
    registry.add_membership(programme=earlier, organisation=veteran, role="partner",
                            joined_on=datetime.date(2024, 2, 1), actor=ACTOR)
    for organisation in (veteran, newcomer):
        registry.add_membership(programme=later, organisation=organisation, role="partner",
                                joined_on=datetime.date(2025, 1, 15), actor=ACTOR)
    with pytest.raises(RuleViolation) as refused:
        _fee(platform, later, veteran)
    with i18n.locale_context("en"):
        assert refused.value.by_field() == {"organisation": [
            f"{veteran.name} was in the network of {earlier.name} before it joined this one: the programme type "
            "gives sign-on fees to new network members only"]}
    assert fees_of(later) == []  # nothing written
    assert _fee(platform, later, newcomer).organisation_id == newcomer.id
    # the same organisation in a type without the rule gets its fee
    plain = build.programme(PLAIN, start=datetime.date(2025, 1, 1), budgets=budgets)
    registry.add_membership(programme=plain, organisation=veteran, role="partner",
                            joined_on=datetime.date(2025, 1, 15), actor=ACTOR)
    assert _fee(platform, plain, veteran).amount_ore == 10_000 * 100


def test_another_owners_network_does_not_count(platform, build, types):
    """Membership of a volunteer centre's programme does not make an organisation old to the
    municipality's own network: the owners differ."""
    budgets = {2024: 100_000, 2025: 100_000}
    centre = build.organisation("volunteer_centre")
    base = platform.programme_types[PLAIN]
    platform.programme_types.add(dataclasses.replace(base, key="test-centre-owned", owner_kinds=("volunteer_centre",)))
    try:
        elsewhere = build.programme("test-centre-owned", owner=centre, start=datetime.date(2024, 1, 1), budgets=budgets)
        later = build.programme(NEW_ONLY, start=datetime.date(2025, 1, 1), budgets=budgets)
        organisation = build.organisation()
        registry.add_membership(programme=elsewhere, organisation=organisation, role="partner",
                                joined_on=datetime.date(2024, 2, 1), actor=ACTOR)
        registry.add_membership(programme=later, organisation=organisation, role="partner",
                                joined_on=datetime.date(2025, 1, 15), actor=ACTOR)
        assert _fee(platform, later, organisation).organisation_id == organisation.id
    finally:
        platform.programme_types.discard("test-centre-owned")
