"""Calendar invitations and feeds, built with the ``icalendar`` package.

An invitation is ``METHOD:REQUEST`` with one ``VEVENT`` (the meeting, in Europe/Copenhagen time
with its ``VTIMEZONE``) and the recipient as ``ATTENDEE``; every change of the meeting sends it
again with the same ``UID`` and a higher ``SEQUENCE``, so calendars move the event instead of
adding another; a cancellation is ``METHOD:CANCEL`` with ``STATUS:CANCELLED``. The organiser is
the person who arranged the meeting, so a calendar's reply reaches them.

A person's feed lists only the meetings they are invited to or arranged. Its address carries
``<feed id>-<HMAC of the feed's salt>`` (the site's secret key): it can be shown again whenever
the person asks, nothing secret is stored, and a reset (a new salt) makes every earlier address
stop working.
"""
from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from email.utils import parseaddr

from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from core import clock
from core.clock import as_utc
from core.i18n import LOCAL_TIME, LOCAL_ZONE
from plugins.network_life.models import CalendarFeed, Meeting, MeetingInvitation

ZONE_NAME = LOCAL_ZONE  # Danish time, named once by the core
ZONE = LOCAL_TIME
PRODID = "-//Partnerskab//Network life//DA"
PARTSTAT = {"yes": "ACCEPTED", "no": "DECLINED", "maybe": "TENTATIVE", "none": "NEEDS-ACTION"}
CONTENT_TYPE = "text/calendar; method=%s; charset=utf-8"
VERSION, CALSCALE, TRANSPARENCY, PARAGRAPH = "2.0", "GREGORIAN", "OPAQUE", "\n\n"
STATUS = {"REQUEST": "CONFIRMED", "CANCEL": "CANCELLED"}


def local(moment: datetime.datetime) -> datetime.datetime:
    """A stored time (naive UTC) in Danish time."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=datetime.timezone.utc)
    return aware.astimezone(ZONE)


def to_utc(day: datetime.date, clock: datetime.time) -> datetime.datetime:
    """A Danish date and time of day as naive UTC (the stored form)."""
    return datetime.datetime.combine(day, clock, tzinfo=ZONE).astimezone(datetime.timezone.utc)


def new_uid(settings) -> str:
    host = settings.base_url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "partnerskab.invalid"
    return f"meeting-{secrets.token_hex(12)}@{host}"


def _put(component, values: dict) -> None:
    """Add each property to an iCalendar component, in order."""
    for name, value in values.items():
        component.add(name=name, value=value)


def _calendar(method: str, years: list[int]) -> Calendar:
    calendar = Calendar()
    _put(calendar, {"prodid": PRODID, "version": VERSION, "calscale": CALSCALE, "method": method})
    first, last = min(years), max(years)
    calendar.add_component(Timezone.from_tzid(ZONE_NAME, first_date=datetime.date(first - 1, 1, 1),
                                              last_date=datetime.date(last + 2, 1, 1)))
    return calendar


def _address(email: str, name: str = "") -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = vText(name)
    return address


def organiser_of(settings, meeting: Meeting) -> vCalAddress:
    if meeting.organiser_id is not None and meeting.organiser is not None:
        return _address(meeting.organiser.email, meeting.organiser.name or "")
    name, email = parseaddr(settings.smtp_from)
    return _address(email or "noreply@partnerskab.invalid", name or settings.site_name)


def event(settings, meeting: Meeting, attendees: list[MeetingInvitation] = (), *, cancelled: bool = False) -> Event:
    from plugins.network_life.config import kind_label, mode_label
    item = Event()
    link = f"{settings.base_url.rstrip('/')}/meetings/{meeting.id}"
    where = ", ".join(filter(None, [meeting.place, meeting.online_url if meeting.mode != "in_person" else ""]))
    description = [f"{kind_label(meeting.kind)} – {mode_label(meeting.mode)}", meeting.agenda, link]
    _put(item, {
        "uid": meeting.uid, "sequence": meeting.sequence, "dtstamp": clock.now(),
        "created": as_utc(meeting.created_at),
        "last-modified": as_utc(meeting.updated_at),
        "dtstart": local(meeting.starts_at), "dtend": local(meeting.ends_at), "summary": meeting.title,
        **({"location": where} if where else {}),
        "description": PARAGRAPH.join(str(part) for part in description if part), "url": link,
        "status": STATUS["CANCEL" if cancelled or meeting.status == "cancelled" else "REQUEST"],
        "transp": TRANSPARENCY,
    })
    item["organizer"] = organiser_of(settings, meeting)
    for invitation in attendees:
        attendee = _address(invitation.email, invitation.name)
        attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
        attendee.params["PARTSTAT"] = vText(PARTSTAT.get(invitation.response, "NEEDS-ACTION"))
        attendee.params["RSVP"] = vText("TRUE")
        item.add(name="attendee", value=attendee)
    return item


def invitation(settings, meeting: Meeting, recipient: MeetingInvitation, method: str) -> bytes:
    """The ``.ics`` a mail carries: REQUEST (new or changed) or CANCEL, for one recipient."""
    year = local(meeting.starts_at).year
    calendar = _calendar(method, [year])
    calendar.add_component(event(settings, meeting, [recipient], cancelled=method == "CANCEL"))
    return calendar.to_ical()


def feed(settings, meetings: list[Meeting], name: str) -> bytes:
    """A subscribable calendar (``METHOD:PUBLISH``) of the meetings, cancelled ones marked so."""
    years = [local(meeting.starts_at).year for meeting in meetings] or [datetime.date.today().year]
    calendar = _calendar("PUBLISH", years)
    _put(calendar, {"x-wr-calname": name, "x-wr-timezone": ZONE_NAME})
    for meeting in meetings:
        calendar.add_component(event(settings, meeting))
    return calendar.to_ical()


# --- the personal feed's address ---------------------------------------------------------------------

def _mac(secret_key: str, feed_row: CalendarFeed) -> str:
    message = f"network-life-calendar\x00{feed_row.id}\x00{feed_row.salt}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()[:40]


def token_of(secret_key: str, feed_row: CalendarFeed) -> str:
    return f"{feed_row.id}-{_mac(secret_key, feed_row)}"


def feed_for(account_id: int) -> CalendarFeed:
    """The person's feed row, made the first time."""
    row = CalendarFeed.get_or_none(CalendarFeed.account == account_id)
    if row is None:
        row = CalendarFeed.create(account=account_id, salt=secrets.token_hex(16))
    return row


def reset(feed_row: CalendarFeed) -> CalendarFeed:
    feed_row.salt, feed_row.reset_at = secrets.token_hex(16), clock.now()
    feed_row.save()
    return feed_row


def account_for_token(secret_key: str, token: str) -> int | None:
    """The account whose current feed address this is, or None (an old or forged address)."""
    number, _, mac = token.partition("-")
    if not number.isdecimal() or len(number) > 18 or len(mac) != 40:
        return None
    row = CalendarFeed.get_or_none(CalendarFeed.id == int(number))
    if row is None or not hmac.compare_digest(mac.encode(), _mac(secret_key, row).encode()):
        return None
    return row.account_id
