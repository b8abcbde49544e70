"""Demo payments: waiting, approved and paid payment requests, made through the money rules by
the demo accounts, idempotent (each payment has a fixed idempotency key, and each step runs
only when the payment is still before it). Plugins call ``PaymentDemo`` from their
``load_demo_data`` with their programme's people; the core knows no municipality.
"""
from __future__ import annotations

import datetime
import hashlib

from core.models.account import Account
from core.models.money import Grant, SignOnFee
from core.models.organisation import Organisation
from core.models.payment import PaymentRequest
from core.models.programme import Programme
from core.rules import money


def _key(*parts) -> str:
    return "demo-" + hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:40]


class PaymentDemo:
    def __init__(self, demo, programme: Programme, requester_email: str, approver_email: str):
        from core import demo as demo_module  # the package: its accounts
        from core.auth.web import actor_for
        demo_module.load_accounts(demo.platform)  # the platform administrator approves where no one else can
        self.demo = demo
        self.programme = programme
        self.requester = actor_for(demo.platform, Account.get(Account.email == requester_email))
        self.approver = actor_for(demo.platform, Account.get(Account.email == approver_email))

    def fee(self, organisation: Organisation, amount_kroner: int, granted_on: datetime.date) -> SignOnFee:
        self.demo.sign_on_fee(self.programme, organisation, amount_kroner, granted_on,
                              note="Tilslutningshonorar (demodata)")
        return SignOnFee.get(SignOnFee.programme == self.programme.id, SignOnFee.organisation == organisation.id,
                             SignOnFee.deleted_at.is_null())

    def grant(self, organisation: Organisation, year: int) -> Grant | None:
        return Grant.get_or_none(Grant.programme == self.programme.id, Grant.organisation == organisation.id,
                                 Grant.year == year, Grant.deleted_at.is_null())

    def payment(self, commitment, amount_kroner: int, status: str, *, number: int = 1,
                paid_on: datetime.date | None = None, reference: str = "") -> PaymentRequest:
        """A payment of a fee or grant brought to ``status`` ('created', 'approved' or 'paid')."""
        kind = "sign_on_fee" if isinstance(commitment, SignOnFee) else "grant_instalment"
        key = _key(self.programme.slug, kind, commitment.id, number)
        payment = money.request_payment(
            actor=self.requester, kind=kind, amount_ore=amount_kroner * 100, idempotency_key=key,
            sign_on_fee_id=commitment.id if kind == "sign_on_fee" else None,
            grant_id=commitment.id if kind == "grant_instalment" else None, note="Demodata")
        if status in ("approved", "paid") and payment.status == "created":
            payment = money.approve_payment(actor=self.approver, payment_id=payment.id)
        if status == "paid" and payment.status == "approved":
            paid_on = min(paid_on or datetime.date(commitment_year(commitment), 3, 1), datetime.date.today())
            payment = money.mark_paid(actor=self.approver, payment_id=payment.id, paid_on=paid_on,
                                      reference=reference or f"DEMO-{payment.id:05d}")
        return payment


def commitment_year(commitment) -> int:
    return commitment.granted_on.year if isinstance(commitment, SignOnFee) else commitment.year


def paid_in_full(demo, programme_slug: str, year: int, requester_email: str, approver_email: str) -> None:
    """Every grant of ``year`` paid in one payment on 1 March (or today, if that is sooner): a past
    year whose money has gone out."""
    programme = Programme.get(Programme.slug == programme_slug)
    payments = PaymentDemo(demo, programme, requester_email, approver_email)
    grants = (Grant.select(Grant, Organisation).join(Organisation)
              .where(Grant.programme == programme.id, Grant.year == year, Grant.deleted_at.is_null())
              .order_by(Organisation.name))
    for grant in grants:
        payments.payment(grant, grant.amount_ore // 100, "paid", paid_on=datetime.date(year, 3, 1))


def yearly_grants(demo, programme_slug: str, year: int, requester_email: str, approver_email: str,
                  record_kroner: int | None = None) -> None:
    """Grant instalments for three partners' grants of ``year`` (alphabetically first): the first
    paid in two halves, the second's first half approved, the third's first half waiting for
    approval. With ``record_kroner``, partners without a grant that year get one first."""
    programme = Programme.get(Programme.slug == programme_slug)
    payments = PaymentDemo(demo, programme, requester_email, approver_email)
    if record_kroner:
        from core.models.membership import Membership
        partners = (Organisation.select().join(Membership)
                    .where(Membership.programme == programme.id, Membership.role == "partner",
                           Membership.deleted_at.is_null(), Organisation.kind == "association")
                    .order_by(Organisation.name.desc()).limit(3))  # leaves the demo accounts' club alone
        for organisation in partners:
            demo.grant(programme, organisation, year, record_kroner, purpose="Ressourceperson (demodata)")
    grants = list(Grant.select(Grant, Organisation).join(Organisation)
                  .where(Grant.programme == programme.id, Grant.year == year, Grant.deleted_at.is_null())
                  .order_by(Organisation.name).limit(3))
    plans = (("paid", "paid"), ("approved",), ("created",))
    for grant, plan in zip(grants, plans):
        half = grant.amount_ore // 200
        for number, status in enumerate(plan, start=1):
            payments.payment(grant, half, status, number=number,
                             paid_on=datetime.date(year, 1 if number == 1 else 7, 15))
