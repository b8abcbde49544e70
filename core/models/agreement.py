"""Partnership agreements: made when an application is accepted, with a term, a cohort (the
year joined), the assigned consultant and the yearly grant; extensions keep their history."""
from __future__ import annotations

import datetime

from peewee import BigIntegerField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from core import clock
from core.db import BaseModel
from core.models.account import Account
from core.models.application import Application
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.scope import Via


class Agreement(BaseModel):
    programme = ForeignKeyField(Programme, backref="agreements", on_delete="RESTRICT")
    organisation = ForeignKeyField(Organisation, backref="agreements", on_delete="RESTRICT")
    application = ForeignKeyField(Application, null=True, unique=True, backref="agreements", on_delete="SET NULL")
    start_date = DateField()
    end_date = DateField(index=True)
    cohort = IntegerField()
    consultant = ForeignKeyField(Account, null=True, backref="caseload", on_delete="SET NULL")
    yearly_grant_ore = BigIntegerField(null=True)
    created_at = DateTimeField(default=clock.now)

    # the governors of the programme, and the partner organisation
    scope_rule = Via("programme", organisation="organisation")

    class Meta:
        table_name = "agreement"

    def state(self, today: datetime.date | None = None) -> str:
        """'upcoming', 'running' or 'ended' on ``today``."""
        today = today or datetime.date.today()
        if today < self.start_date:
            return "upcoming"
        return "running" if today <= self.end_date else "ended"


class AgreementExtension(BaseModel):
    """One change of an agreement's end date: from what, to what, why, by whom."""

    agreement = ForeignKeyField(Agreement, backref="extensions", on_delete="CASCADE")
    previous_end = DateField()
    new_end = DateField()
    reason = TextField(default="")
    actor = CharField(max_length=200)
    created_at = DateTimeField(default=clock.now)

    class Meta:
        table_name = "agreement_extension"
