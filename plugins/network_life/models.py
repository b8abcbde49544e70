"""The network-life tables: action plans in versions (goals under focus areas, indicators,
targets per year, status entries) and meetings (invitations, minutes, follow-ups, the
organisations present), and each person's calendar feed.

Whose rows they are is declared once per model (``scope_rule``, ``core.scope``): an action
plan is its agreement's (the programme's governors, and the association's own people); a
meeting is its programme's, and also the own of the association it is held with and of every
organisation invited to it (``MeetingScope``). Nothing here holds a child: meetings count
organisations and adults, never who took part in an activity.
"""
from __future__ import annotations

import datetime

from peewee import (BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField)

from core import clock
from core.db import BaseModel
from core.models.account import Account
from core.models.agreement import Agreement
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.scope import NOTHING, Personal, Scope, ScopeRule, Via, scope_of


# --- action plans -----------------------------------------------------------------------------

class ActionPlan(BaseModel):
    """An association's action plan under one agreement (its annex); the text lives in versions."""

    agreement = ForeignKeyField(Agreement, unique=True, backref="action_plans", on_delete="CASCADE")
    created_at = DateTimeField(default=clock.now)

    scope_rule = Via("agreement")

    class Meta:
        table_name = "network_life_action_plan"


class PlanVersion(BaseModel):
    """One version: draft → submitted → feedback (back to the association) → submitted → approved;
    the approval supersedes the version approved before. Approved and superseded versions are
    never edited: a change is a new version."""

    plan = ForeignKeyField(ActionPlan, backref="versions", on_delete="CASCADE")
    number = IntegerField()
    state = CharField(max_length=20, index=True)
    first_year = IntegerField()
    last_year = IntegerField()
    summary = TextField(default="")
    created_at = DateTimeField(default=clock.now)
    created_by = CharField(max_length=200, default="")
    submitted_at = DateTimeField(null=True)
    submitted_by = CharField(max_length=200, default="")
    feedback = TextField(default="")
    feedback_at = DateTimeField(null=True)
    feedback_by = CharField(max_length=200, default="")
    approved_at = DateTimeField(null=True)
    approved_by = CharField(max_length=200, default="")
    superseded_at = DateTimeField(null=True)

    scope_rule = Via("plan")

    class Meta:
        table_name = "network_life_plan_version"
        indexes = ((("plan", "number"), True),)

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))


class PlanGoal(BaseModel):
    """A goal under one focus area (its number in the programme type). ``key`` stays the same in
    every version the goal is copied into, so versions can be compared and statuses follow it."""

    version = ForeignKeyField(PlanVersion, backref="goals", on_delete="CASCADE")
    key = CharField(max_length=16)
    focus_area = IntegerField()
    title = CharField(max_length=200)
    description = TextField(default="")
    position = IntegerField(default=0)

    scope_rule = Via("version")

    class Meta:
        table_name = "network_life_plan_goal"
        indexes = ((("version", "key"), True),)


class PlanIndicator(BaseModel):
    """What is measured for a goal: the measure, its unit, which way is better, where it started."""

    goal = ForeignKeyField(PlanGoal, backref="indicators", on_delete="CASCADE")
    key = CharField(max_length=16)
    what = CharField(max_length=200)
    unit = CharField(max_length=60, default="")
    direction = CharField(max_length=10, default="increase")
    baseline = IntegerField(null=True)
    position = IntegerField(default=0)

    scope_rule = Via("goal")

    class Meta:
        table_name = "network_life_plan_indicator"


class PlanTarget(BaseModel):
    """An indicator's target for one year of the version's period."""

    indicator = ForeignKeyField(PlanIndicator, backref="targets", on_delete="CASCADE")
    year = IntegerField()
    value = IntegerField()

    scope_rule = Via("indicator")

    class Meta:
        table_name = "network_life_plan_target"
        indexes = ((("indicator", "year"), True),)


# --- meetings ---------------------------------------------------------------------------------

class MeetingScope(ScopeRule):
    """A meeting is governed where its programme is, and it is the own of the association it is
    held with and of every organisation invited to it: their people see it (and only that)."""

    def __init__(self):
        self.via = Via("programme", organisation="organisation")

    def scope(self, row) -> Scope:
        base = self.via.scope(row)
        invited = frozenset(organisation for (organisation,) in MeetingInvitation.select(MeetingInvitation.organisation)
                            .where(MeetingInvitation.meeting == row.id,
                                   MeetingInvitation.organisation.is_null(False)).distinct().tuples())
        # invited organisations' people see the meeting; being invited governs nothing
        return Scope(base.municipality_ids, base.organisation_ids, own_organisation_ids=base.own_organisation_ids | invited)

    def condition(self, model, municipality_ids, organisation_ids):
        return self.via.condition(model, municipality_ids, organisation_ids)

    def own_condition(self, model, organisation_ids):
        if not organisation_ids:
            return NOTHING
        invited = MeetingInvitation.select(MeetingInvitation.meeting).where(
            MeetingInvitation.organisation.in_(organisation_ids))
        return model.organisation.in_(organisation_ids) | model.id.in_(invited)


