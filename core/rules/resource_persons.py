"""Resource persons: who is employed under an agreement, how many hours a week (checked
against the programme type: e.g. a range, or a minimum), and from when to when.

Turnover is the recurring problem: when the post changes hands (a new person, or the current
one leaving), a handover note is required, and the history stays, so the next person finds
the agreement, the contacts and every earlier note in one place (the agreement's page).
Adults' work contact only: a name, an email and a phone, nothing more.
"""
from __future__ import annotations

import datetime
import re
from typing import Any

from core import events, inputs
from core.db import database
from core.models import audit
from core.models.agreement import Agreement
from core.models.resource_person import HandoverNote, ResourcePerson
from core.rules.calls import programme_type_of
from core.rules.errors import Collector, RuleViolation
from core.rules.registry import parse_date

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def current_person(agreement: Agreement, today: datetime.date | None = None) -> ResourcePerson | None:
    """Who holds the post (someone whose leaving date is still ahead holds it until then)."""
    today = today or datetime.date.today()
    return (ResourcePerson.select()
            .where(ResourcePerson.agreement == agreement.id,
                   ResourcePerson.ended_on.is_null() | (ResourcePerson.ended_on >= today))
            .order_by(ResourcePerson.started_on.desc()).first())


def check_hours(programme_type, hours: int | None, problems: Collector, field: str = "hours_per_week") -> None:
    lo, hi = programme_type.resource_person_hours_min, programme_type.resource_person_hours_max
    if hours is None:
        return
    if hours <= 0 or hours > 80:
        problems.add(field, "Give the hours a week as a whole number from 1 to 80")
    elif lo is not None and hi is not None and not lo <= hours <= hi:
        problems.add(field, "The programme asks for %(min)s–%(max)s hours a week, not %(hours)s",
                     min=lo, max=hi, hours=hours)
    elif lo is not None and hours < lo:
        problems.add(field, "The programme asks for at least %(min)s hours a week, not %(hours)s", min=lo, hours=hours)
    elif hi is not None and hours > hi:
        problems.add(field, "The programme allows at most %(max)s hours a week, not %(hours)s", max=hi, hours=hours)


def _note(data: dict[str, Any], problems: Collector, required: bool) -> str:
    text = str(data.get("handover_note") or "").strip()
    if required and not text:
        problems.add("handover_note", "Write a handover note for the next resource person: what is going on, "
                                      "who to call, what is promised")
    elif len(text) > 10000:
        problems.add("handover_note", "At most %(max)s characters", max=10000)
    return text


def appoint(platform, agreement: Agreement, data: dict[str, Any], *, actor: str) -> ResourcePerson:
    """A resource person starts; the one before (if any) ends the day before, and a handover
    note is required then."""
    programme_type = programme_type_of(platform, agreement.programme)
    problems = Collector()
    name = str(data.get("name") or "").strip()
    if not name:
        problems.add("name", "Enter the resource person's name")
    elif len(name) > 200:
        problems.add("name", "The name can be at most 200 characters")
    email = str(data.get("email") or "").strip()
    if email and (len(email) > 200 or not _EMAIL.match(email)):
        problems.add("email", "'%(value)s' is not an email address", value=email[:200])
    phone = str(data.get("phone") or "").strip()
    if len(phone) > 40:
        problems.add("phone", "At most %(max)s characters", max=40)
    if str(data.get("adult") or "") not in ("yes", "on", "true", "1", "True"):
        problems.add("adult", "Confirm that the resource person is an adult: the platform keeps adults' contact "
                              "details only")
    raw_hours = str(data.get("hours_per_week") or "").strip()
    hours = None
    if not raw_hours:
        problems.add("hours_per_week", "Enter the hours a week")
    else:
        hours = inputs.parse_int(raw_hours, "hours_per_week", Collector(), maximum=10_000)
        if hours is None:
            problems.add("hours_per_week", "Give the hours a week as a whole number from 1 to 80")
    check_hours(programme_type, hours, problems)
    started_on = parse_date(data.get("started_on"), "started_on", problems)
    if started_on and not agreement.start_date <= started_on <= agreement.end_date:
        problems.add("started_on", "%(date)s is outside the agreement (%(start)s – %(end)s)",
                     date=started_on, start=agreement.start_date,
                     end=agreement.end_date)
    with database.atomic():
        previous = current_person(agreement)
        note = _note(data, problems, required=previous is not None)
        if previous is not None and started_on and started_on <= previous.started_on:
            problems.add("started_on", "%(name)s started on %(date)s: the next resource person starts after that",
                         name=previous.name, date=previous.started_on)
        problems.raise_if_any()
        if previous is not None:
            previous.ended_on = started_on - datetime.timedelta(days=1)
            previous.save()
        person = ResourcePerson.create(agreement=agreement.id, name=name, email=email, phone=phone,
                                       hours_per_week=hours, started_on=started_on)
        if note:
            HandoverNote.create(agreement=agreement.id, from_person=previous, to_person=person, text=note,
                                written_by=actor[:200])
        audit.record(actor, "resource_person.appoint", person, scope=f"programme:{agreement.programme_id}",
                     before={"previous": previous.id if previous else None},
                     after={"agreement": agreement.id, "hours_per_week": hours, "started_on": started_on})
        events.emit("resource_person.changed", person, actor, change="appointed", agreement=agreement.id,
                    programme=agreement.programme_id, organisation=agreement.organisation_id,
                    previous=previous.id if previous else None, started_on=started_on.isoformat())
    return person


def end_employment(platform, agreement: Agreement, data: dict[str, Any], *, actor: str) -> ResourcePerson:
    """The current resource person leaves and nobody follows yet: the post is empty until
    someone is appointed; the handover note waits for them."""
    problems = Collector()
    ended_on = parse_date(data.get("ended_on"), "ended_on", problems)
    note = _note(data, problems, required=True)
    with database.atomic():
        person = current_person(agreement)
        if person is None:
            raise RuleViolation.one("ended_on", "Nobody holds the post now")
        if ended_on and ended_on < person.started_on:
            problems.add("ended_on", "%(name)s started on %(date)s: the end cannot be before that",
                         name=person.name, date=person.started_on)
        problems.raise_if_any()
        person.ended_on = ended_on
        person.save()
        HandoverNote.create(agreement=agreement.id, from_person=person, to_person=None, text=note,
                            written_by=actor[:200])
        audit.record(actor, "resource_person.end", person, scope=f"programme:{agreement.programme_id}",
                     after={"ended_on": ended_on})
        events.emit("resource_person.changed", person, actor, change="ended", agreement=agreement.id,
                    programme=agreement.programme_id, organisation=agreement.organisation_id,
                    ended_on=ended_on.isoformat())
    return person
