"""The meeting pages: the list, scheduling, one meeting (answers, invitations, check-in, the
minutes), changing and cancelling it, its calendar file, and each person's calendar feed.

A meeting is shown to those who may read it (``meeting.read`` in its scope: the programme's
staff, the association it is held with, the organisations invited) and to anyone invited to
it; anyone else gets 404, as for a meeting that does not exist. Changes need
``meeting.manage`` on the meeting (403 otherwise) and go through ``meetings``.
"""
from __future__ import annotations

import datetime

from peewee import JOIN
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from core import authz, clock
from core.inputs import parse_id
from core.models.account import Account
from core.rules.errors import RuleViolation
from core.views.manage_common import NO_STORE, actor_of, require, saved
from core.web.pages import render
from core.web.routing import page
from plugins.network_life import access, calendar, meetings
from plugins.network_life.config import (MODES, PROGRESS, STATUS_KINDS, kind_label, mode_label, progress_label,
                                         response_label, settings_of)
from plugins.network_life.models import (Meeting, MeetingFollowUp, MeetingInvitation, MeetingMinutes, MeetingPresence,
                                         PlanStatus)
from core.models.organisation import Organisation
from core.models.programme import Programme

LIST_LIMIT = 50
MULTI = ("people", "attended", "present")
MAX_LIST = 600


def _platform(request):
    return request.app.state.platform


def _form(request) -> dict:
    form = request.state.form
    values = {}
    for key in form.keys():
        if key == "csrf_token":
            continue
        values[key] = [str(v)[:200] for v in form.getlist(key)][:MAX_LIST] if key in MULTI else str(form.get(key))[:10_000]
    return values



def labels() -> dict:
    return {"kind_label": kind_label, "mode_label": mode_label, "response_label": response_label,
            "progress_label": progress_label, "local": calendar.local}


def _meeting(request) -> Meeting:
    """The meeting in the address, if the person may read it or is invited; else 404."""
    actor = actor_of(request)
    meeting_id = request.path_params["meeting_id"]
    found = meetings.readable(actor, Meeting.select()).where(Meeting.id == meeting_id).first()
    if found is None:
        raise HTTPException(404)
    return found


def _managed(request) -> Meeting:
    meeting = _meeting(request)
    require(request, access.MEETING_MANAGE, meeting)
    return meeting


# --- the list ----------------------------------------------------------------------------------

def meeting_list(request):
    actor = actor_of(request)
    now = clock.now()
    base = meetings.readable(actor, Meeting.select(Meeting, Programme, Organisation).join(Programme)
                             .switch(Meeting).join(Organisation, join_type=JOIN.LEFT_OUTER))
    upcoming = list(base.where(Meeting.ends_at >= now).order_by(Meeting.starts_at, Meeting.id).limit(LIST_LIMIT))
    past = list(meetings.readable(actor, Meeting.select(Meeting, Programme, Organisation).join(Programme)
                                  .switch(Meeting).join(Organisation, join_type=JOIN.LEFT_OUTER))
                .where(Meeting.ends_at < now).order_by(Meeting.starts_at.desc(), Meeting.id.desc()).limit(LIST_LIMIT))
    counts = meetings.counts([m.id for m in upcoming + past])
    with_minutes = {row.meeting_id for row in MeetingMinutes.select(MeetingMinutes.meeting)
                    .where(MeetingMinutes.meeting.in_([m.id for m in past] or [0]))}
    mine = {row.meeting_id: row for row in MeetingInvitation.select()
            .where(MeetingInvitation.account == actor.account.id,
                   MeetingInvitation.meeting.in_([m.id for m in upcoming] or [0]))}
    context = {"upcoming": upcoming, "past": past, "counts": counts, "with_minutes": with_minutes, "mine": mine,
               "may_schedule": authz.can(actor, access.MEETING_MANAGE), **labels()}
    return render(request, "network_life/meetings.html", context, headers=NO_STORE)


# --- scheduling and changing ---------------------------------------------------------------------

