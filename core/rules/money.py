"""The money rules, in one place: sign-on fees and grants, caps and budgets.

Every amount is integer øre. Each write runs inside one transaction that first locks the
programme row (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's write transactions take the
database lock at ``BEGIN IMMEDIATE``), then re-reads what was already spent and checks:
the programme type's cap, the number of fees an organisation may get, that the organisation
is in the programme's network, the programme's period, and the year's budget. Two workers
recording at once therefore queue, and the second sees the first's row.

Payments (below): a fee or a year's grant is paid out through payment requests — created,
approved by a second person, paid with a date and reference, or cancelled — never above what
is left of the commitment; the form's idempotency key makes repeated submissions one row.
No single person moves money from request to paid: the requester neither approves nor marks
paid, and neither does anyone whose approving role the requester granted or confirmed
(directly or through others: ``core.auth.role_grants.holds_independently``), so a second
account a person made for themselves is no second person.
Budgets: ``budget_overview`` (per programme and year: budget, committed, paid, left) and
``funder_overview`` (per funder across its programmes).
"""
from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, parse_decimal
from peewee import JOIN, IntegrityError, fn

from core import events
from core.db import database, is_postgres
from core.i18n import Money, babel_locale
from core.labels import Label, payment_status
from core.models import audit
from core.models.changes import touch
from core.models.account import Account, utcnow
from core.models.membership import Membership
from core.models.money import Grant, SignOnFee
from core.models.organisation import Organisation
from core.models.payment import OPEN_STATUSES, PaymentRequest
from core.models.programme import Programme, ProgrammeBudget
from core.rules import checks
from core.rules.errors import Collector, Problem, RuleViolation
from core.scope import scope_of

Creator = Account.alias("creator")
Approver = Account.alias("approver")
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
    allowed = _programme_type(platform, programme).sign_on_fees_per_organisation
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
            touch(Programme, Programme.id == programme.id)  # a feed's programme carries its budgets
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


# --- payments: commitments become payment requests ------------------------------------------
#
# A sign-on fee or a year's grant is a commitment; money leaves through payment requests:
# created → approved (by a second person) → paid, or cancelled before it is paid. A request is
# never above what is left of its commitment (the fee's amount, the grant's amount for the year)
# after the requests already made and not cancelled, and the commitment itself was checked
# against the type's caps and the year's budget, so payments never exceed either. Each write
# runs in the programme-locking transaction; the form's idempotency key (a hidden field made
# when the form was shown) makes a double click, a retry or two workers create one row.

IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{16,100}$")
REFERENCE_MAX = 100


def new_idempotency_key() -> str:
    """A fresh key for a payment form (put it in a hidden field when the form is shown)."""
    import secrets
    return secrets.token_urlsafe(24)


def _account_id(actor) -> int:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise RuleViolation.one("permission", "Log in to work with payments")
    return actor.account.id


def _require(actor, action: str, resource, msgid: str) -> None:
    from core import authz
    if not authz.can(actor, action, resource):
        raise RuleViolation.one("permission", msgid)


def _payment_after(payment: PaymentRequest) -> dict:
    return {"status": payment.status, "amount_ore": payment.amount_ore, "kind": payment.kind,
            "programme": payment.programme_id, "organisation": payment.organisation_id,
            "sign_on_fee": payment.sign_on_fee_id, "grant": payment.grant_id,
            "budget_year": payment.budget_year, "approved_by": payment.approved_by_id,
            "paid_on": payment.paid_on.isoformat() if payment.paid_on else None,
            "reference": payment.reference}


def requested_against(*, sign_on_fee_id: int | None = None, grant_id: int | None = None,
                      exclude_id: int | None = None) -> int:
    """Øre already requested (and not cancelled) against a fee or a grant."""
    query = PaymentRequest.select(fn.COALESCE(fn.SUM(PaymentRequest.amount_ore), 0)).where(
        PaymentRequest.status.in_(OPEN_STATUSES))
    if sign_on_fee_id is not None:
        query = query.where(PaymentRequest.sign_on_fee == sign_on_fee_id)
    else:
        query = query.where(PaymentRequest.grant == grant_id)
    if exclude_id is not None:
        query = query.where(PaymentRequest.id != exclude_id)
    return int(query.scalar() or 0)


