"""The pathway counts: per programme, partner organisation and period one report, with one row
of counts per step — how many young people entered the step, moved on to the next and left the
pathway from it. Aggregate counts only: no table holds a young person, and none holds who
reported or checked (the audit log says that, and the core's own-data export and deletion cover
it), so the plugin keeps no personal data.

A report belongs where its programme is governed (the municipality, the volunteer centre that
owns the programme) and is the partner organisation's own: its resource persons and board
members enter and correct it; taking part in the programme's network shows nobody another
partner's counts (``core.scope.Via``)."""
from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from core.clock import now
from core.db import BaseModel
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.scope import Via

SUBMITTED, CHECKED = "submitted", "checked"
STATUSES = (SUBMITTED, CHECKED)


class PathwayReport(BaseModel):
    """One partner's counts for one period; a correction replaces the counts and waits to be
    checked again (``revision`` counts the versions; the audit log keeps each one)."""

    programme = ForeignKeyField(Programme, on_delete="CASCADE")
    organisation = ForeignKeyField(Organisation, on_delete="CASCADE")
    period = CharField(max_length=7)  # 2025-H1, 2025-H2 or 2025
    status = CharField(max_length=20, default=SUBMITTED)
    revision = IntegerField(default=1)
    submitted_at = DateTimeField(default=now)
    checked_at = DateTimeField(null=True)

    scope_rule = Via("programme", organisation="organisation")

    class Meta:
        table_name = "pathway_report"
        indexes = ((("programme", "organisation", "period"), True),)


class PathwayCount(BaseModel):
    """The counts of one step in one report: whole numbers of young people, never who."""

    report = ForeignKeyField(PathwayReport, backref="counts", on_delete="CASCADE")
    step = CharField(max_length=40)
    entered = IntegerField(default=0)
    moved_on = IntegerField(default=0)
    left = IntegerField(default=0, column_name="left_pathway")

    scope_rule = Via("report")

    class Meta:
        table_name = "pathway_count"
        indexes = ((("report", "step"), True),)


MODELS = (PathwayReport, PathwayCount)
