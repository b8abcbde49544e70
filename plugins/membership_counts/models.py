"""Yearly counts: one whole number per metric, organisation and year — aggregates only, never a
person. No table here holds a child, nor any adult: who entered and who checked a count is in
the audit log (which the core's own-data export and account deletion already cover).

``MemberCount`` is governed where its organisation is (its municipality) and is the
organisation's own (its resource persons and board members enter it). ``CountSetting`` says
which metrics the partners of a programme type count: configuration, read by everyone who
enters or reads counts, changed by those who run programmes of the type.
"""
from __future__ import annotations

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from core import clock
from core.db import BaseModel
from core.models.organisation import Organisation
from core.scope import InstanceOnly, Via



class MemberCount(BaseModel):
    """One count: ``value`` of ``metric`` for ``organisation`` at the end of ``year``. A
    correction replaces the value (and is audited with the value before); ``checked_on`` is set
    when a consultant checked it and cleared by a correction."""

    metric = CharField(max_length=40)
    organisation = ForeignKeyField(Organisation, on_delete="CASCADE")
    year = IntegerField()
    value = IntegerField()
    note = TextField(default="")
    checked_on = DateField(null=True)
    updated_at = DateTimeField(default=clock.now, index=True)

    scope_rule = Via("organisation", organisation="organisation")

    class Meta:
        table_name = "membership_count"
        indexes = ((("organisation", "metric", "year"), True), (("metric", "year"), False))


class CountSetting(BaseModel):
    """The partners of programmes of ``programme_type`` count ``metric`` every year."""

    programme_type = CharField(max_length=80)
    metric = CharField(max_length=40)
    changed_at = DateTimeField(default=clock.now)

    scope_rule = InstanceOnly()  # configuration; views decide who may change which type (``rules``)

    class Meta:
        table_name = "membership_count_setting"
        indexes = ((("programme_type", "metric"), True),)


MODELS = [MemberCount, CountSetting]