def _commitment(kind: str, sign_on_fee_id, grant_id):
    """The fee or grant a payment pays out, or a problem naming the field."""
    if kind == "sign_on_fee":
        try:
            fee_id = int(sign_on_fee_id)
        except (TypeError, ValueError):
            raise RuleViolation.one("sign_on_fee", "Choose the sign-on fee to pay") from None
        fee = SignOnFee.select().where(SignOnFee.id == fee_id, SignOnFee.deleted_at.is_null()).first()
        if fee is None:
            raise RuleViolation.one("sign_on_fee", "There is no sign-on fee %(value)s", value=str(sign_on_fee_id))
        return fee
    if kind == "grant_instalment":
        try:
            gid = int(grant_id)
        except (TypeError, ValueError):
            raise RuleViolation.one("grant", "Choose the grant to pay an instalment of") from None
        grant = Grant.select().where(Grant.id == gid, Grant.deleted_at.is_null()).first()
        if grant is None:
            raise RuleViolation.one("grant", "There is no grant %(value)s", value=str(grant_id))
        return grant
    raise RuleViolation.one("kind", "'%(value)s' is not a kind of payment", value=str(kind)[:40])


def _by_key(key: str) -> PaymentRequest | None:
    return PaymentRequest.get_or_none(PaymentRequest.idempotency_key == key)


def _same_request(existing: PaymentRequest, kind: str, commitment) -> PaymentRequest:
    """The row an earlier submission of the same form made; a key reused for another payment is refused."""
    target = existing.sign_on_fee_id if kind == "sign_on_fee" else existing.grant_id
    if existing.kind != kind or target != commitment.id:
        raise RuleViolation.one("idempotency_key", "This form was already used for another payment: "
                                "open the form again")
    existing.was_created = False
    return existing


def request_payment(*, actor, kind: str, amount_ore: int, idempotency_key: str,
                    sign_on_fee_id: int | None = None, grant_id: int | None = None,
                    note: str = "") -> PaymentRequest:
    """Create a payment request for a fee or a grant instalment, once per idempotency key.

    Returns the new row (``was_created`` True), or the row an earlier submission with the same
    key made (``was_created`` False). Refuses, writing nothing, an amount above what is left of
    the commitment, a cancelled or missing commitment, or an actor without ``payment.request``.
    """
    account_id = _account_id(actor)
    key = (idempotency_key or "").strip()
    if not IDEMPOTENCY_KEY.match(key):
        raise RuleViolation.one("idempotency_key", "The form is missing its one-time key: open the form again")
    commitment = _commitment(kind, sign_on_fee_id, grant_id)
    existing = _by_key(key)
    if existing is not None:
        return _same_request(existing, kind, commitment)
    try:
        with database.atomic():
            programme = _lock_programme(commitment.programme_id)
            # the key again, now that writers for this programme queue behind the lock
            existing = _by_key(key)
            if existing is not None:
                return _same_request(existing, kind, commitment)
            commitment = type(commitment).get_by_id(commitment.id)
            if commitment.deleted_at is not None:
                raise RuleViolation.one(kind if kind == "sign_on_fee" else "grant",
                                        "The commitment was withdrawn")
            _require(actor, "payment.request", scope_of(programme),
                     "You may not request payments in this programme")
            problems = Collector()
            if kind == "sign_on_fee":
                already = requested_against(sign_on_fee_id=commitment.id)
                budget_year = commitment.granted_on.year
            else:
                already = requested_against(grant_id=commitment.id)
                budget_year = commitment.year
            left = commitment.amount_ore - already
            if amount_ore <= 0:
                problems.add("amount", "The amount must be positive, not %(value)s", value=Money(amount_ore))
            elif amount_ore > left:
                if kind == "sign_on_fee":
                    problems.add("amount", "%(amount)s is more than what is left of the sign-on fee: %(left)s "
                                 "of %(total)s", amount=Money(amount_ore), left=Money(max(left, 0)),
                                 total=Money(commitment.amount_ore))
                else:
                    problems.add("amount", "%(amount)s is more than what is left of the grant for %(year)s: "
                                 "%(left)s of %(total)s", amount=Money(amount_ore), year=str(budget_year),
                                 left=Money(max(left, 0)), total=Money(commitment.amount_ore))
            checks.run(None, "payment.request", programme=programme, organisation_id=commitment.organisation_id,
                       actor=actor, problems=problems, values={"kind": kind, "amount_ore": amount_ore}, row=commitment)
            problems.raise_if_any()
            payment = PaymentRequest.create(
                programme=programme.id, organisation=commitment.organisation_id, kind=kind,
                sign_on_fee=commitment.id if kind == "sign_on_fee" else None,
                grant=commitment.id if kind == "grant_instalment" else None,
                budget_year=budget_year, amount_ore=amount_ore, note=(note or "").strip()[:500],
                created_by=account_id, idempotency_key=key)
            audit.record(actor.label, "payment.request", payment, scope=f"programme:{programme.id}",
                         after=_payment_after(payment))
            events.emit("payment.requested", payment, actor.label, programme=programme.id,
                        organisation=payment.organisation_id, kind=kind, amount_ore=amount_ore)
    except IntegrityError:
        # two workers passed the check at once (a backend that does not queue them): the
        # unique key let one row in; the other answers with it
        existing = _by_key(key)
        if existing is None:
            raise
        return _same_request(existing, kind, commitment)
    payment.was_created = True
    return payment


