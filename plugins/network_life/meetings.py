"""The meeting rules: scheduling, changing (moving), cancelling, inviting, answering, check-in and
minutes, and the mails with calendar invitations they send.

Every change is checked with ``core.authz.can`` on the meeting, written and audited in one
transaction; a change of a scheduled meeting raises its calendar ``SEQUENCE`` and, after the
commit, mails every invited person the new ``REQUEST`` (a cancellation a ``CANCEL``), so their
calendars follow. Mails are written in the deployment's default language.
"""
from __future__ import annotations

import datetime
import re

from peewee import JOIN, fn

from core import authz, clock, i18n, mail, tenancy
from core.db import database, is_postgres
from core.i18n import gettext as _
from core.inputs import parse_date, parse_id, parse_int
from core.models.account import Account, RoleAssignment
from core.models.agreement import Agreement
from core.models.audit import record
from core.models.membership import Membership
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.rules.errors import Collector, RuleViolation
from core.scope import Scope
from plugins.network_life import access, calendar
from plugins.network_life.config import MODES, RESPONSES, STATUS_KINDS, kind_label, settings_of
from plugins.network_life.models import (Meeting, MeetingFollowUp, MeetingInvitation, MeetingMinutes,
                                         MeetingPresence)

TIME = re.compile(r"([01]?[0-9]|2[0-3])[:.]([0-5][0-9])")
URL = re.compile(r"https?://[^\s<>\"']{3,490}")
MAX_CAPACITY = 10_000
MAX_FOLLOW_UPS = 20
MAX_INVITATIONS = 500


def scope_text(meeting: Meeting) -> str:
    if meeting.organisation_id is not None:
        return f"organisation:{meeting.organisation_id}"
    return f"programme:{meeting.programme_id}"


def require(actor, action: str, row) -> None:
    if not authz.can(actor, action, row):
        raise RuleViolation.one("permission", "You may not do this")


def programmes_for(platform, actor) -> list[Programme]:
    """The programmes the person arranges meetings for, by name."""
    query = Programme.select().where(Programme.deleted_at.is_null()).order_by(Programme.name)
    return list(tenancy.scoped(query, Programme, actor, access.MEETING_MANAGE))


def partners_of(programme_id: int, today: datetime.date | None = None) -> list[Organisation]:
    """The associations with an agreement in the programme (running or not), by name: whom a
    status meeting can be held with."""
    query = (Organisation.select().join(Agreement, on=(Agreement.organisation == Organisation.id))
             .where(Agreement.programme == programme_id).distinct().order_by(Organisation.name))
    return list(query)


def network_of(programme_id: int) -> list[Organisation]:
    """The programme's network: its member organisations (partners and local actors), by name."""
    return list(Organisation.select().join(Membership, on=(Membership.organisation == Organisation.id))
                .where(Membership.programme == programme_id, Membership.deleted_at.is_null(),
                       Membership.left_on.is_null()).order_by(Organisation.name))


def people_of(organisation_ids: list[int]) -> list[tuple[Account, int]]:
    """The active accounts holding a role in these organisations, with the organisation."""
    if not organisation_ids:
        return []
    rows = (RoleAssignment.select(RoleAssignment.organisation, Account).join(Account)
            .where(RoleAssignment.organisation.in_(organisation_ids), Account.active == True)  # noqa: E712
            .order_by(Account.name, Account.id))
    return [(row.account, row.organisation_id) for row in rows]


def staff_of(programme: Programme) -> list[Account]:
    """The programme's municipality's staff (and its owner's), who may be invited as people."""
    condition = RoleAssignment.municipality == programme.municipality_id
    if programme.owner_organisation_id:
        condition |= RoleAssignment.organisation == programme.owner_organisation_id
    return list(Account.select().join(RoleAssignment).where(condition, Account.active == True)  # noqa: E712
                .distinct().order_by(Account.name, Account.id))


