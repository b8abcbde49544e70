"""Required meetings (Copenhagen: a status meeting with the resource person by 30 June and one
with the board by 31 December each year): a cancelled meeting does not count, so the
association's meeting becomes overdue — on the consultant's to-do page and in the Monday
reminder mail — and the rule counts per kind, year and due date."""
from __future__ import annotations

import datetime

from core import jobs, mail
from core.models.agreement import Agreement
from core.models.organisation import Organisation
from core.models.programme import Programme
from plugins.network_life import requirements
from plugins.network_life.models import Meeting
from tests.plugins.network_life.conftest import ADMIN, CONSULTANT, post

COPENHAGEN = "kobenhavn-sociale-partnerskaber"


def reminder_monday() -> datetime.date:
    """A Monday of this year, not after today (the next one early in January)."""
    today = datetime.date.today()
    monday = today - datetime.timedelta(days=today.weekday())
    return monday if monday.year == today.year else monday + datetime.timedelta(days=7)


def copenhagen_agreements() -> list[Agreement]:
    programme = Programme.get(Programme.slug == COPENHAGEN)
    return list(Agreement.select(Agreement, Organisation, Programme).join(Organisation).switch(Agreement)
                .join(Programme).where(Agreement.programme == programme.id))


def overdue_names(platform, today: datetime.date, now: datetime.datetime) -> set[tuple[str, str, int]]:
    return {(item.agreement.organisation.name, item.requirement.kinds[0], item.year)
            for item in requirements.overdue(platform, copenhagen_agreements(), today, now)}


def test_the_rule_counts_meetings_held_per_kind_and_due_date(platform, conn):
    year = datetime.date.today().year - 1  # the demo held every status meeting last year
    before_due = overdue_names(platform, datetime.date(year, 6, 30), datetime.datetime(year, 6, 30, 12))
    assert not {entry for entry in before_due if entry[2] == year}  # due by 30 June: not overdue on the day
    # a day after 31 December of last year, both meetings were held by everyone with a running agreement
    after = overdue_names(platform, datetime.date(year + 1, 1, 1), datetime.datetime(year + 1, 1, 1, 12))
    assert not {entry for entry in after if entry[2] == year and entry[0] == "B1908"}
    # the association's spring meetings of this year, as the demo made them: those without one are overdue in July
    this_year = year + 1
    july = overdue_names(platform, datetime.date(this_year, 7, 15), datetime.datetime(this_year, 7, 15, 12))
    spring = {name for name, kind, y in july if kind == "status_resource_person" and y == this_year}
    held = {meeting.organisation.name for meeting in Meeting.select(Meeting, Organisation).join(Organisation).where(
        Meeting.kind == "status_resource_person", Meeting.status != "cancelled",
        Meeting.starts_at >= datetime.datetime(this_year, 1, 1), Meeting.starts_at <= datetime.datetime(this_year, 7, 15))}
    running = {a.organisation.name for a in copenhagen_agreements()
               if a.start_date < datetime.date(this_year, 6, 30) <= a.end_date}
    assert spring == running - held
    assert {"Valby IF-Gymnastik", "BK Vestia", "Street Society"} & running <= spring


def test_a_cancelled_status_meeting_makes_it_overdue_on_the_todo_page_and_in_the_reminder(platform, person, conn):
    monday = reminder_monday()
    year = monday.year - 1
    club = Organisation.get(Organisation.name == "B1908")
    [meeting] = Meeting.select().where(Meeting.organisation == club.id, Meeting.kind == "status_resource_person",
                                       Meeting.starts_at >= datetime.datetime(year, 1, 1),
                                       Meeting.starts_at < datetime.datetime(year, 7, 1))
    consultant = person(CONSULTANT)
    todo = consultant.get("/todo").text
    assert "B1908 – Status meeting with the resource person" not in todo

    page = f"/meetings/{meeting.id}"
    assert post(person(ADMIN), page, f"{page}/cancel", {"reason": "Blev aldrig holdt"}).status_code == 303
    todo = consultant.get("/todo").text
    assert "B1908 – Status meeting with the resource person" in todo
    assert f"0 of 1 held in {year}" in todo
    # the link schedules the missing meeting, with the association and the kind chosen
    assert f"organisation={club.id}&amp;kind=status_resource_person" in todo
    # another consultant's to-do list does not carry B1908 (it is not their association)
    assert "B1908 – Status meeting" not in person("kbh-konsulent-2@partnerskab.test").get("/todo").text

    job = platform.jobs["network_life.meeting_reminders"]
    outcome = jobs.run_job(platform, job, now=datetime.datetime.combine(monday, datetime.time(8, 0),
                                                                        tzinfo=datetime.timezone.utc))
    assert outcome.status == "done", outcome
    [reminder] = mail.outbox(to=CONSULTANT, limit=1)
    assert "B1908" in reminder.body and str(year) in reminder.body
    assert all("B1908" not in message.body for message in mail.outbox(to="kbh-konsulent-2@partnerskab.test", limit=1))