def _locked_payment(payment_id) -> tuple[PaymentRequest, Programme]:
    try:
        pid = int(payment_id)
    except (TypeError, ValueError):
        raise RuleViolation.one("payment", "There is no payment %(value)s", value=str(payment_id)[:40]) from None
    found = PaymentRequest.get_or_none(PaymentRequest.id == pid)
    if found is None:
        raise RuleViolation.one("payment", "There is no payment %(value)s", value=str(pid))
    programme = _lock_programme(found.programme_id)
    return PaymentRequest.get_by_id(pid), programme  # re-read under the lock


def independent_of_requester(actor, payment: PaymentRequest, programme: Programme) -> bool:
    """May the actor approve (or mark paid) this payment as the second person: someone with
    ``payment.approve`` over the programme who is not its requester, through a grant the
    requester did not issue or confirm, directly or through others?"""
    from core.auth import role_grants
    return role_grants.holds_independently(actor, "payment.approve", scope_of(programme),
                                           payment.created_by_id)


def _require_second_person(actor, payment: PaymentRequest, programme: Programme, verb: str) -> None:
    if payment.created_by_id == actor.account.id:
        if verb == "approve":
            raise RuleViolation.one("approved_by", "A second person must approve a payment: "
                                    "you requested this one yourself")
        raise RuleViolation.one("approved_by", "A second person must record a payment as paid: "
                                "you requested this one yourself")
    if not independent_of_requester(actor, payment, programme):
        raise RuleViolation.one("approved_by", "A second person must approve a payment: your role to approve "
                                "it was granted or confirmed by the person who requested it")


def _status_problem(payment: PaymentRequest, wanted: tuple[str, ...], msgid: str) -> None:
    if payment.status not in wanted:
        raise RuleViolation.one("status", msgid, status=Label(payment_status, payment.status))


def approve_payment(*, actor, payment_id: int) -> PaymentRequest:
    """Approve a created payment: a second person with ``payment.approve``, never its creator."""
    account_id = _account_id(actor)
    with database.atomic():
        payment, programme = _locked_payment(payment_id)
        _require(actor, "payment.approve", scope_of(programme),
                 "You may not approve payments in this programme")
        _status_problem(payment, ("created",), "Only a payment waiting for approval can be approved; "
                        "its status is: %(status)s")
        _require_second_person(actor, payment, programme, "approve")
        problems = Collector()
        checks.run(None, "payment.approve", programme=programme, organisation_id=payment.organisation_id, actor=actor,
                   problems=problems, values={"amount_ore": payment.amount_ore}, row=payment)
        problems.raise_if_any()
        before = _payment_after(payment)
        payment.status = "approved"
        payment.approved_by = account_id
        payment.approved_at = utcnow()
        payment.updated_at = payment.approved_at
        payment.save()
        audit.record(actor.label, "payment.approve", payment, scope=f"programme:{programme.id}",
                     before=before, after=_payment_after(payment))
        events.emit("payment.approved", payment, actor.label, programme=programme.id,
                    organisation=payment.organisation_id, amount_ore=payment.amount_ore)
        return payment


