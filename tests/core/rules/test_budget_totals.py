"""The kept per programme × year totals (``budget_total``, migration 0015) always equal the sums
of the fees, grants and paid payments they stand for: after every money operation (fee, grant,
budget, request, approve, paid, cancel, soft delete, a changed amount, a hard delete, a rolled
back write), under concurrent writers, and after the migration's backfill. Each check compares
the whole table with the sums, so money written by any earlier test in the session counts too.
"""
from __future__ import annotations

import datetime
import importlib

import pytest

from core.db import database, is_postgres
from core.models.money import Grant, SignOnFee
from core.models.payment import PaymentRequest
from core.models.programme import BudgetTotal
from core.rules import money
from core.rules.errors import RuleViolation
from tests.core.rules.conftest import COPENHAGEN_TYPE
from tests.core.rules.test_money import race
from tests.core.rules.test_payments import account, request_fee, request_grant

migration = importlib.import_module("core.migrations.0015_budget_totals")
DAY = datetime.date(2024, 3, 1)


def kept() -> dict[tuple[int, int], tuple[int, int, int]]:
    rows = BudgetTotal.select(BudgetTotal.programme, BudgetTotal.year, BudgetTotal.fees_ore, BudgetTotal.grants_ore,
                              BudgetTotal.paid_ore).tuples()
    return {(pid, year): (fees, grants, paid) for pid, year, fees, grants, paid in rows
            if (fees, grants, paid) != (0, 0, 0)}


def summed() -> dict[tuple[int, int], tuple[int, int, int]]:
    rows = database.execute_sql(migration.sums_sql("postgres" if is_postgres() else "sqlite")).fetchall()
    return {(pid, int(year)): (int(fees), int(grants), int(paid)) for pid, year, fees, grants, paid in rows
            if (fees, grants, paid) != (0, 0, 0)}


def assert_totals_match() -> None:
    assert kept() == summed()


def totals_of(programme_id: int, year: int) -> tuple[int, int, int]:
    return kept().get((programme_id, year), (0, 0, 0))


@pytest.fixture
def people(platform, build):
    return {"requester": account(platform, "consultant"), "approver": account(platform)}


def test_every_money_operation_keeps_the_totals(platform, build, people):
    programme = build.programme(COPENHAGEN_TYPE, start=datetime.date(2022, 1, 1),
                                budgets={2024: 2_000_000, 2025: 2_000_000})
    assert_totals_match()
    partner, other = build.member(programme), build.member(programme)
    grant = money.record_grant(platform, programme_id=programme.id, organisation_id=partner.id, year=2024,
                               amount_ore=200_000 * 100, actor="test")
    assert totals_of(programme.id, 2024) == (0, 200_000 * 100, 0)
    assert_totals_match()
    later = money.record_grant(platform, programme_id=programme.id, organisation_id=other.id, year=2025,
                               amount_ore=150_000 * 100, actor="test")
    assert totals_of(programme.id, 2025) == (0, 150_000 * 100, 0)
    money.set_budget(programme_id=programme.id, year=2024, amount_ore=3_000_000 * 100, actor="test")
    assert_totals_match()

    # requested and approved is not paid; paid is; cancelled before payment never was
    first = request_grant(people["requester"], grant, 50_000 * 100)
    second = request_grant(people["requester"], grant, 30_000 * 100)
    third = request_grant(people["requester"], grant, 20_000 * 100)
    assert totals_of(programme.id, 2024) == (0, 200_000 * 100, 0)
    for payment in (first, second, third):
        money.approve_payment(actor=people["approver"], payment_id=payment.id)
    assert_totals_match()
    money.mark_paid(actor=people["approver"], payment_id=first.id, paid_on=DAY, reference="BANK-1")
    assert totals_of(programme.id, 2024) == (0, 200_000 * 100, 50_000 * 100)
    assert_totals_match()
    money.cancel_payment(actor=people["approver"], payment_id=second.id, reason="twice")
    assert totals_of(programme.id, 2024) == (0, 200_000 * 100, 50_000 * 100)
    waiting = request_grant(people["requester"], grant, 10_000 * 100)
    money.cancel_payment(actor=people["requester"], payment_id=waiting.id)
    assert_totals_match()

    # a refused write changes nothing; a write that rolls back takes its totals with it
    with pytest.raises(RuleViolation):
        money.mark_paid(actor=people["approver"], payment_id=second.id, paid_on=DAY, reference="BANK-2")
    with pytest.raises(RuntimeError), database.atomic():
        money.mark_paid(actor=people["approver"], payment_id=third.id, paid_on=DAY, reference="BANK-3")
        assert totals_of(programme.id, 2024)[2] == 70_000 * 100  # seen inside the transaction
        raise RuntimeError("the caller's transaction fails later")
    assert totals_of(programme.id, 2024) == (0, 200_000 * 100, 50_000 * 100)
    assert_totals_match()

    # a withdrawn (soft-deleted) commitment leaves the committed figure; what was paid stays paid
    with database.atomic():
        Grant.get_by_id(grant.id).soft_delete()
    assert totals_of(programme.id, 2024) == (0, 0, 50_000 * 100)
    with database.atomic():
        Grant.get_by_id(later.id).soft_delete()
    assert totals_of(programme.id, 2025) == (0, 0, 0)
    assert_totals_match()
    # ... and one brought back counts again
    with database.atomic():
        restored = Grant.get_by_id(later.id)
        restored.deleted_at = None
        restored.save()
    assert totals_of(programme.id, 2025) == (0, 150_000 * 100, 0)
    assert_totals_match()