def _time(value, field: str, problems: Collector) -> datetime.time | None:
    text = str(value or "").strip()
    match = TIME.fullmatch(text)
    if not match:
        problems.add(field, "Write the time as hours and minutes, e.g. 16:30")
        return None
    return datetime.time(int(match.group(1)), int(match.group(2)))


def meeting_values(platform, actor, values: dict, problems: Collector, meeting: Meeting | None = None) -> dict:
    """A meeting's fields from a form or the API, checked; the programme (new meetings) must be one
    the person arranges meetings for."""
    data: dict = {}
    if meeting is None:
        programme_id = parse_id(values.get("programme"))
        programme = tenancy.get_scoped(Programme, actor, access.MEETING_MANAGE, Programme.id == programme_id,
                                       Programme.deleted_at.is_null()) if programme_id else None
        if programme is None:
            problems.add("programme", "Choose a programme you arrange meetings for")
            return data
        data["programme"] = programme
    else:
        programme = meeting.programme
    settings = settings_of(platform).for_type(programme.programme_type)
    kind = str(values.get("kind") or "").strip() if meeting is None else meeting.kind
    if kind not in settings.meeting_kinds:
        problems.add("kind", "Choose one of the programme's kinds of meeting")
    data["kind"] = kind
    if meeting is None:
        data["organisation"] = None
        if kind in STATUS_KINDS:
            organisation_id = parse_id(values.get("organisation"))
            partners = {organisation.id: organisation for organisation in partners_of(programme.id)}
            if organisation_id not in partners:
                problems.add("organisation", "A status meeting is held with one of the programme's associations: "
                                             "choose it")
            else:
                data["organisation"] = partners[organisation_id]
    title = str(values.get("title") or "").strip()
    if not title:
        problems.add("title", "This field is required")
    elif len(title) > 200:
        problems.add("title", "At most %(max)s characters", max=200)
    data["title"] = title[:200]
    day = parse_date(values.get("date"), "date", problems)
    start = _time(values.get("start_time"), "start_time", problems)
    end = _time(values.get("end_time"), "end_time", problems)
    if day and start and end:
        if end <= start:
            problems.add("end_time", "The meeting ends after it starts")
        else:
            data["starts_at"], data["ends_at"] = calendar.to_utc(day, start), calendar.to_utc(day, end)
    mode = str(values.get("mode") or "").strip()
    if mode not in MODES:
        problems.add("mode", "Choose in person, online or hybrid")
    data["mode"] = mode
    place = str(values.get("place") or "").strip()
    if len(place) > 300:
        problems.add("place", "At most %(max)s characters", max=300)
    elif mode in ("in_person", "hybrid") and not place:
        problems.add("place", "Say where the meeting is")
    data["place"] = place[:300]
    online_url = str(values.get("online_url") or "").strip()
    if mode in ("online", "hybrid") and not URL.fullmatch(online_url):
        problems.add("online_url", "Give the address of the online meeting (starting with https://)")
    elif online_url and not URL.fullmatch(online_url):
        problems.add("online_url", "Give the address of the online meeting (starting with https://)")
    data["online_url"] = online_url if URL.fullmatch(online_url) else ""
    data["capacity"] = parse_int(values.get("capacity"), "capacity", problems, minimum=1, maximum=MAX_CAPACITY,
                                 required=False)
    agenda = str(values.get("agenda") or "").strip()
    if len(agenda) > 6000:
        problems.add("agenda", "At most %(max)s characters", max=6000)
    data["agenda"] = agenda[:6000]
    return data


def _invitees(meeting: Meeting, values: dict, problems: Collector) -> list[dict]:
    """Who a form invites: the whole network, the association's people, and people picked by id."""
    programme = meeting.programme
    wanted: list[dict] = []
    organisation_ids: list[int] = []
    if values.get("invite_network"):
        organisation_ids += [organisation.id for organisation in network_of(programme.id)]
    if values.get("invite_association") and meeting.organisation_id:
        organisation_ids.append(meeting.organisation_id)
    for account, organisation_id in people_of(sorted(set(organisation_ids))):
        wanted.append({"account": account.id, "organisation": organisation_id, "name": account.name,
                       "email": account.email})
    picked = [parse_id(value) for value in (values.get("people") or [])]
    if picked:
        candidates = {account.id: (account, organisation_id) for account, organisation_id in
                      candidates_for(meeting)}
        for account_id in picked:
            if account_id not in candidates:
                problems.add("people", "Choose people from the list")
                continue
            account, organisation_id = candidates[account_id]
            wanted.append({"account": account.id, "organisation": organisation_id, "name": account.name,
                           "email": account.email})
    return wanted


