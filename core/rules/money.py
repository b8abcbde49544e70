"""The money rules, in one place: sign-on fees and grants, caps and budgets.

Every amount is integer øre. Each write runs inside one transaction that first locks the
programme row (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's write transactions take the
database lock at ``BEGIN IMMEDIATE``), then re-reads what was already spent and checks:
the programme type's cap, the number of fees an organisation may get, that the organisation
is in the programme's network, the programme's period, and the year's budget. Two workers
recording at once therefore queue, and the second sees the first's row.
"""
from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, parse_decimal
from peewee import fn

from core.db import database, is_postgres
from core.i18n import Money, babel_locale
from core.models import audit
from core.models.membership import Membership
from core.models.money import Grant, SignOnFee
from core.models.organisation import Organisation
from core.models.programme import Programme, ProgrammeBudget
from core.rules.errors import Collector, RuleViolation

MAX_AMOUNT_ORE = 10**13  # 100 billion kroner: beyond any programme, below 64-bit limits
_PLAIN_AMOUNT = re.compile(r"^\d+(?:[.,]\d{1,2})?$")


def parse_amount(text: str | int | None, field: str = "amount") -> int:
    """Kroner as typed by a person ('30.000', '30000,50', '30 000 kr.') -> øre.

    Refuses what is not a positive amount with at most two decimals, naming the field.
    """
    raw = "" if text is None else str(text).strip()
    cleaned = re.sub(r"(?i)\s*(kr\.?|dkk)\s*", "", raw).replace("\u00a0", "").replace(" ", "")
    if not cleaned:
        raise RuleViolation.one(field, "Enter an amount in kroner")
    if cleaned.startswith("-"):
        raise RuleViolation.one(field, "The amount must be positive, not %(value)s", value=raw)
    if not re.fullmatch(r"\+?[0-9.,]+", cleaned):  # no exponents (1e5), underscores or non-ASCII digits
        raise RuleViolation.one(field, "'%(value)s' is not an amount in kroner", value=raw)
    value: Decimal | None = None
    if _PLAIN_AMOUNT.match(cleaned) and cleaned.count(".") + cleaned.count(",") <= 1 \
            and not re.match(r"^\d{1,3}[.,]\d{3}$", cleaned):
        value = Decimal(cleaned.replace(",", "."))
    else:
        try:
            value = parse_decimal(cleaned, locale=babel_locale(), strict=True)
        except (NumberFormatError, InvalidOperation, ValueError):
            value = None
    if value is None or not value.is_finite():
        raise RuleViolation.one(field, "'%(value)s' is not an amount in kroner", value=raw)
    ore = value * 100
    if ore != ore.to_integral_value():
        raise RuleViolation.one(field, "An amount can have at most two decimals (øre): %(value)s", value=raw)
    ore_int = int(ore)
    if ore_int <= 0:
        raise RuleViolation.one(field, "The amount must be positive, not %(value)s", value=raw)
    if ore_int > MAX_AMOUNT_ORE:
        raise RuleViolation.one(field, "The amount %(value)s is too large", value=raw)
    return ore_int


def _year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def spent_in_year(programme_id: int, year: int) -> int:
    """Øre committed in a calendar year: sign-on fees granted that year plus the year's grants."""
    first, last = _year_bounds(year)
    fees = (SignOnFee.select(fn.COALESCE(fn.SUM(SignOnFee.amount_ore), 0))
            .where(SignOnFee.programme == programme_id, SignOnFee.deleted_at.is_null(),
                   SignOnFee.granted_on.between(first, last)).scalar())
    grants = (Grant.select(fn.COALESCE(fn.SUM(Grant.amount_ore), 0))
              .where(Grant.programme == programme_id, Grant.deleted_at.is_null(),
                     Grant.year == year).scalar())
    return int(fees or 0) + int(grants or 0)


def _lock_programme(programme_id: int) -> Programme:
    query = Programme.select().where(Programme.id == programme_id, Programme.deleted_at.is_null())
    if is_postgres():  # SQLite already holds the database's write lock (BEGIN IMMEDIATE)
        query = query.for_update()
    programme = query.first()
    if programme is None:
        raise RuleViolation.one("programme", "There is no programme %(value)s", value=programme_id)
    return programme