def _form_context(request, values: dict, errors: dict, meeting: Meeting | None = None) -> dict:
    platform, actor = _platform(request), actor_of(request)
    programmes = meetings.programmes_for(platform, actor) if meeting is None else [meeting.programme]
    chosen = meeting.programme if meeting is not None else next(
        (p for p in programmes if str(p.id) == str(values.get("programme") or "")), None)
    settings = settings_of(platform)
    kinds = settings.for_type(chosen.programme_type).meeting_kinds if chosen else ()
    partners = meetings.partners_of(chosen.id) if chosen else []
    return {"values": values, "errors": errors, "meeting": meeting, "programmes": programmes, "chosen": chosen,
            "kinds": kinds, "partners": partners, "modes": MODES, "status_kinds": STATUS_KINDS,
            "all_kinds": [(p.id, settings.for_type(p.programme_type).meeting_kinds) for p in programmes], **labels()}


def new_meeting(request):
    platform, actor = _platform(request), actor_of(request)
    if request.method == "GET":
        query = request.query_params
        kind = query.get("kind", "")
        values = {"programme": query.get("programme", ""), "kind": kind, "organisation": query.get("organisation", ""),
                  "mode": "in_person", "start_time": "16:00", "end_time": "17:30", "title": "",
                  "invite_association": "1", "invite_network": "" if kind in STATUS_KINDS else "1"}
        context = _form_context(request, values, {})
        if context["chosen"] is not None and kind:
            organisation = next((o for o in context["partners"] if str(o.id) == values["organisation"]), None)
            values["title"] = f"{kind_label(kind)}" + (f" – {organisation.name}" if organisation else "")
        return render(request, "network_life/meeting_form.html", context, headers=NO_STORE)
    values = _form(request)
    try:
        meeting = meetings.schedule(platform, actor, values)
    except RuleViolation as exc:
        return render(request, "network_life/meeting_form.html", _form_context(request, values, exc.by_field()),
                      status_code=422, headers=NO_STORE)
    return saved(f"/meetings/{meeting.id}", "meeting-scheduled")


def _values_of(meeting: Meeting) -> dict:
    start, end = calendar.local(meeting.starts_at), calendar.local(meeting.ends_at)
    return {"title": meeting.title, "date": start.date(), "start_time": start.strftime("%H:%M"),
            "end_time": end.strftime("%H:%M"), "mode": meeting.mode, "place": meeting.place,
            "online_url": meeting.online_url, "capacity": meeting.capacity or "", "agenda": meeting.agenda}


def edit_meeting(request):
    platform, actor = _platform(request), actor_of(request)
    meeting = _managed(request)
    if request.method == "GET":
        return render(request, "network_life/meeting_form.html", _form_context(request, _values_of(meeting), {}, meeting),
                      headers=NO_STORE)
    values = _form(request)
    try:
        meetings.update(platform, actor, meeting, values)
    except RuleViolation as exc:
        errors = exc.by_field()
        return render(request, "network_life/meeting_form.html", _form_context(request, values, errors, meeting),
                      status_code=409 if "status" in errors else 422, headers=NO_STORE)
    return saved(f"/meetings/{meeting.id}", "meeting-changed")


def _act(request, change, flag: str, manage: bool = True):
    meeting = _managed(request) if manage else _meeting(request)
    values = _form(request)
    try:
        change(meeting, values)
    except RuleViolation as exc:
        errors = exc.by_field()
        if "permission" in errors:
            raise HTTPException(403) from None
        return detail(request, errors=errors, values=values, status_code=409 if "status" in errors else 422)
    return saved(f"/meetings/{meeting.id}", flag)


def cancel_meeting(request):
    platform, actor = _platform(request), actor_of(request)
    return _act(request, lambda meeting, values: meetings.cancel(platform, actor, meeting, values), "meeting-cancelled")


def invite(request):
    platform, actor = _platform(request), actor_of(request)
    return _act(request, lambda meeting, values: meetings.invite(platform, actor, meeting, values), "people-invited")


def respond(request):
    actor = actor_of(request)
    return _act(request, lambda meeting, values: meetings.respond(actor, meeting, values.get("response", "")),
                "answer-saved", manage=False)


def attendance(request):
    actor = actor_of(request)
    return _act(request, lambda meeting, values: meetings.check_in(actor, meeting, values), "attendance-saved")


# --- one meeting -----------------------------------------------------------------------------------

