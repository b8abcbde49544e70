"""An offer's times as iCalendar (RFC 5545): one event per time, weekly ones with a weekly rule,
in Danish time (a ``VTIMEZONE`` for Europe/Copenhagen is included, as the standard asks of a
``TZID`` it names). Lines are folded at 75 octets and texts escaped, so any calendar reads it.
"""
from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from core import clock
from core.i18n import LOCAL_ZONE

TZID = LOCAL_ZONE       # Danish time, named once by the core
ZONE = ZoneInfo(TZID)
BYDAY = {1: "MO", 2: "TU", 3: "WE", 4: "TH", 5: "FR", 6: "SA", 7: "SU"}
VTIMEZONE = [
    "BEGIN:VTIMEZONE", f"TZID:{TZID}",
    "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST", "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
    "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET", "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
    "END:VTIMEZONE",
]


def escape(text: str) -> str:
    """A TEXT value: backslash, semicolon, comma and line breaks escaped (RFC 5545 3.3.11)."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """A content line folded at 75 octets, never inside a UTF-8 character (RFC 5545 3.1)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # not in the middle of a character
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, 74  # continuation lines begin with a space
    return "\r\n ".join(parts)


def _local(day: datetime.date, hhmm: str) -> str:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return f"{day:%Y%m%d}T{hours:02d}{minutes:02d}00"


def _first_on_or_after(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.isoweekday()) % 7)


def _until(day: datetime.date) -> str:
    """The end of ``day`` in Danish time, in UTC (a rule's UNTIL with a zoned start is in UTC)."""
    end = datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=ZONE).astimezone(datetime.timezone.utc)
    return f"{end:%Y%m%dT%H%M%SZ}"


def events(offer, sessions, host: str, url: str, today: datetime.date) -> list[list[str]]:
    place = ", ".join(part for part in (offer.street, " ".join(p for p in (offer.postcode, offer.city) if p)) if part)
    description = "\n\n".join(part for part in (offer.how_to_join, offer.schedule_note) if part)
    found = []
    stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
    for session in sessions:
        if not session.starts_at:
            continue
        lines = ["BEGIN:VEVENT", f"UID:offer-{offer.id}-time-{session.id}@{host}", f"DTSTAMP:{stamp}"]
        if session.weekday:
            start = _first_on_or_after(max(today, offer.starts_on) if offer.starts_on else today, session.weekday)
            rule = f"RRULE:FREQ=WEEKLY;BYDAY={BYDAY[session.weekday]}"
            if offer.ends_on:
                if offer.ends_on < start:
                    continue  # no time left
                rule += f";UNTIL={_until(offer.ends_on)}"
        else:
            start, rule = session.on_date, ""
        lines.append(f"DTSTART;TZID={TZID}:{_local(start, session.starts_at)}")
        if session.ends_at:
            lines.append(f"DTEND;TZID={TZID}:{_local(start, session.ends_at)}")
        if rule:
            lines.append(rule)
        lines.append(f"SUMMARY:{escape(offer.title)}")
        if description:
            lines.append(f"DESCRIPTION:{escape(description)}")
        if place:
            lines.append(f"LOCATION:{escape(place)}")
        lines += [f"URL:{url}", "END:VEVENT"]
        found.append(lines)
    return found


def calendar(offer, sessions, host: str, url: str, today: datetime.date) -> bytes | None:
    """The calendar file, or None when the offer has no time to put in one."""
    found = events(offer, sessions, host, url, today)
    if not found:
        return None
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Partnerskab//Catalogue//DA", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{escape(offer.title)}", *VTIMEZONE]
    for event in found:
        lines.extend(event)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