def mark_paid(*, actor, payment_id: int, paid_on: datetime.date, reference: str) -> PaymentRequest:
    """Record that an approved payment left the account: the date and the bank or ledger reference."""
    _account_id(actor)
    reference = (reference or "").strip()
    problems = Collector()
    if not reference:
        problems.add("reference", "Enter the payment's reference (from the bank or the ledger)")
    elif len(reference) > REFERENCE_MAX:
        problems.add("reference", "The reference can be at most %(max)s characters", max=str(REFERENCE_MAX))
    if not isinstance(paid_on, datetime.date):
        problems.add("paid_on", "Enter the date it was paid (YYYY-MM-DD)")
    elif paid_on > datetime.date.today():
        problems.add("paid_on", "%(date)s is in the future: record a payment when it is paid",
                     date=paid_on)
    with database.atomic():
        payment, programme = _locked_payment(payment_id)
        _require(actor, "payment.approve", scope_of(programme),
                 "You may not record payments as paid in this programme")
        _status_problem(payment, ("approved",), "Only an approved payment can be marked as paid; "
                        "its status is: %(status)s")
        _require_second_person(actor, payment, programme, "paid")
        if not problems.problems:  # the plugins are asked about a date and a reference that make sense
            checks.run(None, "payment.paid", programme=programme, organisation_id=payment.organisation_id,
                       actor=actor, problems=problems, values={"amount_ore": payment.amount_ore, "paid_on": paid_on,
                                                               "reference": reference}, row=payment)
        problems.raise_if_any()
        before = _payment_after(payment)
        payment.status = "paid"
        payment.paid_on = paid_on
        payment.reference = reference
        payment.updated_at = utcnow()
        payment.save()
        audit.record(actor.label, "payment.paid", payment, scope=f"programme:{programme.id}",
                     before=before, after=_payment_after(payment))
        events.emit("payment.paid", payment, actor.label, programme=programme.id, organisation=payment.organisation_id,
                    amount_ore=payment.amount_ore, paid_on=paid_on.isoformat(), reference=reference)
        return payment


def cancel_payment(*, actor, payment_id: int, reason: str = "") -> PaymentRequest:
    """Cancel a payment that is not paid: its creator while it waits, or an approver."""
    account_id = _account_id(actor)
    reason = (reason or "").strip()[:500]
    from core import authz
    with database.atomic():
        payment, programme = _locked_payment(payment_id)
        scope = scope_of(programme)
        own_waiting = (payment.created_by_id == account_id and payment.status == "created"
                       and authz.can(actor, "payment.request", scope))
        if not own_waiting:
            _require(actor, "payment.approve", scope, "You may not cancel payments in this programme")
        _status_problem(payment, ("created", "approved"), "Only a payment that is not paid can be "
                        "cancelled; its status is: %(status)s")
        before = _payment_after(payment)
        payment.status = "cancelled"
        payment.cancelled_by = account_id
        payment.cancel_reason = reason
        payment.updated_at = utcnow()
        payment.save()
        audit.record(actor.label, "payment.cancel", payment, scope=f"programme:{programme.id}",
                     before=before, after={**_payment_after(payment), "reason": reason})
        events.emit("payment.cancelled", payment, actor.label, programme=programme.id,
                    organisation=payment.organisation_id, amount_ore=payment.amount_ore, reason=reason)
        return payment


def payments_query():
    """Payment requests with programme, organisation and the people involved, in one query."""
    return (PaymentRequest.select(PaymentRequest, Programme, Organisation, Creator, Approver)
            .join_from(PaymentRequest, Programme)
            .join_from(PaymentRequest, Organisation)
            .join_from(PaymentRequest, Creator, on=(PaymentRequest.created_by == Creator.id))
            .join_from(PaymentRequest, Approver, JOIN.LEFT_OUTER, on=(PaymentRequest.approved_by == Approver.id)))


