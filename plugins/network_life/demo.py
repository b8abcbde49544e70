"""Demo data for the network life: each configured programme type's plugin describes its
programme's year (``ProgrammeSettings.demo(helper)``), and this module's ``Helper`` makes the
rows — action plans in versions with goals, indicators, targets and statuses; meetings with
invitations, answers, attendance, minutes and the organisations present — idempotently (a
plan is found by its agreement, a meeting by its calendar UID), so loading the demo again
changes nothing. The demo writes no mail: invitations are recorded as already sent.
"""
from __future__ import annotations

import datetime
from typing import Iterable

from core.models.account import Account
from core.models.agreement import Agreement
from core.models.audit import record
from core.models.organisation import Organisation
from core.models.programme import Programme
from plugins.network_life import calendar, plans
from plugins.network_life.config import settings_of
from plugins.network_life.models import (ActionPlan, Meeting, MeetingFollowUp, MeetingInvitation, MeetingMinutes,
                                         MeetingPresence, PlanGoal, PlanIndicator, PlanStatus, PlanTarget, PlanVersion)

ACTOR = "demo-data"
UID_DOMAIN = "demo.partnerskab.invalid"


def _utc(moment: datetime.datetime) -> datetime.datetime:
    """A Danish wall-clock time as stored (naive UTC)."""
    return calendar.to_utc(moment.date(), moment.time())