def _programme_type(platform, programme: Programme):
    programme_type = platform.programme_types.get(programme.programme_type)
    if programme_type is None:
        raise RuleViolation.one(
            "programme", "The programme's type '%(value)s' is not available: is its plugin enabled?",
            value=programme.programme_type)
    return programme_type


def _live_member(programme: Programme, organisation_id: int) -> Membership | None:
    return (Membership.select(Membership, Organisation).join(Organisation)
            .where(Membership.programme == programme.id, Membership.organisation == organisation_id,
                   Membership.deleted_at.is_null(), Organisation.deleted_at.is_null())
            .first())


def _check_period(problems: Collector, programme: Programme, day: datetime.date, field: str) -> None:
    if day < programme.start_date or (programme.end_date and day > programme.end_date):
        problems.add(field, "%(date)s is outside the programme's period (%(start)s – %(end)s)",
                     date=day.isoformat(), start=programme.start_date.isoformat(),
                     end=programme.end_date.isoformat() if programme.end_date else "…")


def _check_budget(problems: Collector, programme: Programme, year: int, amount_ore: int, field: str) -> None:
    budget = (ProgrammeBudget.select().where(ProgrammeBudget.programme == programme.id,
                                             ProgrammeBudget.year == year).first())
    if budget is None:
        problems.add(field, "The programme has no budget for %(year)s", year=str(year))
        return
    left = budget.amount_ore - spent_in_year(programme.id, year)
    if amount_ore > left:
        problems.add(field, "%(amount)s is more than what is left of the budget for %(year)s: %(left)s",
                     amount=Money(amount_ore), year=str(year), left=Money(max(left, 0)))


def record_sign_on_fee(platform, *, programme_id: int, organisation_id: int, amount_ore: int,
                       granted_on: datetime.date, actor: str, note: str = "") -> SignOnFee:
    """Record a sign-on fee if every rule allows it; otherwise raise and write nothing."""
    with database.atomic():
        programme = _lock_programme(programme_id)
        programme_type = _programme_type(platform, programme)
        problems = Collector()
        if not programme_type.allows_sign_on_fees:
            raise RuleViolation.one("programme", "The programme type %(type)s has no sign-on fees",
                                    type=programme_type.name)
        if amount_ore <= 0:
            problems.add("amount", "The amount must be positive, not %(value)s", value=Money(amount_ore))
        elif amount_ore > programme_type.sign_on_fee_cap_ore:
            problems.add("amount", "%(amount)s is above the sign-on fee cap of %(cap)s",
                         amount=Money(amount_ore), cap=Money(programme_type.sign_on_fee_cap_ore))
        member = _live_member(programme, organisation_id)
        if member is None:
            problems.add("organisation", "The organisation is not in this programme's network")
        else:
            already = (SignOnFee.select().where(SignOnFee.programme == programme.id,
                                                SignOnFee.organisation == organisation_id,
                                                SignOnFee.deleted_at.is_null()).count())
            allowed = programme_type.sign_on_fees_per_organisation
            if already >= allowed:
                problems.add("organisation", "%(organisation)s already has %(count)s sign-on fee(s) "
                             "in this programme; the programme type allows %(allowed)s",
                             organisation=member.organisation.name, count=str(already), allowed=str(allowed))
        _check_period(problems, programme, granted_on, "granted_on")
        if amount_ore > 0:
            _check_budget(problems, programme, granted_on.year, amount_ore, "amount")
        problems.raise_if_any()
        fee = SignOnFee(programme=programme.id, organisation=organisation_id, amount_ore=amount_ore,
                        granted_on=granted_on, note=note.strip()[:500])
        fee.save()
        audit.record(actor, "sign_on_fee.create", fee, scope=f"programme:{programme.id}",
                     after={"programme": programme.id, "organisation": organisation_id,
                            "amount_ore": amount_ore, "granted_on": granted_on.isoformat()})
        return fee