def candidates_for(meeting: Meeting) -> list[tuple[Account, int | None]]:
    """The people a meeting's invitation form offers: the network's people and the programme's staff."""
    network = [organisation.id for organisation in network_of(meeting.programme_id)]
    if meeting.organisation_id and meeting.organisation_id not in network:
        network.append(meeting.organisation_id)
    seen: dict[int, tuple] = {}
    for account, organisation_id in people_of(network):
        seen.setdefault(account.id, (account, organisation_id))
    for account in staff_of(meeting.programme):
        seen.setdefault(account.id, (account, None))
    return sorted(seen.values(), key=lambda pair: ((pair[0].name or pair[0].email).lower(), pair[0].id))


def _add_invitations(meeting: Meeting, wanted: list[dict]) -> list[int]:
    existing = {email for (email,) in MeetingInvitation.select(MeetingInvitation.email)
                .where(MeetingInvitation.meeting == meeting.id).tuples()}
    made = []
    for person in wanted:
        email = person["email"].strip().lower()
        if email in existing:
            continue
        existing.add(email)
        made.append(MeetingInvitation.create(meeting=meeting.id, account=person["account"],
                                             organisation=person["organisation"], name=person["name"][:200],
                                             email=email).id)
    if len(existing) > MAX_INVITATIONS:
        raise RuleViolation.one("people", "A meeting has at most %(max)s invitations", max=MAX_INVITATIONS)
    return made


def schedule(platform, actor, values: dict) -> Meeting:
    """A new meeting, with its invitations mailed (a calendar REQUEST each)."""
    problems = Collector()
    data = meeting_values(platform, actor, values, problems)
    problems.raise_if_any()
    require(actor, access.MEETING_MANAGE, data["programme"])
    with database.atomic():
        meeting = Meeting.create(uid=calendar.new_uid(platform.settings),
                                 organiser=actor.account.id if actor.account is not None else None, **data)
        if not authz.can(actor, access.MEETING_MANAGE, meeting):
            raise RuleViolation.one("permission", "You may not do this")
        wanted = _invitees(meeting, values, problems)
        problems.raise_if_any()
        invited = _add_invitations(meeting, wanted)
        record(actor.label, "meeting.create", meeting, scope_text(meeting), after=_audit_values(meeting, invited))
    send_requests(platform, meeting, invited)
    return meeting


def _audit_values(meeting: Meeting, invited=()) -> dict:
    values = {"kind": meeting.kind, "title": meeting.title, "starts_at": meeting.starts_at, "ends_at": meeting.ends_at,
              "mode": meeting.mode, "place": meeting.place, "online_url": meeting.online_url,
              "capacity": meeting.capacity, "sequence": meeting.sequence, "status": meeting.status}
    if invited:
        values["invitations"] = len(invited)
    return values


CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "mode", "place", "online_url", "agenda", "capacity")


def update(platform, actor, meeting: Meeting, values: dict) -> Meeting:
    """A changed (moved) meeting: the same UID, the sequence one higher, the new REQUEST mailed."""
    require(actor, access.MEETING_MANAGE, meeting)
    problems = Collector()
    data = meeting_values(platform, actor, values, problems, meeting=meeting)
    problems.raise_if_any()
    with database.atomic():
        meeting = Meeting.get_by_id(meeting.id)
        if meeting.status == "cancelled":
            raise RuleViolation.one("status", "The meeting is cancelled")
        changes = {field: data[field] for field in CALENDAR_FIELDS if getattr(meeting, field) != data[field]}
        if not changes:
            return meeting
        before = _audit_values(meeting)
        for field, value in changes.items():
            setattr(meeting, field, value)
        meeting.sequence += 1
        meeting.updated_at = clock.now()
        meeting.save()
        record(actor.label, "meeting.update", meeting, scope_text(meeting), before=before, after=_audit_values(meeting))
        everyone = [row.id for row in MeetingInvitation.select(MeetingInvitation.id)
                    .where(MeetingInvitation.meeting == meeting.id)]
    send_requests(platform, meeting, everyone, changed=True)
    return meeting


