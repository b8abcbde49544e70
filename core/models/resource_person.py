"""Resource persons employed under an agreement, and the handover notes written when one
leaves or another takes over. Adults' work contact only: a name, an email, a phone."""
from __future__ import annotations

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from core import clock
from core.db import BaseModel
from core.models.agreement import Agreement
from core.scope import Via


class ResourcePerson(BaseModel):
    agreement = ForeignKeyField(Agreement, backref="resource_persons", on_delete="CASCADE")
    name = CharField(max_length=200)
    email = CharField(max_length=200, default="")
    phone = CharField(max_length=40, default="")
    hours_per_week = IntegerField()
    started_on = DateField()
    ended_on = DateField(null=True)
    created_at = DateTimeField(default=clock.now)

    scope_rule = Via("agreement")  # whoever governs the agreement

    class Meta:
        table_name = "resource_person"


class HandoverNote(BaseModel):
    """What the outgoing resource person (or whoever knows) passes on to the next one."""

    agreement = ForeignKeyField(Agreement, backref="handover_notes", on_delete="CASCADE")
    from_person = ForeignKeyField(ResourcePerson, null=True, backref="notes_written", on_delete="SET NULL")
    to_person = ForeignKeyField(ResourcePerson, null=True, backref="notes_received", on_delete="SET NULL")
    text = TextField()
    written_by = CharField(max_length=200)
    created_at = DateTimeField(default=clock.now)

    scope_rule = Via("agreement")

    class Meta:
        table_name = "handover_note"