def record_grant(platform, *, programme_id: int, organisation_id: int, year: int, amount_ore: int,
                 actor: str, purpose: str = "") -> Grant:
    """Record an organisation's grant for a year, within the type's per-partner amount and the budget."""
    with database.atomic():
        programme = _lock_programme(programme_id)
        programme_type = _programme_type(platform, programme)
        problems = Collector()
        cap = programme_type.grant_per_partner_per_year_ore
        if amount_ore <= 0:
            problems.add("amount", "The amount must be positive, not %(value)s", value=Money(amount_ore))
        elif cap is not None and amount_ore > cap:
            problems.add("amount", "%(amount)s is above the programme type's grant of %(cap)s per partner a year",
                         amount=Money(amount_ore), cap=Money(cap))
        member = _live_member(programme, organisation_id)
        if member is None or member.role != "partner":
            problems.add("organisation", "Only partners in this programme's network receive grants")
        elif Grant.select().where(Grant.programme == programme.id, Grant.organisation == organisation_id,
                                  Grant.year == year, Grant.deleted_at.is_null()).exists():
            problems.add("year", "%(organisation)s already has a grant for %(year)s",
                         organisation=member.organisation.name, year=str(year))
        first, last = _year_bounds(year)
        if last < programme.start_date or (programme.end_date and first > programme.end_date):
            problems.add("year", "%(year)s is outside the programme's period", year=str(year))
        if amount_ore > 0:
            _check_budget(problems, programme, year, amount_ore, "amount")
        problems.raise_if_any()
        grant = Grant(programme=programme.id, organisation=organisation_id, year=year,
                      amount_ore=amount_ore, purpose=purpose.strip()[:500])
        grant.save()
        audit.record(actor, "grant.create", grant, scope=f"programme:{programme.id}",
                     after={"programme": programme.id, "organisation": organisation_id,
                            "year": year, "amount_ore": amount_ore})
        return grant


def set_budget(*, programme_id: int, year: int, amount_ore: int, actor: str) -> ProgrammeBudget:
    """Set a programme's budget for a year; never below what is already committed that year."""
    if amount_ore < 0:
        raise RuleViolation.one("amount", "The amount must be positive, not %(value)s", value=Money(amount_ore))
    with database.atomic():
        programme = _lock_programme(programme_id)
        committed = spent_in_year(programme.id, year)
        if amount_ore < committed:
            raise RuleViolation.one("amount", "The budget cannot be below the %(committed)s already committed in %(year)s",
                                    committed=Money(committed), year=str(year))
        budget = ProgrammeBudget.get_or_none(programme=programme.id, year=year)
        before = budget.amount_ore if budget else None
        if budget is None:
            budget = ProgrammeBudget.create(programme=programme.id, year=year, amount_ore=amount_ore)
        elif budget.amount_ore != amount_ore:
            budget.amount_ore = amount_ore
            budget.save()
        if before != amount_ore:
            audit.record(actor, "budget.set", budget, scope=f"programme:{programme.id}",
                         before={"amount_ore": before}, after={"amount_ore": amount_ore, "year": year})
        return budget


def money_overview(programme_ids: list[int]) -> dict[int, dict[int, dict[str, int]]]:
    """Budget, fees, grants, used and left per programme and year, in three queries whatever the data."""
    overview: dict[int, dict[int, dict[str, int]]] = {pid: {} for pid in programme_ids}
    if not programme_ids:
        return overview

    def row(pid: int, year: int) -> dict[str, int]:
        return overview[pid].setdefault(year, {"budget": 0, "fees": 0, "grants": 0})

    for budget in ProgrammeBudget.select().where(ProgrammeBudget.programme.in_(programme_ids)):
        row(budget.programme_id, budget.year)["budget"] = budget.amount_ore
    fee_year = SignOnFee.granted_on.year
    for pid, year, total in (SignOnFee.select(SignOnFee.programme, fee_year, fn.SUM(SignOnFee.amount_ore))
                             .where(SignOnFee.programme.in_(programme_ids), SignOnFee.deleted_at.is_null())
                             .group_by(SignOnFee.programme, fee_year).tuples()):
        row(pid, int(year))["fees"] = int(total)
    for pid, year, total in (Grant.select(Grant.programme, Grant.year, fn.SUM(Grant.amount_ore))
                             .where(Grant.programme.in_(programme_ids), Grant.deleted_at.is_null())
                             .group_by(Grant.programme, Grant.year).tuples()):
        row(pid, int(year))["grants"] = int(total)
    for years in overview.values():
        for figures in years.values():
            figures["used"] = figures["fees"] + figures["grants"]
            figures["left"] = figures["budget"] - figures["used"]
    return {pid: dict(sorted(years.items())) for pid, years in overview.items()}


__all__ = ["parse_amount", "record_sign_on_fee", "record_grant", "set_budget", "spent_in_year",
           "money_overview"]