class Meeting(BaseModel):
    """A meeting of a programme's network, or a status meeting with one association. Times are
    stored in UTC and shown in Danish time; ``uid`` and ``sequence`` are the calendar event's
    (the same UID for the meeting's life, the sequence rising with every change)."""

    programme = ForeignKeyField(Programme, backref="network_meetings", on_delete="CASCADE")
    organisation = ForeignKeyField(Organisation, null=True, backref="status_meetings", on_delete="CASCADE")
    kind = CharField(max_length=30, index=True)
    title = CharField(max_length=200)
    starts_at = DateTimeField(index=True)
    ends_at = DateTimeField()
    mode = CharField(max_length=20, default="in_person")
    place = CharField(max_length=300, default="")
    online_url = CharField(max_length=500, default="")
    capacity = IntegerField(null=True)
    agenda = TextField(default="")
    status = CharField(max_length=20, default="scheduled")  # scheduled | cancelled
    uid = CharField(max_length=120, unique=True)
    sequence = IntegerField(default=0)
    organiser = ForeignKeyField(Account, null=True, backref="organised_meetings", on_delete="SET NULL")
    created_at = DateTimeField(default=clock.now)
    updated_at = DateTimeField(default=clock.now)
    cancelled_at = DateTimeField(null=True)

    scope_rule = MeetingScope()

    class Meta:
        table_name = "network_life_meeting"


class MeetingInvitation(BaseModel):
    """One person invited (an account, or an address), possibly on behalf of an organisation (a
    network invitation reaches the people of every member organisation): their answer, and
    whether they came (recorded at check-in)."""

    meeting = ForeignKeyField(Meeting, backref="invitations", on_delete="CASCADE")
    account = ForeignKeyField(Account, null=True, backref="meeting_invitations", on_delete="SET NULL")
    organisation = ForeignKeyField(Organisation, null=True, backref="meeting_invitations", on_delete="CASCADE")
    name = CharField(max_length=200, default="")
    email = CharField(max_length=254)
    response = CharField(max_length=10, default="none")  # none | yes | no | maybe
    responded_at = DateTimeField(null=True)
    attended = BooleanField(null=True)
    checked_in_at = DateTimeField(null=True)
    sent_sequence = IntegerField(default=-1)
    created_at = DateTimeField(default=clock.now)

    scope_rule = Via("meeting", organisation="organisation")

    class Meta:
        table_name = "network_life_meeting_invitation"
        indexes = ((("meeting", "email"), True),)


class MeetingMinutes(BaseModel):
    meeting = ForeignKeyField(Meeting, unique=True, backref="minutes", on_delete="CASCADE")
    summary = TextField(default="")
    decisions = TextField(default="")
    written_by = CharField(max_length=200, default="")
    written_at = DateTimeField(default=clock.now)
    updated_at = DateTimeField(default=clock.now)

    scope_rule = Via("meeting")

    class Meta:
        table_name = "network_life_meeting_minutes"


class MeetingFollowUp(BaseModel):
    """Something agreed at the meeting: what, who (an account, or a name), by when."""

    meeting = ForeignKeyField(Meeting, backref="follow_ups", on_delete="CASCADE")
    text = CharField(max_length=500)
    owner = ForeignKeyField(Account, null=True, backref="meeting_follow_ups", on_delete="SET NULL")
    owner_name = CharField(max_length=200, default="")
    due_on = DateField(null=True)
    done_at = DateTimeField(null=True)
    position = IntegerField(default=0)

    scope_rule = Via("meeting")

    class Meta:
        table_name = "network_life_meeting_follow_up"


class MeetingPresence(BaseModel):
    """An organisation from the registry that was present."""

    meeting = ForeignKeyField(Meeting, backref="presences", on_delete="CASCADE")
    organisation = ForeignKeyField(Organisation, backref="meeting_presences", on_delete="CASCADE")

    scope_rule = Via("meeting")

    class Meta:
        table_name = "network_life_meeting_presence"
        indexes = ((("meeting", "organisation"), True),)


class PlanStatus(BaseModel):
    """Where a focus area (or one goal, by its key) of an association's plan stands in a year,
    from the fixed list, with a note; recorded at a status meeting (``meeting``) or on its own."""

    plan = ForeignKeyField(ActionPlan, backref="statuses", on_delete="CASCADE")
    focus_area = IntegerField()
    goal_key = CharField(max_length=16, default="")
    year = IntegerField()
    progress = CharField(max_length=20)
    note = TextField(default="")
    meeting = ForeignKeyField(Meeting, null=True, backref="plan_statuses", on_delete="SET NULL")
    recorded_at = DateTimeField(default=clock.now)
    recorded_by = CharField(max_length=200, default="")

    scope_rule = Via("plan")

    class Meta:
        table_name = "network_life_plan_status"
        indexes = ((("plan", "focus_area"), False),)


class CalendarFeed(BaseModel):
    """A person's calendar feed: the address carries an HMAC of this row's ``salt``; resetting the
    salt makes every address given before stop working."""

    account = ForeignKeyField(Account, unique=True, backref="calendar_feeds", on_delete="CASCADE")
    salt = CharField(max_length=64)
    created_at = DateTimeField(default=clock.now)
    reset_at = DateTimeField(null=True)

    scope_rule = Personal("account")

    class Meta:
        table_name = "network_life_calendar_feed"


MODELS = (ActionPlan, PlanVersion, PlanGoal, PlanIndicator, PlanTarget, Meeting, MeetingInvitation, MeetingMinutes,
          MeetingFollowUp, MeetingPresence, PlanStatus, CalendarFeed)

__all__ = [model.__name__ for model in MODELS] + ["MODELS", "MeetingScope", "scope_of"]