def payments_waiting(actor, limit: int | None = None) -> list[PaymentRequest]:
    """Payments waiting for this person's approval: created, in programmes where they hold
    ``payment.approve``, and not requested by themselves nor by anyone their approving grant
    came from (a second person approves). For to-do lists; programme, organisation and
    requester are loaded in the same query; the grant chains are read once per list."""
    from core import tenancy
    from core.auth import role_grants
    if not getattr(actor, "is_authenticated", False):
        return []
    query = tenancy.scoped(payments_query(), PaymentRequest, actor, "payment.approve").where(
        PaymentRequest.status == "created", PaymentRequest.created_by != actor.account.id)
    query = query.order_by(PaymentRequest.created_at, PaymentRequest.id)
    rows = list(query.limit(limit * 2) if limit else query)
    upstream = role_grants.approving_upstreams(actor, "payment.approve")
    mine = [row for row in rows
            if any(grant.covers(scope_of(row.programme)) and row.created_by_id not in above
                   for grant, above in upstream)]
    return mine[:limit] if limit else mine


def paid_by_programme_year(programme_ids: list[int]) -> dict[int, dict[int, int]]:
    """Øre paid per programme and budget year, in one query."""
    paid: dict[int, dict[int, int]] = {pid: {} for pid in programme_ids}
    if not programme_ids:
        return paid
    for pid, year, total in (PaymentRequest.select(PaymentRequest.programme, PaymentRequest.budget_year,
                                                   fn.SUM(PaymentRequest.amount_ore))
                             .where(PaymentRequest.programme.in_(programme_ids), PaymentRequest.status == "paid")
                             .group_by(PaymentRequest.programme, PaymentRequest.budget_year).tuples()):
        paid[pid][int(year)] = int(total)
    return paid


def budget_overview(programme_ids: list[int]) -> dict[int, dict[int, dict[str, int]]]:
    """Per programme and year: budget, committed (fees + grants), paid, left (budget − committed).
    Four queries whatever the data."""
    overview = money_overview(programme_ids)
    paid = paid_by_programme_year(programme_ids)
    result: dict[int, dict[int, dict[str, int]]] = {}
    for pid, years in overview.items():
        rows = {}
        for year in sorted(set(years) | set(paid.get(pid, {}))):
            figures = years.get(year, {"budget": 0, "fees": 0, "grants": 0, "used": 0, "left": 0})
            rows[year] = {"budget": figures["budget"], "fees": figures["fees"], "grants": figures["grants"],
                          "committed": figures["used"], "paid": paid.get(pid, {}).get(year, 0),
                          "left": figures["budget"] - figures["used"]}
        result[pid] = rows
    return result


def funder_overview(programmes) -> list[dict]:
    """Per funder across its programmes (e.g. a national funder of two volunteer centres' partnerships):
    the programmes, and per year the summed budget, committed, paid and left, plus totals.
    ``programmes`` are rows with ``funder`` loaded; those without a funder are left out."""
    by_funder: dict[int, dict] = {}
    with_funder = [p for p in programmes if p.funder_id]
    overview = budget_overview([p.id for p in with_funder])
    for programme in with_funder:
        entry = by_funder.setdefault(programme.funder_id, {"funder": programme.funder, "programmes": [],
                                                           "years": {}})
        entry["programmes"].append(programme)
        for year, figures in overview[programme.id].items():
            row = entry["years"].setdefault(year, {"budget": 0, "committed": 0, "paid": 0, "left": 0})
            for key in row:
                row[key] += figures[key]
    result = []
    for entry in by_funder.values():
        entry["years"] = dict(sorted(entry["years"].items()))
        entry["total"] = {key: sum(row[key] for row in entry["years"].values())
                          for key in ("budget", "committed", "paid", "left")}
        result.append(entry)
    return sorted(result, key=lambda e: e["funder"].name)


__all__ = ["parse_amount", "record_sign_on_fee", "record_grant", "set_budget", "spent_in_year",
           "money_overview", "request_payment", "approve_payment", "mark_paid", "cancel_payment",
           "payments_waiting", "budget_overview", "funder_overview", "new_idempotency_key"]