def cancel(platform, actor, meeting: Meeting, values: dict) -> Meeting:
    """Cancelled: a CANCEL with a higher sequence to everyone invited."""
    require(actor, access.MEETING_MANAGE, meeting)
    reason = str(values.get("reason") or "").strip()[:500]
    with database.atomic():
        meeting = Meeting.get_by_id(meeting.id)
        if meeting.status == "cancelled":
            raise RuleViolation.one("status", "The meeting is cancelled")
        meeting.status, meeting.cancelled_at = "cancelled", clock.now()
        meeting.sequence += 1
        meeting.updated_at = clock.now()
        meeting.save()
        record(actor.label, "meeting.cancel", meeting, scope_text(meeting), after={"reason": reason,
                                                                                 "sequence": meeting.sequence})
        everyone = [row.id for row in MeetingInvitation.select(MeetingInvitation.id)
                    .where(MeetingInvitation.meeting == meeting.id)]
    send_cancellations(platform, meeting, everyone, reason)
    return meeting


def invite(platform, actor, meeting: Meeting, values: dict) -> int:
    """More people invited to a scheduled meeting; each gets the current REQUEST."""
    require(actor, access.MEETING_MANAGE, meeting)
    problems = Collector()
    with database.atomic():
        meeting = Meeting.get_by_id(meeting.id)
        if meeting.status == "cancelled":
            raise RuleViolation.one("status", "The meeting is cancelled")
        wanted = _invitees(meeting, values, problems)
        problems.raise_if_any()
        if not wanted:
            raise RuleViolation.one("people", "Choose whom to invite")
        invited = _add_invitations(meeting, wanted)
        if invited:
            record(actor.label, "meeting.invite", meeting, scope_text(meeting), after={"invitations": len(invited)})
    send_requests(platform, meeting, invited)
    return len(invited)


def own_invitation(actor, meeting: Meeting) -> MeetingInvitation | None:
    if not actor.is_authenticated:
        return None
    return (MeetingInvitation.select().where(MeetingInvitation.meeting == meeting.id,
                                             (MeetingInvitation.account == actor.account.id)
                                             | (MeetingInvitation.email == actor.account.email.lower()))
            .order_by(MeetingInvitation.id).first())


def respond(actor, meeting: Meeting, response: str) -> MeetingInvitation:
    """The person's own answer; "coming" is refused when the meeting is full."""
    if response not in RESPONSES:
        raise RuleViolation.one("response", "Answer coming, not coming or maybe")
    with database.atomic():
        query = Meeting.select().where(Meeting.id == meeting.id)
        if is_postgres():  # answers to one meeting queue here, so two cannot take its last place at once
            query = query.for_update()
        meeting = query.get()
        invitation = own_invitation(actor, meeting)
        if invitation is None or not authz.can(actor, access.MEETING_RSVP, Scope(account_id=actor.account.id)):
            raise RuleViolation.one("permission", "You may not do this")
        if meeting.status == "cancelled":
            raise RuleViolation.one("status", "The meeting is cancelled")
        if response == "yes" and invitation.response != "yes" and meeting.capacity is not None:
            coming = MeetingInvitation.select().where(MeetingInvitation.meeting == meeting.id,
                                                      MeetingInvitation.response == "yes").count()
            if coming >= meeting.capacity:
                raise RuleViolation.one("response", "The meeting is full (%(capacity)s places)",
                                        capacity=meeting.capacity)
        before = invitation.response
        invitation.response, invitation.responded_at = response, clock.now()
        if invitation.account_id is None:
            invitation.account = actor.account.id
        invitation.save()
        record(actor.label, "meeting.rsvp", invitation, scope_text(meeting), before={"response": before},
               after={"response": response})
    return invitation