class Helper:
    def __init__(self, platform, today: datetime.date):
        self.platform = platform
        self.today = today
        self.now = datetime.datetime.combine(today, datetime.time(12, 0))

    # --- lookups ---------------------------------------------------------------------------------
    def programme(self, slug: str) -> Programme | None:
        return Programme.get_or_none(Programme.slug == slug)

    def organisation(self, name: str) -> Organisation | None:
        return Organisation.get_or_none(Organisation.name == name)

    def account(self, email: str) -> Account | None:
        return Account.get_or_none(Account.email == email)

    def agreements(self, programme: Programme) -> list[Agreement]:
        """The programme's agreements running today, by organisation name (the latest per organisation)."""
        rows = (Agreement.select(Agreement, Organisation).join(Organisation)
                .where(Agreement.programme == programme.id, Agreement.start_date <= self.today,
                       Agreement.end_date >= self.today).order_by(Organisation.name, Agreement.start_date))
        latest = {}
        for agreement in rows:
            latest[agreement.organisation_id] = agreement
        return list(latest.values())

    # --- action plans ------------------------------------------------------------------------------
    def plan(self, agreement: Agreement, first_year: int, last_year: int, goals: Iterable[tuple], *,
             states: tuple[str, ...] = ("approved",), summary: str = "", feedback: str = "",
             approver: str = "") -> ActionPlan:
        """A plan with one version per state in ``states`` (the earlier ones approved then superseded);
        ``goals``: (focus area, title, description, [(what, unit, direction, baseline, {year: target})]).
        Left alone when the agreement has a plan."""
        existing = ActionPlan.get_or_none(ActionPlan.agreement == agreement.id)
        if existing is not None:
            return existing
        plan = ActionPlan.create(agreement=agreement.id, created_at=self._at(first_year - 1, 12, 1))
        goals = list(goals)
        previous = None
        for number, state in enumerate(states, start=1):
            years = (first_year, last_year)
            made = self._at(first_year - 1, 11, 15) + datetime.timedelta(days=200 * (number - 1))
            version = PlanVersion.create(
                plan=plan.id, number=number, state=state, first_year=years[0], last_year=years[1], summary=summary,
                created_at=made, created_by=ACTOR,
                submitted_at=made + datetime.timedelta(days=14) if state != "draft" else None,
                submitted_by=ACTOR if state != "draft" else "",
                feedback=feedback if state in ("feedback", "approved", "superseded") else "",
                feedback_at=made + datetime.timedelta(days=21) if feedback and state != "draft" else None,
                feedback_by=ACTOR if feedback and state != "draft" else "",
                approved_at=made + datetime.timedelta(days=35) if state in ("approved", "superseded") else None,
                approved_by=approver or ACTOR if state in ("approved", "superseded") else "",
                superseded_at=made + datetime.timedelta(days=400) if state == "superseded" else None)
            if previous is None:
                for position, (area, title, description, indicators) in enumerate(goals, start=1):
                    goal = PlanGoal.create(version=version.id, key=plans.new_key(), focus_area=area, title=title,
                                           description=description, position=position)
                    for index, (what, unit, direction, baseline, targets) in enumerate(indicators, start=1):
                        indicator = PlanIndicator.create(goal=goal.id, key=plans.new_key(), what=what, unit=unit,
                                                         direction=direction, baseline=baseline, position=index)
                        for year, value in targets.items():
                            PlanTarget.create(indicator=indicator.id, year=year, value=value)
            else:  # a revision: the same goals, the first indicator's last target raised by a tenth
                plans.copy_goals(previous, version)
                first = (PlanTarget.select().join(PlanIndicator).join(PlanGoal)
                         .where(PlanGoal.version == version.id, PlanTarget.year == last_year)
                         .order_by(PlanGoal.position, PlanIndicator.position).first())
                if first is not None:
                    PlanTarget.update(value=first.value + max(1, first.value // 10)).where(
                        PlanTarget.id == first.id).execute()
            if state in ("approved", "superseded"):
                record(approver or ACTOR, "action_plan.approve", version, plans.scope_text(plan),
                       after={"number": number, "demo": True})
            previous = version
        return plan

    def status(self, plan: ActionPlan, focus_area: int, year: int, progress: str, note: str = "",
               meeting: Meeting | None = None, at: datetime.datetime | None = None) -> None:
        if PlanStatus.select().where(PlanStatus.plan == plan.id, PlanStatus.focus_area == focus_area,
                                     PlanStatus.year == year,
                                     PlanStatus.meeting == (meeting.id if meeting else None)).exists():
            return
        PlanStatus.create(plan=plan.id, focus_area=focus_area, year=year, progress=progress, note=note,
                          meeting=meeting.id if meeting else None, recorded_by=ACTOR,
                          recorded_at=(meeting.ends_at if meeting else _utc(at or self.now)))

    # --- meetings -----------------------------------------------------------------------------------
    def meeting(self, programme: Programme, key: str, kind: str, title: str, start: datetime.datetime, *,
                minutes: int = 90, mode: str = "in_person", place: str = "", online_url: str = "",
                organisation: Organisation | None = None, agenda: str = "", capacity: int | None = None,
                organiser: str | None = None, invite: Iterable[str] = (), cancelled: bool = False) -> Meeting:
        """A meeting found by its key (its calendar UID), its invitations to these accounts as sent."""
        uid = f"demo-{key}@{UID_DOMAIN}"
        existing = Meeting.get_or_none(Meeting.uid == uid)
        if existing is not None:
            return existing
        organiser_account = self.account(organiser) if organiser else None
        starts_at = _utc(start)
        created = starts_at - datetime.timedelta(days=30)
        meeting = Meeting.create(
            programme=programme.id, organisation=organisation.id if organisation else None, kind=kind, title=title,
            starts_at=starts_at, ends_at=starts_at + datetime.timedelta(minutes=minutes), mode=mode, place=place,
            online_url=online_url, capacity=capacity, agenda=agenda, uid=uid,
            status="cancelled" if cancelled else "scheduled", sequence=1 if cancelled else 0,
            organiser=organiser_account.id if organiser_account else None, created_at=created, updated_at=created,
            cancelled_at=created if cancelled else None)
        for email in invite:
            account = self.account(email)
            if account is None:
                continue
            organisation_id = next((row.organisation_id for row in account.role_assignments if row.organisation_id),
                                   None)
            MeetingInvitation.create(meeting=meeting.id, account=account.id, organisation=organisation_id,
                                     name=account.name, email=account.email, sent_sequence=meeting.sequence,
                                     created_at=created)
        record(ACTOR, "meeting.create", meeting, f"organisation:{organisation.id}" if organisation
               else f"programme:{programme.id}", after={"kind": kind, "demo": True})
        return meeting

    def held(self, meeting: Meeting, *, summary: str, decisions: str = "", follow_ups: Iterable[tuple] = (),
             present: Iterable[Organisation] = (), came: Iterable[str] = (), answers: dict | None = None) -> None:
        """What happened at a meeting: answers and attendance of the invited, minutes, follow-ups
        (text, owner's name, due date) and the organisations present."""
        if MeetingMinutes.select().where(MeetingMinutes.meeting == meeting.id).exists():
            return
        came = set(came)
        for invitation in MeetingInvitation.select().where(MeetingInvitation.meeting == meeting.id):
            response = (answers or {}).get(invitation.email, "yes" if invitation.email in came else "no")
            MeetingInvitation.update(response=response, responded_at=meeting.created_at + datetime.timedelta(days=3),
                                     attended=invitation.email in came, checked_in_at=meeting.starts_at).where(
                MeetingInvitation.id == invitation.id).execute()
        MeetingMinutes.create(meeting=meeting.id, summary=summary, decisions=decisions, written_by=ACTOR,
                              written_at=meeting.ends_at, updated_at=meeting.ends_at)
        for position, (text, owner, due) in enumerate(follow_ups, start=1):
            MeetingFollowUp.create(meeting=meeting.id, text=text, owner_name=owner, due_on=due, position=position,
                                   done_at=_utc(datetime.datetime.combine(due, datetime.time(12)))
                                   if due and due < self.today else None)
        for organisation in {o.id: o for o in present if o is not None}.values():
            MeetingPresence.create(meeting=meeting.id, organisation=organisation.id)

    def answers(self, meeting: Meeting, answers: dict[str, str]) -> None:
        """Answers given to an upcoming meeting's invitations (email -> yes/no/maybe)."""
        for email, response in answers.items():
            MeetingInvitation.update(response=response, responded_at=meeting.created_at + datetime.timedelta(days=2)
                                     ).where(MeetingInvitation.meeting == meeting.id, MeetingInvitation.email == email,
                                             MeetingInvitation.response == "none").execute()

    def _at(self, year: int, month: int, day: int) -> datetime.datetime:
        return _utc(datetime.datetime(year, month, day, 10, 0))


def load(platform, today: datetime.date) -> None:
    """Each configured programme type's demo, in the order the plugins configured them."""
    helper = Helper(platform, today)
    for settings in settings_of(platform).by_type.values():
        if settings.demo is not None:
            settings.demo(helper)
