"""Commitments: sign-on fees, grants and budgets, each checked under the programme's lock.

A commitment is money promised to an organisation (a sign-on fee, a year's grant) within a
programme's budget for the year. Each write runs inside one transaction that first locks the
programme row (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's write transactions take the
database lock at ``BEGIN IMMEDIATE``), then re-reads what was already spent and checks:
the programme type's cap, the number of fees an organisation may get, that the organisation
is in the programme's network, the programme's period, and the year's budget. Two workers
recording at once therefore queue, and the second sees the first's row. The payments
(``core.rules.money.payments``) take the same lock.
"""
from __future__ import annotations

import datetime

from peewee import fn

from core.db import database, is_postgres
from core.i18n import Money
from core.models import audit
from core.models.changes import touch
from core.models.membership import Membership
from core.models.money import Grant, SignOnFee
from core.models.organisation import Organisation
from core.models.programme import Programme, ProgrammeBudget
from core.rules import checks
from core.rules.errors import Collector, Problem, RuleViolation


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


def lock_programme(programme_id: int) -> Programme:
    query = Programme.select().where(Programme.id == programme_id, Programme.deleted_at.is_null())
    if is_postgres():  # SQLite already holds the database's write lock (BEGIN IMMEDIATE)
        query = query.for_update()
    programme = query.first()
    if programme is None:
        raise RuleViolation.one("programme", "There is no programme %(value)s", value=programme_id)
    return programme


def programme_type_of(platform, programme: Programme):
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


def _earlier_network(programme: Programme, member: Membership) -> Programme | None:
    """Another programme of the same owner (the municipality itself, or the same volunteer
    centre) whose network the organisation was in before it joined this one, or None: the
    organisation is new to the owner's network. Memberships that ended count: it was there."""
    Other = Programme.alias("other")
    owner = (Other.owner_organisation.is_null() if programme.owner_organisation_id is None
             else Other.owner_organisation == programme.owner_organisation_id)
    query = (Membership.select().join(Other, on=(Membership.programme == Other.id))
             .where(Membership.organisation == member.organisation_id, Other.id != programme.id,
                    Other.municipality == programme.municipality_id, owner))
    if member.joined_on is not None:
        query = query.where(Membership.joined_on.is_null() | (Membership.joined_on < member.joined_on))
    found = query.order_by(Membership.joined_on).first()
    return Programme.get_by_id(found.programme_id) if found is not None else None


def _check_period(problems: Collector, programme: Programme, day: datetime.date, field: str) -> None:
    if day < programme.start_date or (programme.end_date and day > programme.end_date):
        problems.add(field, "%(date)s is outside the programme's period (%(start)s – %(end)s)",
                     date=day, start=programme.start_date,
                     end=programme.end_date if programme.end_date else "…")


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


# Who receives a sign-on fee: a local association joining the programme's network (the press release:
# "de lokale foreninger kan hver modtage op til 30.000 kr."), never whoever runs, funds or coordinates the
# programme, and not a local actor of another kind (a school, a business, a municipal unit, a national body).
SIGN_ON_FEE_RECIPIENT_KINDS = ("association",)


def sign_on_fee_refusal(programme: Programme, member: Membership):
    """Why ``member`` (its organisation loaded) cannot receive the programme's sign-on fee, or None.

    The one rule for both recording a fee and the form's choices (``sign_on_fee_recipients``)."""
    from core.i18n import Message
    organisation = member.organisation
    if (member.role == "coordinator" or organisation.id in (programme.owner_organisation_id, programme.funder_id)):
        return Message("%(organisation)s runs, funds or coordinates the programme and receives no sign-on fee "
                       "from it", organisation=organisation.name)
    if organisation.kind not in SIGN_ON_FEE_RECIPIENT_KINDS or organisation.municipality_id != programme.municipality_id:
        return Message("%(organisation)s is not a local association in the programme's municipality: only those "
                       "receive sign-on fees", organisation=organisation.name)
    return None


def sign_on_fee_recipients(platform, programme: Programme) -> list[Membership]:
    """The network members that may receive a sign-on fee now, by name: those the rule above lets
    through that have fewer fees than the programme type allows (two queries)."""
    allowed = programme_type_of(platform, programme).sign_on_fees_per_organisation
    had = dict(SignOnFee.select(SignOnFee.organisation, fn.COUNT(SignOnFee.id))
               .where(SignOnFee.programme == programme.id, SignOnFee.deleted_at.is_null())
               .group_by(SignOnFee.organisation).tuples())
    members = (Membership.select(Membership, Organisation).join(Organisation)
               .where(Membership.programme == programme.id, Membership.deleted_at.is_null(),
                      Organisation.deleted_at.is_null())
               .order_by(Organisation.name))
    return [member for member in members
            if sign_on_fee_refusal(programme, member) is None and had.get(member.organisation_id, 0) < allowed]


def record_sign_on_fee(platform, *, programme_id: int, organisation_id: int, amount_ore: int,
                       granted_on: datetime.date, actor: str, note: str = "") -> SignOnFee:
    """Record a sign-on fee if every rule allows it; otherwise raise and write nothing."""
    with database.atomic():
        programme = lock_programme(programme_id)
        programme_type = programme_type_of(platform, programme)
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
        refusal = sign_on_fee_refusal(programme, member) if member is not None else None
        if member is None:
            problems.add("organisation", "The organisation is not in this programme's network")
        elif refusal is not None:
            problems.problems.append(Problem("organisation", refusal))
        else:
            already = (SignOnFee.select().where(SignOnFee.programme == programme.id,
                                                SignOnFee.organisation == organisation_id,
                                                SignOnFee.deleted_at.is_null()).count())
            allowed = programme_type.sign_on_fees_per_organisation
            if already >= allowed:
                problems.add_plural("organisation",
                                    "%(organisation)s already has %(num)s sign-on fee in this programme; "
                                    "the programme type allows %(allowed)s",
                                    "%(organisation)s already has %(num)s sign-on fees in this programme; "
                                    "the programme type allows %(allowed)s",
                                    already, organisation=member.organisation.name, allowed=str(allowed))
            earlier = _earlier_network(programme, member) if programme_type.sign_on_fee_new_members_only else None
            if earlier is not None:
                problems.add("organisation", "%(organisation)s was in the network of %(programme)s before it joined "
                             "this one: the programme type gives sign-on fees to new network members only",
                             organisation=member.organisation.name, programme=earlier.name)
        _check_period(problems, programme, granted_on, "granted_on")
        if amount_ore > 0:
            _check_budget(problems, programme, granted_on.year, amount_ore, "amount")
        checks.run(platform, "sign_on_fee.record", programme=programme, organisation_id=organisation_id, actor=actor,
                   problems=problems, values={"amount_ore": amount_ore, "granted_on": granted_on})
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
        programme = lock_programme(programme_id)
        programme_type = programme_type_of(platform, programme)
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
        checks.run(platform, "grant.record", programme=programme, organisation_id=organisation_id, actor=actor,
                   problems=problems, values={"amount_ore": amount_ore, "year": year})
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
        programme = lock_programme(programme_id)
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
            touch(Programme, Programme.id == programme.id)  # a feed's programme carries its budgets
            audit.record(actor, "budget.set", budget, scope=f"programme:{programme.id}",
                         before={"amount_ore": before}, after={"amount_ore": amount_ore, "year": year})
        return budget