def check_in(actor, meeting: Meeting, values: dict) -> int:
    """Who came: the ticked invitations attended, the others not."""
    require(actor, access.MEETING_MANAGE, meeting)
    ticked = {parse_id(value) for value in (values.get("attended") or [])}
    with database.atomic():
        now = clock.now()
        ids = [row.id for row in MeetingInvitation.select(MeetingInvitation.id)
               .where(MeetingInvitation.meeting == meeting.id)]
        came = [row_id for row_id in ids if row_id in ticked]
        if came:
            MeetingInvitation.update(attended=True, checked_in_at=now).where(MeetingInvitation.id.in_(came)).execute()
        absent = [row_id for row_id in ids if row_id not in ticked]
        if absent:
            MeetingInvitation.update(attended=False, checked_in_at=now).where(MeetingInvitation.id.in_(absent)).execute()
        record(actor.label, "meeting.attendance", meeting, scope_text(meeting),
               after={"attended": len(came), "absent": len(absent)})
    return len(came)


def follow_up_rows(values: dict, problems: Collector, owners: dict[int, Account]) -> list[dict]:
    rows = []
    for number in range(1, MAX_FOLLOW_UPS + 1):
        text = str(values.get(f"follow_up_{number}") or "").strip()
        owner = str(values.get(f"follow_up_{number}_owner") or "").strip()
        due = str(values.get(f"follow_up_{number}_due") or "").strip()
        if not (text or owner or due):
            continue
        field = f"follow_up_{number}"
        if not text:
            problems.add(field, "Say what is to be done")
        if len(text) > 500:
            problems.add(field, "At most %(max)s characters", max=500)
        row = {"text": text[:500], "owner": None, "owner_name": "", "position": number,
               "due_on": parse_date(due, f"{field}_due", problems, required=False)}
        if owner.startswith("account:"):
            account_id = parse_id(owner[len("account:"):])
            if account_id not in owners:
                problems.add(f"{field}_owner", "Choose the owner from the list, or write a name")
            else:
                row["owner"] = account_id
                row["owner_name"] = owners[account_id].name or owners[account_id].email
        else:
            if len(owner) > 200:
                problems.add(f"{field}_owner", "At most %(max)s characters", max=200)
            row["owner_name"] = owner[:200]
        rows.append(row)
    return rows


def write_minutes(platform, actor, meeting: Meeting, values: dict) -> MeetingMinutes:
    """The minutes: summary, decisions, follow-ups, the organisations present (from the registry),
    and for a status meeting a status per focus area of the association's approved action plan."""
    from plugins.network_life import plans
    require(actor, access.MEETING_MANAGE, meeting)
    problems = Collector()
    summary = str(values.get("summary") or "").strip()
    decisions = str(values.get("decisions") or "").strip()
    for field, text in (("summary", summary), ("decisions", decisions)):
        if len(text) > 10_000:
            problems.add(field, "At most %(max)s characters", max=10_000)
    if not summary:
        problems.add("summary", "This field is required")
    owners = {account.id: account for account, _org in candidates_for(meeting)}
    follow_ups = follow_up_rows(values, problems, owners)
    choices = {organisation.id for organisation in presence_choices(meeting)}
    present = {parse_id(value) for value in (values.get("present") or [])}
    if present - choices:
        problems.add("present", "Choose the organisations from the list")
    plan, entries = status_plan(platform, meeting), []
    if plan is not None:
        year = calendar.local(meeting.starts_at).year
        for area in settings_of(platform).focus_areas(meeting.programme.programme_type):
            prefix = f"area_{area.number}_"
            entry = plans.status_values(platform, plan, {**{key: values.get(key) for key in values},
                                                         prefix + "focus_area": area.number, prefix + "year": year},
                                        problems, prefix)
            if entry is not None:
                entries.append(entry)
    problems.raise_if_any()
    with database.atomic():
        now = clock.now()
        minutes = MeetingMinutes.get_or_none(MeetingMinutes.meeting == meeting.id)
        before = {"summary": minutes.summary, "decisions": minutes.decisions} if minutes else None
        if minutes is None:
            minutes = MeetingMinutes.create(meeting=meeting.id, summary=summary, decisions=decisions,
                                            written_by=actor.label, written_at=now, updated_at=now)
        else:
            minutes.summary, minutes.decisions, minutes.updated_at = summary, decisions, now
            minutes.written_by = actor.label
            minutes.save()
        MeetingFollowUp.delete().where(MeetingFollowUp.meeting == meeting.id).execute()
        for row in follow_ups:
            MeetingFollowUp.create(meeting=meeting.id, **row)
        MeetingPresence.delete().where(MeetingPresence.meeting == meeting.id).execute()
        for organisation_id in sorted(present - {None}):
            MeetingPresence.create(meeting=meeting.id, organisation=organisation_id)
        record(actor.label, "meeting.minutes", minutes, scope_text(meeting), before=before,
               after={"summary": summary, "decisions": decisions, "follow_ups": len(follow_ups),
                      "organisations_present": len(present - {None}), "statuses": len(entries)})
        if entries:
            plans.record_statuses(platform, actor, plan, entries, meeting=meeting)
    return minutes


