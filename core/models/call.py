"""Calls: an application round for a programme, open from one date to another, with the
programme type's eligibility criteria (from its plugin) and extra questions the owner adds."""
from __future__ import annotations

import datetime

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from core.db import BaseModel
from core.models.account import utcnow
from core.models.programme import Programme


def programme_scope(programme_id: int):
    """The authorisation scope of a programme, by id (its municipality and owner)."""
    from core.authz import Scope, programme_scope as scope
    row = (Programme.select(Programme.municipality, Programme.owner_organisation)
           .where(Programme.id == programme_id).first())
    if row is None:
        return Scope()
    return scope(row.municipality_id, row.owner_organisation_id)


def programme_ids_of(municipality_ids, organisation_ids):
    """Subquery: the programmes a municipality or an owning organisation governs."""
    return Programme.select(Programme.id).where(Programme.municipality.in_(municipality_ids) |
                                                Programme.owner_organisation.in_(organisation_ids))


class Call(BaseModel):
    programme = ForeignKeyField(Programme, backref="calls", on_delete="RESTRICT")
    title = CharField(max_length=200)
    description = TextField(default="")
    opens_on = DateField()
    closes_on = DateField(index=True)
    created_by = CharField(max_length=200, default="")
    created_at = DateTimeField(default=utcnow)

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

    def authz_scope(self):
        return programme_scope(self.programme_id)

    @classmethod
    def tenancy_condition(cls, municipality_ids, organisation_ids):
        return cls.programme.in_(programme_ids_of(municipality_ids, organisation_ids))


class CallQuestion(BaseModel):
    """An extra question of one call, besides the programme type's criteria."""

    call = ForeignKeyField(Call, backref="questions", on_delete="CASCADE")
    position = IntegerField(default=0)
    text = CharField(max_length=500)
    required = BooleanField(default=True)

    class Meta:
        table_name = "call_question"

    def authz_scope(self):
        return self.call.authz_scope()
