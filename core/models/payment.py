"""Payment requests: a sign-on fee or a yearly grant instalment on its way to an organisation.

created → approved (by a second person, never the creator) → paid (date, reference), or
cancelled before it is paid. Rows are written only through ``core.rules.money``, which checks
the amount against the commitment (the fee, or the grant for the year) inside the transaction
that locks the programme row. ``idempotency_key`` comes from the form (a hidden field made
when the form was shown), so a double click, a retry or two workers create one row.
"""
from __future__ import annotations

from peewee import BigIntegerField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField

from core import clock
from core.db import BaseModel
from core.models.account import Account
from core.models.money import Grant, SignOnFee
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.scope import Via

PAYMENT_KINDS = ("sign_on_fee", "grant_instalment")
PAYMENT_STATUSES = ("created", "approved", "paid", "cancelled")
OPEN_STATUSES = ("created", "approved", "paid")  # what counts against the commitment


class PaymentRequest(BaseModel):
    programme = ForeignKeyField(Programme, backref="payment_requests", on_delete="RESTRICT")
    organisation = ForeignKeyField(Organisation, backref="payment_requests", on_delete="RESTRICT")
    kind = CharField(max_length=20)
    sign_on_fee = ForeignKeyField(SignOnFee, null=True, backref="payment_requests", on_delete="RESTRICT")
    grant = ForeignKeyField(Grant, null=True, backref="payment_requests", on_delete="RESTRICT")
    budget_year = IntegerField(index=True)  # the year of the commitment it pays out
    amount_ore = BigIntegerField()
    status = CharField(max_length=12, default="created", index=True)
    note = CharField(max_length=500, default="")
    created_by = ForeignKeyField(Account, backref="payments_created", on_delete="RESTRICT")
    approved_by = ForeignKeyField(Account, null=True, backref="payments_approved", on_delete="RESTRICT")
    approved_at = DateTimeField(null=True)
    paid_on = DateField(null=True)
    reference = CharField(max_length=100, default="")
    cancelled_by = ForeignKeyField(Account, null=True, backref="payments_cancelled", on_delete="RESTRICT")
    cancel_reason = CharField(max_length=500, default="")
    idempotency_key = CharField(max_length=100, unique=True)
    created_at = DateTimeField(default=clock.now)
    updated_at = DateTimeField(default=clock.now)

    # governed where its programme is (the programme's municipality and owner), not by the payee
    scope_rule = Via("programme")

    class Meta:
        table_name = "payment_request"
