"""Meetings over real HTTP: the consultant schedules a status meeting, the invitation mail
carries a calendar REQUEST (parsed back here); moving it keeps the UID and raises the
SEQUENCE; cancelling sends a CANCEL; the minutes record a status per focus area and the
consultant's overview changes colour; the personal calendar feed lists only the person's own
meetings and its old address stops working when it is reset."""
from __future__ import annotations

import datetime
import re

import icalendar

from core import mail
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.models.account import Account
from plugins.network_life.models import Meeting, MeetingInvitation
from tests.plugins.network_life.conftest import ADMIN, ASSOCIATION, CONSULTANT, OUTSIDER, csrf_from, post

COPENHAGEN = "kobenhavn-sociale-partnerskaber"


def invitations_to(email: str, uid: str | None = None) -> list[icalendar.Calendar]:
    """The calendar attachments mailed to a person, oldest first (for one meeting when ``uid`` is given)."""
    found = []
    for message in reversed(mail.outbox(to=email, limit=200)):
        for attachment in message.attachment_list:
            if attachment.filename.endswith(".ics"):
                calendar = icalendar.Calendar.from_ical(bytes(mail.outbox_attachment(attachment.id).data))
                event = next(iter(calendar.walk("VEVENT")))
                if uid is None or str(event["UID"]) == uid:
                    found.append(calendar)
    return found


def event_of(calendar: icalendar.Calendar):
    return next(iter(calendar.walk("VEVENT")))


def overview_cells(client, association: str) -> list[str]:
    page = client.get("/action-plans?show=all").text
    row = next(r for r in page.split("<tr>") if f">{association}</a>" in r)
    return re.findall(r'data-progress="([a-z_]+)"', row)


def schedule(consultant, day: datetime.date, title: str) -> Meeting:
    programme = Programme.get(Programme.slug == COPENHAGEN)
    club = Organisation.get(Organisation.name == "B1908")
    form = f"/meetings/new?programme={programme.id}&kind=status_resource_person&organisation={club.id}"
    response = post(consultant, form, "/meetings/new", {
        "programme": str(programme.id), "kind": "status_resource_person", "organisation": str(club.id),
        "title": title, "date": day.isoformat(), "start_time": "16:30", "end_time": "18:00", "mode": "in_person",
        "place": "B1908, klubhuset", "capacity": "8", "agenda": "Status på handleplanen", "invite_association": "1"})
    assert response.status_code == 303, response.text
    return Meeting.get(Meeting.title == title)