def presence_choices(meeting: Meeting) -> list[Organisation]:
    """The organisations the minutes can name as present: the programme's network and the
    organisations invited (one query each)."""
    found = {organisation.id: organisation for organisation in network_of(meeting.programme_id)}
    invited = (Organisation.select().join(MeetingInvitation, on=(MeetingInvitation.organisation == Organisation.id))
               .where(MeetingInvitation.meeting == meeting.id).distinct())
    for organisation in invited:
        found.setdefault(organisation.id, organisation)
    if meeting.organisation_id and meeting.organisation_id not in found:
        found[meeting.organisation_id] = meeting.organisation
    return sorted(found.values(), key=lambda organisation: organisation.name.lower())


def status_plan(platform, meeting: Meeting):
    """The association's action plan a status meeting's minutes record statuses in, when it has an
    approved version."""
    from plugins.network_life import plans
    from plugins.network_life.models import ActionPlan
    if meeting.kind not in STATUS_KINDS or meeting.organisation_id is None:
        return None
    if not settings_of(platform).plans_for(meeting.programme.programme_type):
        return None
    plan = (ActionPlan.select().join(Agreement)
            .where(Agreement.programme == meeting.programme_id, Agreement.organisation == meeting.organisation_id)
            .order_by(Agreement.start_date.desc()).first())
    if plan is None or plans.approved_version(plan.id) is None:
        return None
    return plan


# --- mails ---------------------------------------------------------------------------------------