def detail(request, errors=None, values=None, status_code=200):
    platform, actor = _platform(request), actor_of(request)
    meeting = _meeting(request)
    may_manage = authz.can(actor, access.MEETING_MANAGE, meeting)
    invitations = []
    if may_manage or authz.can(actor, access.MEETING_READ, meeting):
        invitations = list(MeetingInvitation.select(MeetingInvitation, Organisation)
                           .join(Organisation, join_type=JOIN.LEFT_OUTER)
                           .where(MeetingInvitation.meeting == meeting.id)
                           .order_by(MeetingInvitation.name, MeetingInvitation.email))
    minutes = MeetingMinutes.get_or_none(MeetingMinutes.meeting == meeting.id)
    follow_ups = list(MeetingFollowUp.select().where(MeetingFollowUp.meeting == meeting.id)
                      .order_by(MeetingFollowUp.position, MeetingFollowUp.id))
    present = list(Organisation.select().join(MeetingPresence, on=(MeetingPresence.organisation == Organisation.id))
                   .where(MeetingPresence.meeting == meeting.id).order_by(Organisation.name))
    statuses = list(PlanStatus.select().where(PlanStatus.meeting == meeting.id).order_by(PlanStatus.focus_area))
    areas = {area.number: area.title for area in settings_of(platform).focus_areas(meeting.programme.programme_type)}
    counts = meetings.counts([meeting.id])[meeting.id]
    context = {
        "meeting": meeting, "programme": meeting.programme, "organisation": meeting.organisation,
        "own": meetings.own_invitation(actor, meeting), "may_manage": may_manage,
        "invitations": invitations,
        "candidates": meetings.candidates_for(meeting) if may_manage else [],
        "minutes": minutes, "follow_ups": follow_ups, "present": present, "statuses": statuses, "focus_areas": areas,
        "counts": counts, "past": meeting.starts_at <= clock.now(), "errors": errors or {}, "values": values or {},
        "responses": ("yes", "no", "maybe"), **labels(),
    }
    return render(request, "network_life/meeting.html", context, status_code=status_code, headers=NO_STORE)


def minutes_form(request):
    platform, actor = _platform(request), actor_of(request)
    meeting = _managed(request)
    minutes = MeetingMinutes.get_or_none(MeetingMinutes.meeting == meeting.id)
    plan = meetings.status_plan(platform, meeting)
    areas = [(area.number, area.title) for area in settings_of(platform).focus_areas(meeting.programme.programme_type)] \
        if plan is not None else []
    candidates = meetings.candidates_for(meeting)
    if request.method == "GET":
        values = {"summary": minutes.summary if minutes else "", "decisions": minutes.decisions if minutes else ""}
        for row in MeetingFollowUp.select().where(MeetingFollowUp.meeting == meeting.id):
            values[f"follow_up_{row.position}"] = row.text
            values[f"follow_up_{row.position}_owner"] = (f"account:{row.owner_id}" if row.owner_id else row.owner_name)
            values[f"follow_up_{row.position}_due"] = row.due_on or ""
        values["present"] = [str(row.organisation_id) for row in MeetingPresence.select(MeetingPresence.organisation)
                             .where(MeetingPresence.meeting == meeting.id)]
        if not values["present"] and meeting.organisation_id:
            values["present"] = [str(meeting.organisation_id)]
        errors, status_code = {}, 200
    else:
        values = _form(request)
        try:
            meetings.write_minutes(platform, actor, meeting, values)
        except RuleViolation as exc:
            errors, status_code = exc.by_field(), 422
        else:
            return saved(f"/meetings/{meeting.id}", "minutes-saved")
    follow_up_rows = max([int(key.split("_")[2]) for key in values
                          if key.startswith("follow_up_") and key.split("_")[2].isdecimal()] or [0]) + 3
    context = {"meeting": meeting, "values": values, "errors": errors, "areas": areas, "plan": plan,
               "choices": meetings.presence_choices(meeting), "candidates": candidates,
               "follow_up_numbers": list(range(1, min(follow_up_rows, meetings.MAX_FOLLOW_UPS) + 1)),
               "progress_values": PROGRESS, **labels()}
    return render(request, "network_life/minutes_form.html", context, status_code=status_code, headers=NO_STORE)