def test_fees_count_in_the_year_they_were_granted(platform, build, people):
    programme = build.programme(budgets={2024: 1_000_000, 2025: 1_000_000})
    first, second = build.member(programme), build.member(programme)
    fee = money.record_sign_on_fee(platform, programme_id=programme.id, organisation_id=first.id,
                                   amount_ore=30_000 * 100, granted_on=DAY, actor="test")
    money.record_sign_on_fee(platform, programme_id=programme.id, organisation_id=second.id,
                             amount_ore=20_000 * 100, granted_on=datetime.date(2025, 12, 31), actor="test")
    assert (totals_of(programme.id, 2024), totals_of(programme.id, 2025)) == (
        (30_000 * 100, 0, 0), (20_000 * 100, 0, 0))
    payment = request_fee(people["requester"], fee, 30_000 * 100)
    money.approve_payment(actor=people["approver"], payment_id=payment.id)
    money.mark_paid(actor=people["approver"], payment_id=payment.id, paid_on=DAY, reference="BANK-9")
    assert totals_of(programme.id, 2024) == (30_000 * 100, 0, 30_000 * 100)
    assert_totals_match()

    # a row changed by hand (a correction in the database) moves its share: amount and date
    SignOnFee.update(amount_ore=25_000 * 100, granted_on=datetime.date(2025, 1, 2)).where(
        SignOnFee.id == fee.id).execute()
    assert (totals_of(programme.id, 2024), totals_of(programme.id, 2025)) == (
        (0, 0, 30_000 * 100), (45_000 * 100, 0, 0))
    assert_totals_match()
    with database.atomic():
        SignOnFee.get_by_id(fee.id).soft_delete()
    assert totals_of(programme.id, 2025) == (20_000 * 100, 0, 0)
    # a hard delete of a paid payment (only an operator in the database could) takes its share too
    PaymentRequest.delete().where(PaymentRequest.id == payment.id).execute()
    assert totals_of(programme.id, 2024) == (0, 0, 0)
    assert_totals_match()


def test_concurrent_writers_keep_the_totals(platform, build, people):
    """Grants, payments and payouts from many threads at once on one programme: no increment is lost."""
    programme = build.programme(COPENHAGEN_TYPE, start=datetime.date(2022, 1, 1), budgets={2024: 1_000_000})
    members = [build.member(programme) for _ in range(8)]
    grants = race([lambda member=member: money.record_grant(
        platform, programme_id=programme.id, organisation_id=member.id, year=2024, amount_ore=200_000 * 100,
        actor="test") for member in members])
    made = [g for g in grants if isinstance(g, Grant)]
    assert len(made) == 5, grants  # 1,000,000 kr. holds five grants of 200,000
    assert totals_of(programme.id, 2024) == (0, 5 * 200_000 * 100, 0)
    payments = race([lambda grant=grant: request_grant(people["requester"], grant, 40_000 * 100)
                     for grant in made for _ in range(2)])
    assert all(isinstance(p, PaymentRequest) for p in payments), payments
    for payment in payments:
        money.approve_payment(actor=people["approver"], payment_id=payment.id)
    results = race([lambda payment=payment: money.mark_paid(actor=people["approver"], payment_id=payment.id,
                                                             paid_on=DAY, reference=f"BANK-{payment.id}")
                    for payment in payments[:6]]
                   + [lambda payment=payment: money.cancel_payment(actor=people["approver"], payment_id=payment.id)
                      for payment in payments[6:]])
    assert all(isinstance(r, PaymentRequest) for r in results), results
    assert totals_of(programme.id, 2024) == (0, 5 * 200_000 * 100, 6 * 40_000 * 100)
    assert_totals_match()


def test_the_migration_backfills_what_was_written_before_it(platform, build):
    programme = build.programme(COPENHAGEN_TYPE, start=datetime.date(2022, 1, 1), budgets={2024: 1_000_000})
    partner = build.member(programme)
    with database.atomic():
        migration.down(None, database.obj)
    try:
        # written while there is no table and no trigger: only the backfill can count it
        money.record_grant(platform, programme_id=programme.id, organisation_id=partner.id, year=2024,
                           amount_ore=123_456, actor="test")
    finally:
        with database.atomic():
            migration.up(None, database.obj)
    assert totals_of(programme.id, 2024) == (0, 123_456, 0)
    assert_totals_match()
    other = build.member(programme)  # the triggers are back: a new write counts
    money.record_grant(platform, programme_id=programme.id, organisation_id=other.id, year=2024,
                       amount_ore=100, actor="test")
    assert totals_of(programme.id, 2024) == (0, 123_556, 0)
    assert_totals_match()