def _when(meeting: Meeting) -> str:
    start, end = calendar.local(meeting.starts_at), calendar.local(meeting.ends_at)
    return _("%(date)s, %(start)s–%(end)s (Danish time)") % {
        "date": i18n.format_date(start.date()), "start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}


def _body(platform, meeting: Meeting, intro: str) -> str:
    from plugins.network_life.config import mode_label
    lines = [intro, "", f"{meeting.title}", _when(meeting), str(kind_label(meeting.kind)) + " – " +
             str(mode_label(meeting.mode))]
    if meeting.place:
        lines.append(_("Place: %(place)s") % {"place": meeting.place})
    if meeting.online_url and meeting.mode != "in_person":
        lines.append(_("Online: %(url)s") % {"url": meeting.online_url})
    if meeting.agenda:
        lines += ["", _("Agenda:"), meeting.agenda]
    lines += ["", _("Answer and see the meeting here: %(link)s") % {
        "link": f"{platform.settings.base_url.rstrip('/')}/meetings/{meeting.id}"}]
    return "\n".join(lines) + "\n"


def send_requests(platform, meeting: Meeting, invitation_ids: list[int], changed: bool = False) -> int:
    """Mail a calendar REQUEST to each invitation (after the transaction that changed the meeting)."""
    sent = 0
    if not invitation_ids:
        return sent
    meeting = Meeting.get_by_id(meeting.id)
    with i18n.locale_context(platform.settings.default_locale):
        subject = (_("Changed: %(title)s") if changed else _("Invitation: %(title)s")) % {"title": meeting.title}
        intro = (_("The meeting has changed. The calendar invitation attached replaces the one you had.") if changed
                 else _("You are invited to a meeting. Add it to your calendar with the invitation attached."))
        body = _body(platform, meeting, intro)
        for invitation in MeetingInvitation.select().where(MeetingInvitation.id.in_(invitation_ids)):
            data = calendar.invitation(platform.settings, meeting, invitation, "REQUEST")
            try:
                mail.send(platform, to=invitation.email, subject=subject, body=body, attachments=[
                    mail.Attachment("invitation.ics", calendar.CONTENT_TYPE % "REQUEST", data)])
            except (mail.MailError, ValueError):
                continue  # logged by core.mail; the invitation stays, with the sequence it last got
            MeetingInvitation.update(sent_sequence=meeting.sequence).where(MeetingInvitation.id == invitation.id).execute()
            sent += 1
    return sent


def send_cancellations(platform, meeting: Meeting, invitation_ids: list[int], reason: str = "") -> int:
    sent = 0
    meeting = Meeting.get_by_id(meeting.id)
    with i18n.locale_context(platform.settings.default_locale):
        subject = _("Cancelled: %(title)s") % {"title": meeting.title}
        intro = _("The meeting is cancelled. The calendar message attached removes it from your calendar.")
        if reason:
            intro += "\n" + _("Why: %(reason)s") % {"reason": reason}
        body = _body(platform, meeting, intro)
        for invitation in MeetingInvitation.select().where(MeetingInvitation.id.in_(invitation_ids)):
            data = calendar.invitation(platform.settings, meeting, invitation, "CANCEL")
            try:
                mail.send(platform, to=invitation.email, subject=subject, body=body, attachments=[
                    mail.Attachment("cancellation.ics", calendar.CONTENT_TYPE % "CANCEL", data)])
            except (mail.MailError, ValueError):
                continue
            MeetingInvitation.update(sent_sequence=meeting.sequence).where(MeetingInvitation.id == invitation.id).execute()
            sent += 1
    return sent


# --- reading --------------------------------------------------------------------------------------

def counts(meeting_ids: list[int]) -> dict[int, dict[str, int]]:
    """Invitations, answers and attendance per meeting (one query)."""
    result = {meeting_id: {"invited": 0, "yes": 0, "no": 0, "maybe": 0, "attended": 0} for meeting_id in meeting_ids}
    if not meeting_ids:
        return result
    query = (MeetingInvitation.select(MeetingInvitation.meeting, MeetingInvitation.response,
                                      fn.COUNT(MeetingInvitation.id),
                                      fn.SUM(MeetingInvitation.attended.cast("INTEGER")))
             .where(MeetingInvitation.meeting.in_(meeting_ids))
             .group_by(MeetingInvitation.meeting, MeetingInvitation.response).tuples())
    for meeting_id, response, number, attended in query:
        row = result[meeting_id]
        row["invited"] += number
        if response in row:
            row[response] += number
        row["attended"] += int(attended or 0)
    return result


def readable(actor, query=None):
    """Meetings the person may read (``meeting.read`` scope), or their own invitations' meetings."""
    query = query if query is not None else Meeting.select()
    condition = tenancy.tenant_condition(Meeting, actor, access.MEETING_READ)
    own = Meeting.id.in_(MeetingInvitation.select(MeetingInvitation.meeting).where(
        MeetingInvitation.account == actor.account.id)) if actor.is_authenticated else None
    if condition is None:
        return query
    return query.where(condition | own) if own is not None else query.where(condition)


__all__ = ["schedule", "update", "cancel", "invite", "respond", "check_in", "write_minutes", "counts", "readable",
           "JOIN"]