def ics(request):
    """The meeting as a calendar file for the person asking (a CANCEL when it is cancelled)."""
    platform, actor = _platform(request), actor_of(request)
    meeting = _meeting(request)
    recipient = meetings.own_invitation(actor, meeting) or MeetingInvitation(
        meeting=meeting.id, email=actor.account.email, name=actor.account.name or "")
    method = "CANCEL" if meeting.status == "cancelled" else "REQUEST"
    return Response(calendar.invitation(platform.settings, meeting, recipient, method),
                    media_type=calendar.CONTENT_TYPE % method,
                    headers={"Content-Disposition": f'attachment; filename="meeting-{meeting.id}.ics"', **NO_STORE})


# --- the personal calendar feed ---------------------------------------------------------------------

def calendar_page(request):
    platform, actor = _platform(request), actor_of(request)
    feed_row = calendar.feed_for(actor.account.id)
    token = calendar.token_of(platform.settings.secret_key, feed_row)
    url = f"{platform.settings.base_url.rstrip('/')}/calendar/{token}.ics"
    return render(request, "network_life/calendar.html", {"feed_url": url, "feed": feed_row}, headers=NO_STORE)


def calendar_reset(request):
    from core.db import database
    from core.models.audit import record
    actor = actor_of(request)
    with database.atomic():
        feed_row = calendar.reset(calendar.feed_for(actor.account.id))
        record(actor.label, "calendar.reset", feed_row, f"account:{actor.account.id}", after={"reset": True})
    return saved("/me/calendar", "calendar-reset")


def feed(request):
    """The person's own meetings (invited or arranged), for a calendar program to subscribe to."""
    platform = _platform(request)
    token = str(request.path_params["token"])[:80]
    account_id = calendar.account_for_token(platform.settings.secret_key, token)
    account = Account.get_or_none(Account.id == account_id, Account.active == True) if account_id else None  # noqa: E712
    if account is None:
        raise HTTPException(404)
    since = clock.now() - datetime.timedelta(days=400)
    invited = MeetingInvitation.select(MeetingInvitation.meeting).where(MeetingInvitation.account == account.id)
    rows = list(Meeting.select().where((Meeting.id.in_(invited)) | (Meeting.organiser == account.id),
                                       Meeting.starts_at >= since)
                .order_by(Meeting.starts_at, Meeting.id).limit(1000))
    data = calendar.feed(platform.settings, rows, platform.settings.site_name)
    return Response(data, media_type="text/calendar; charset=utf-8",
                    headers={"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex"})


def routes():
    return [
        page("/meetings", meeting_list, name="network_life_meetings", permission=access.MEETING_RSVP),
        page("/meetings/new", new_meeting, name="network_life_meeting_new", methods=("GET", "POST"),
             permission=access.MEETING_MANAGE),
        page("/meetings/{meeting_id:id}", detail, name="network_life_meeting", permission=access.MEETING_RSVP),
        page("/meetings/{meeting_id:id}/edit", edit_meeting, name="network_life_meeting_edit", methods=("GET", "POST"),
             permission=access.MEETING_MANAGE),
        page("/meetings/{meeting_id:id}/cancel", cancel_meeting, name="network_life_meeting_cancel", methods=("POST",),
             permission=access.MEETING_MANAGE),
        page("/meetings/{meeting_id:id}/invite", invite, name="network_life_meeting_invite", methods=("POST",),
             permission=access.MEETING_MANAGE),
        page("/meetings/{meeting_id:id}/answer", respond, name="network_life_meeting_answer", methods=("POST",),
             permission=access.MEETING_RSVP),
        page("/meetings/{meeting_id:id}/attendance", attendance, name="network_life_meeting_attendance",
             methods=("POST",), permission=access.MEETING_MANAGE),
        page("/meetings/{meeting_id:id}/minutes", minutes_form, name="network_life_meeting_minutes",
             methods=("GET", "POST"), permission=access.MEETING_MANAGE),
        page("/meetings/{meeting_id:id}/meeting.ics", ics, name="network_life_meeting_ics",
             permission=access.MEETING_RSVP),
        page("/me/calendar", calendar_page, name="network_life_calendar", permission="account.self"),
        page("/me/calendar/reset", calendar_reset, name="network_life_calendar_reset", methods=("POST",),
             permission="account.self"),
        page("/calendar/{token}.ics", feed, name="network_life_feed"),
    ]
