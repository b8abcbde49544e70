"""The network life's downloads on ``/exports`` (CSV and Excel through the core's writers, each
narrowed to the downloading person's tenancy): the targets of every action-plan version, the
status entries, and the meetings with their counts (invited, coming, attended, organisations
present) — counts of adults and organisations, never who."""
from __future__ import annotations

from peewee import JOIN, fn

from core.csv_writer import Label
from core.datasets import ExportDataset, Source
from core.i18n import lazy_gettext as _
from core.models.agreement import Agreement
from core.models.organisation import Organisation
from core.models.programme import Programme
from plugins.network_life.config import direction_label, kind_label, mode_label, progress_label, state_label
from plugins.network_life.models import (ActionPlan, Meeting, MeetingInvitation, MeetingPresence, PlanGoal,
                                         PlanIndicator, PlanStatus, PlanTarget, PlanVersion)


def target_columns():
    return [_("Id"), _("Programme"), _("Organisation"), _("Version"), _("State"), _("Focus area"), _("Goal"),
            _("What is measured"), _("Unit"), _("Direction"), _("Baseline"), _("Year"), _("Target")]


def target_fetcher(condition=None):
    def fetch(after, limit):
        query = (PlanTarget.select(PlanTarget, PlanIndicator, PlanGoal, PlanVersion, ActionPlan, Agreement,
                                   Organisation, Programme)
                 .join(PlanIndicator).join(PlanGoal).join(PlanVersion).join(ActionPlan).join(Agreement)
                 .join(Organisation).switch(Agreement).join(Programme).where(PlanTarget.id > after))
        if condition is not None:
            query = query.where(condition)
        return list(query.order_by(PlanTarget.id).limit(limit))
    return fetch


def target_values(row: PlanTarget) -> list:
    indicator = row.indicator
    goal = indicator.goal
    version = goal.version
    agreement = version.plan.agreement
    return [row.id, agreement.programme.name, agreement.organisation.name, version.number,
            Label(version.state, state_label(version.state)), goal.focus_area, goal.title, indicator.what,
            indicator.unit, Label(indicator.direction, direction_label(indicator.direction)), indicator.baseline,
            row.year, row.value]


def status_columns():
    return [_("Id"), _("Programme"), _("Organisation"), _("Focus area"), _("Goal key"), _("Year"), _("Status"),
            _("Note"), _("Meeting"), _("Recorded at")]


def status_fetcher(condition=None):
    def fetch(after, limit):
        query = (PlanStatus.select(PlanStatus, ActionPlan, Agreement, Organisation, Programme)
                 .join(ActionPlan).join(Agreement).join(Organisation).switch(Agreement).join(Programme)
                 .where(PlanStatus.id > after))
        if condition is not None:
            query = query.where(condition)
        return list(query.order_by(PlanStatus.id).limit(limit))
    return fetch


def status_values(row: PlanStatus) -> list:
    agreement = row.plan.agreement
    return [row.id, agreement.programme.name, agreement.organisation.name, row.focus_area, row.goal_key, row.year,
            Label(row.progress, progress_label(row.progress)), row.note, row.meeting_id,
            row.recorded_at.replace(microsecond=0)]


def meeting_columns():
    return [_("Id"), _("Programme"), _("Kind"), _("Title"), _("Association"), _("Starts"), _("Ends"),
            _("In person, online or hybrid"), _("Place"), _("Status"), _("Invited"), _("Coming"), _("Attended"),
            _("Organisations present")]


def meeting_fetcher(condition=None):
    def fetch(after, limit):
        query = (Meeting.select(Meeting, Programme, Organisation).join(Programme).switch(Meeting)
                 .join(Organisation, join_type=JOIN.LEFT_OUTER).where(Meeting.id > after))
        if condition is not None:
            query = query.where(condition)
        rows = list(query.order_by(Meeting.id).limit(limit))
        ids = [row.id for row in rows] or [0]
        counts = {}
        for meeting_id, invited, coming, attended in (
                MeetingInvitation.select(MeetingInvitation.meeting, fn.COUNT(MeetingInvitation.id),
                                         fn.SUM((MeetingInvitation.response == "yes").cast("INTEGER")),
                                         fn.SUM(MeetingInvitation.attended.cast("INTEGER")))
                .where(MeetingInvitation.meeting.in_(ids)).group_by(MeetingInvitation.meeting).tuples()):
            counts[meeting_id] = (invited, int(coming or 0), int(attended or 0))
        present = dict(MeetingPresence.select(MeetingPresence.meeting, fn.COUNT(MeetingPresence.id))
                       .where(MeetingPresence.meeting.in_(ids)).group_by(MeetingPresence.meeting).tuples())
        for row in rows:
            row.export_counts = (*counts.get(row.id, (0, 0, 0)), present.get(row.id, 0))
        return rows
    return fetch


def meeting_values(row: Meeting) -> list:
    invited, coming, attended, present = row.export_counts
    return [row.id, row.programme.name, Label(row.kind, kind_label(row.kind)), row.title,
            row.organisation.name if row.organisation_id else "",
            row.starts_at, row.ends_at,  # stored in UTC; the writer shows Danish time (Excel) or UTC (machine)
            Label(row.mode, mode_label(row.mode)), row.place,
            Label(row.status, _("Cancelled") if row.status == "cancelled" else _("Scheduled")),
            invited, coming, attended, present]


def datasets() -> list[ExportDataset]:
    return [
        ExportDataset("action-plan-targets", _("Action plans: goals, indicators and targets"), target_columns,
                      (Source(PlanTarget, target_fetcher, target_values),)),
        ExportDataset("action-plan-statuses", _("Action plans: statuses"), status_columns,
                      (Source(PlanStatus, status_fetcher, status_values),)),
        ExportDataset("meetings", _("Meetings"), meeting_columns, (Source(Meeting, meeting_fetcher, meeting_values),)),
    ]