def test_invitation_move_minutes_overview_and_cancel(person, conn):
    consultant, association = person(CONSULTANT), person(ASSOCIATION)
    # a status meeting a week ago (minutes are written after it), invitations mailed to the association
    day = datetime.date.today() - datetime.timedelta(days=7)
    meeting = schedule(consultant, day, "Statusmøde – B1908 (test)")
    [request] = invitations_to(ASSOCIATION, meeting.uid)
    assert request["METHOD"] == "REQUEST"
    assert [tz["TZID"] for tz in request.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    event = event_of(request)
    assert int(event["SEQUENCE"]) == 0 and str(event["SUMMARY"]) == "Statusmøde – B1908 (test)"
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/Copenhagen" and (start.date(), start.hour, start.minute) == (day, 16, 30)
    assert any(ASSOCIATION in str(attendee) for attendee in
               (event["ATTENDEE"] if isinstance(event["ATTENDEE"], list) else [event["ATTENDEE"]]))

    # moved an hour later: the same UID, a higher SEQUENCE, mailed again
    page = f"/meetings/{meeting.id}/edit"
    response = post(consultant, page, page, {
        "title": meeting.title, "date": day.isoformat(), "start_time": "17:30", "end_time": "19:00",
        "mode": "in_person", "place": "B1908, klubhuset", "capacity": "8", "agenda": "Status på handleplanen"})
    assert response.status_code == 303, response.text
    first, moved = invitations_to(ASSOCIATION, meeting.uid)
    assert str(event_of(moved)["UID"]) == meeting.uid
    assert int(event_of(moved)["SEQUENCE"]) > int(event_of(first)["SEQUENCE"])
    assert event_of(moved).decoded("DTSTART").hour == 17
    # the person's own .ics download says the same
    own = icalendar.Calendar.from_ical(association.get(f"/meetings/{meeting.id}/meeting.ics").content)
    assert str(event_of(own)["UID"]) == meeting.uid and int(event_of(own)["SEQUENCE"]) == int(event_of(moved)["SEQUENCE"])

    # minutes with a status for one focus area: the overview changes colour (and says it in words)
    before = overview_cells(consultant, "B1908")
    assert len(before) == 6
    page = f"/meetings/{meeting.id}/minutes"
    response = post(consultant, page, page, {"summary": "Vi gennemgik planen.", "decisions": "Flere trænere.",
                                             "present": [str(Organisation.get(Organisation.name == "B1908").id)],
                                             "area_5_progress": "dropped", "area_5_note": "Sat på pause"})
    assert response.status_code == 303, response.text
    after = overview_cells(consultant, "B1908")
    assert after[4] == "dropped" and before[4] != "dropped"
    assert after[:4] + after[5:] == before[:4] + before[5:]
    assert "Dropped" in consultant.get("/action-plans?show=all").text

    # cancelled: a CANCEL with a still higher SEQUENCE, same UID
    page = f"/meetings/{meeting.id}"
    assert post(consultant, page, f"{page}/cancel", {"reason": "Flyttet til næste måned"}).status_code == 303
    cancel = invitations_to(ASSOCIATION, meeting.uid)[-1]
    assert cancel["METHOD"] == "CANCEL" and str(event_of(cancel)["STATUS"]) == "CANCELLED"
    assert int(event_of(cancel)["SEQUENCE"]) > int(event_of(moved)["SEQUENCE"])
    # a cancelled meeting is not moved again
    edit = f"/meetings/{meeting.id}/edit"
    response = post(consultant, page, edit, {"title": "Igen", "date": day.isoformat(), "start_time": "10:00",
                                             "end_time": "11:00", "mode": "in_person", "place": "x"})
    assert response.status_code in (409, 422)


def test_a_bad_meeting_form_is_refused_with_reasons(person, conn):
    consultant = person(CONSULTANT)
    programme = Programme.get(Programme.slug == COPENHAGEN)
    count = Meeting.select().count()
    response = post(consultant, "/meetings/new", "/meetings/new", {
        "programme": str(programme.id), "kind": "status_resource_person", "organisation": "",
        "title": "", "date": "31-02-2026", "start_time": "18:00", "end_time": "17:00", "mode": "online"})
    assert response.status_code == 422
    for reason in ("choose it", "This field is required", "starting with https://"):
        assert reason in response.text, reason
    assert Meeting.select().count() == count


def test_the_calendar_feed_lists_own_meetings_and_a_reset_stops_the_old_address(person, conn, live_server):
    association = person(ASSOCIATION)
    page = association.get("/me/calendar")
    assert page.status_code == 200
    url = re.search(r"https?://[^\"<\s]+/calendar/[^\"<\s]+\.ics", page.text).group(0)
    path = url[url.index("/calendar/"):]
    feed = association.get(path)  # the feed needs no login: the token is the key
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(feed.content)
    uids = {str(event["UID"]) for event in calendar.walk("VEVENT")}
    account = Account.get(Account.email == ASSOCIATION)
    invited = MeetingInvitation.select(MeetingInvitation.meeting).where(MeetingInvitation.account == account.id)
    since = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(days=399)
    own = {m.uid for m in Meeting.select().where(Meeting.id.in_(invited), Meeting.starts_at >= since)}
    assert uids and uids == own
    # another association's status meetings are not in B1908's person's feed
    others = {m.uid for m in Meeting.select().where(Meeting.title.contains("Amager SK"))}
    assert others and not uids & others

    response = association.post("/me/calendar/reset", data={"csrf_token": csrf_from(page.text)})
    assert response.status_code == 303
    assert association.get(path).status_code == 404
    new_url = re.search(r"https?://[^\"<\s]+/calendar/[^\"<\s]+\.ics", association.get("/me/calendar").text).group(0)
    assert new_url != url and association.get(new_url[new_url.index("/calendar/"):]).status_code == 200
    assert association.get("/calendar/not-a-token.ics").status_code == 404
    # someone else's page shows their own address, not this one
    assert new_url not in person(OUTSIDER).get("/me/calendar").text


def test_answers_respect_the_capacity_and_check_in_records_who_came(person, conn):
    consultant = person(CONSULTANT)
    programme = Programme.get(Programme.slug == COPENHAGEN)
    invited = [Account.get(Account.email == email) for email in (ASSOCIATION, ADMIN)]
    day = datetime.date.today() + datetime.timedelta(days=20)
    title = "Netværksmøde med én plads (test)"
    response = post(consultant, f"/meetings/new?programme={programme.id}&kind=network", "/meetings/new", {
        "programme": str(programme.id), "kind": "network", "organisation": "", "title": title,
        "date": day.isoformat(), "start_time": "18:00", "end_time": "20:00", "mode": "hybrid",
        "place": "Valby Kulturhus", "online_url": "https://meet.example.org/netvaerk", "capacity": "1",
        "people": [str(account.id) for account in invited]})
    assert response.status_code == 303, response.text
    meeting = Meeting.get(Meeting.title == title)
    assert MeetingInvitation.select().where(MeetingInvitation.meeting == meeting.id).count() == 2
    page = f"/meetings/{meeting.id}"
    first, second = person(ASSOCIATION), person(ADMIN)
    assert post(first, page, f"{page}/answer", {"response": "yes"}).status_code == 303
    full = post(second, page, f"{page}/answer", {"response": "yes"})
    assert full.status_code in (409, 422) and "The meeting is full (1 places)" in full.text
    assert post(second, page, f"{page}/answer", {"response": "maybe"}).status_code == 303
    # someone not invited has no answer to give
    assert post(person(OUTSIDER), "/me", f"{page}/answer", {"response": "yes"}).status_code in (403, 404)

    rows = {row.email: row for row in MeetingInvitation.select().where(MeetingInvitation.meeting == meeting.id)}
    response = post(consultant, page, f"{page}/attendance", {"attended": [str(rows[ASSOCIATION].id)]})
    assert response.status_code == 303, response.text
    rows = {row.email: row for row in MeetingInvitation.select().where(MeetingInvitation.meeting == meeting.id)}
    assert rows[ASSOCIATION].attended is True and rows[ADMIN].attended is False
