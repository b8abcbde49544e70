"""Calls: an application round for a programme, open from one date to another, with the
programme type's eligibility criteria (from its plugin) and extra questions the owner adds."""
from __future__ import annotations

import datetime

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from core import clock
from core.db import BaseModel
from core.models.programme import Programme
from core.scope import Via


class Call(BaseModel):
    programme = ForeignKeyField(Programme, backref="calls", on_delete="RESTRICT")
    title = CharField(max_length=200)
    description = TextField(default="")
    opens_on = DateField()
    closes_on = DateField(index=True)
    created_by = CharField(max_length=200, default="")
    created_at = DateTimeField(default=clock.now)

    scope_rule = Via("programme")

    class Meta:
        table_name = "call"

    def __str__(self) -> str:
        return self.title

    def state(self, today: datetime.date | None = None) -> str:
        """'upcoming', 'open' or 'closed' on ``today``."""
        today = today or datetime.date.today()
        if today < self.opens_on:
            return "upcoming"
        return "open" if today <= self.closes_on else "closed"


class CallQuestion(BaseModel):
    """An extra question of one call, besides the programme type's criteria."""

    call = ForeignKeyField(Call, backref="questions", on_delete="CASCADE")
    position = IntegerField(default=0)
    text = CharField(max_length=500)
    required = BooleanField(default=True)

    scope_rule = Via("call")

    class Meta:
        table_name = "call_question"
