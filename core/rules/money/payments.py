"""Payments: commitments become payment requests, and no single person moves money.

A sign-on fee or a year's grant is a commitment; money leaves through payment requests:
created → approved (by a second person) → paid, or cancelled before it is paid. A request is
never above what is left of its commitment (the fee's amount, the grant's amount for the year)
after the requests already made and not cancelled, and the commitment itself was checked
against the type's caps and the year's budget, so payments never exceed either. Each write
runs in the programme-locking transaction (``commitments.lock_programme``); the form's
idempotency key (a hidden field made when the form was shown) makes a double click, a retry or
two workers create one row.

Four eyes: the requester neither approves nor marks paid, and neither does anyone whose
approving role the requester granted or confirmed (directly or through others:
``core.auth.role_grants.holds_independently``), so a second account a person made for
themselves is no second person.
"""
from __future__ import annotations

import datetime
import re

from peewee import JOIN, IntegrityError, fn

from core import clock, events
from core.db import database
from core.i18n import Money
from core.labels import Label, payment_status
from core.models import audit
from core.models.account import Account
from core.models.money import Grant, SignOnFee
from core.models.organisation import Organisation
from core.models.payment import OPEN_STATUSES, PaymentRequest
from core.models.programme import Programme
from core.rules import checks
from core.rules.errors import Collector, RuleViolation
from core.rules.money.commitments import lock_programme
from core.scope import scope_of

Creator = Account.alias("creator")
Approver = Account.alias("approver")

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
            programme = lock_programme(commitment.programme_id)
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
    programme = lock_programme(found.programme_id)
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
        payment.approved_at = clock.now()
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
        payment.updated_at = clock.now()
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
        payment.updated_at = clock.now()
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
