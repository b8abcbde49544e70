"""Applications by organisations to a call, their answers, and the consultants' reviews.

An application moves draft → submitted → under review → accepted / rejected, and may be
withdrawn before a decision. Written only through ``core.rules.applications``.
"""
from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from core import clock
from core.db import BaseModel
from core.models.account import Account
from core.models.call import Call
from core.models.organisation import Organisation
from core.scope import PrivateWhile, Via

APPLICATION_STATUSES = ("draft", "submitted", "under_review", "accepted", "rejected", "withdrawn")
OPEN_STATUSES = ("draft", "submitted", "under_review")
DECIDED_STATUSES = ("accepted", "rejected")


class Application(BaseModel):
    call = ForeignKeyField(Call, backref="applications", on_delete="RESTRICT")
    organisation = ForeignKeyField(Organisation, backref="applications", on_delete="RESTRICT")
    status = CharField(max_length=20, default="draft", index=True)
    description = TextField(default="")          # prefilled from the organisation's profile
    contact_email = CharField(max_length=200, default="")
    contact_phone = CharField(max_length=40, default="")
    created_by = ForeignKeyField(Account, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=clock.now)
    updated_at = DateTimeField(default=clock.now)
    submitted_at = DateTimeField(null=True)
    submitted_by = ForeignKeyField(Account, null=True, backref="+", on_delete="SET NULL")
    decided_by = ForeignKeyField(Account, null=True, backref="+", on_delete="SET NULL")
    decided_by_label = CharField(max_length=200, default="")  # who decided, as the audit names them
    decided_at = DateTimeField(null=True)
    decision_reason = TextField(default="")

    # the governors of the call's programme and the applying organisation; a draft is the
    # applying organisation's alone until it is submitted (the programme's staff do not see it)
    scope_rule = PrivateWhile(Via("call", organisation="organisation"), "status", "draft")

    class Meta:
        table_name = "application"
        indexes = ((("call", "organisation"), True),)


class ApplicationAnswer(BaseModel):
    """One answer: to a criterion's question (``criterion:<key>``) or an extra question (``question:<id>``)."""

    application = ForeignKeyField(Application, backref="answers", on_delete="CASCADE")
    key = CharField(max_length=100)
    value = TextField(default="")

    class Meta:
        table_name = "application_answer"
        indexes = ((("application", "key"), True),)


class Review(BaseModel):
    """A consultant's score (1–5) and comment; one per reviewer, updated when they review again."""

    application = ForeignKeyField(Application, backref="reviews", on_delete="CASCADE")
    reviewer = ForeignKeyField(Account, backref="+", on_delete="RESTRICT")
    score = IntegerField()
    comment = TextField(default="")
    created_at = DateTimeField(default=clock.now)
    updated_at = DateTimeField(default=clock.now)

    class Meta:
        table_name = "application_review"
        indexes = ((("application", "reviewer"), True),)
