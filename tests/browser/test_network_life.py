"""The network-life journey in Chromium, by labels and button names: B1908's resource person
starts a new version of the action plan and submits it; the consultant sends feedback; the
association resubmits; the municipality's administrator approves; the approved version is
locked and prints as the agreement's annex. Then the consultant schedules a status meeting (the
invitation mail carries a valid .ics, parsed back here), moves it (same UID, higher SEQUENCE),
writes the minutes with a status for a focus area, and the overview changes colour."""
from __future__ import annotations

import datetime

import icalendar
import pytest

from core import db, mail
from core.models.agreement import Agreement
from core.models.organisation import Organisation
from core.models.programme import Programme
from plugins.network_life.models import ActionPlan, Meeting, PlanVersion
from tests.browser.test_journeys import click, english, log_in, log_out  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser
ASSOCIATION, CONSULTANT, ADMIN = "kbh-b1908@partnerskab.test", "kbh-konsulent@partnerskab.test", "kbh-admin@partnerskab.test"


def _events(email: str, uid: str) -> list:
    found = []
    with db.connection():
        for message in reversed(mail.outbox(to=email, limit=100)):
            for attachment in message.attachment_list:
                if attachment.filename.endswith(".ics"):
                    calendar = icalendar.Calendar.from_ical(bytes(mail.outbox_attachment(attachment.id).data))
                    event = next(iter(calendar.walk("VEVENT")))
                    if str(event["UID"]) == uid:
                        found.append((str(calendar["METHOD"]), event))
    return found


def test_plan_and_status_meeting_journey(page, english, live_server):
    with db.connection():
        club = Organisation.get(Organisation.name == "B1908")
        plan = (ActionPlan.select().join(Agreement).where(Agreement.organisation == club.id)
                .order_by(ActionPlan.id.desc()).first())
        programme = Programme.get(Programme.slug == "kobenhavn-sociale-partnerskaber")
    summary = f"Ny version fra browseren {datetime.datetime.now():%H%M%S}"

    log_in(page, live_server, ASSOCIATION)
    page.goto(f"{live_server}/action-plans/{plan.id}")
    click(page, page.get_by_role("button", name="Start a new version"))
    version_url = page.url.split("?")[0]
    page.get_by_label("Summary").fill(summary)
    click(page, page.get_by_role("button", name="Save", exact=True))
    click(page, page.get_by_role("button", name="Submit the plan"))
    log_out(page)

    log_in(page, live_server, CONSULTANT)
    page.goto(version_url)
    page.get_by_label("Feedback to the association").fill("Sæt tal på målet for fastholdelse.")
    click(page, page.get_by_role("button", name="Send the feedback"))
    log_out(page)

    log_in(page, live_server, ASSOCIATION)
    page.goto(version_url)
    assert "Sæt tal på målet for fastholdelse." in page.locator("#feedback-given").inner_text()
    click(page, page.get_by_role("button", name="Submit the plan"))
    log_out(page)

    log_in(page, live_server, ADMIN)
    page.goto(version_url)
    click(page, page.get_by_role("button", name="Approve the plan"))
    assert page.get_by_role("button", name="Approve the plan").count() == 0
    assert summary in page.locator("#differences ~ *").first.inner_text() or summary in page.inner_text("main")
    log_out(page)

    # locked: the association sees no form to change the approved version
    log_in(page, live_server, ASSOCIATION)
    page.goto(version_url)
    for name in ("Save", "Submit the plan", "Add the goal", "Import"):
        assert page.get_by_role("button", name=name, exact=True).count() == 0, name
    page.goto(version_url + "/annex")
    assert page.locator(".site-header").is_visible() and page.locator("#annex-not-approved").count() == 0
    page.emulate_media(media="print")  # printed: the annex alone, without the site's header and links
    assert summary in page.inner_text("main")
    assert not page.locator(".site-header").is_visible() and not page.locator(".annex .no-print").is_visible()
    page.emulate_media(media="screen")
    with db.connection():
        assert PlanVersion.get(PlanVersion.summary == summary).state == "approved"
    log_out(page)

    # the status meeting
    day = datetime.date.today() - datetime.timedelta(days=3)
    title = f"Statusmøde B1908 {datetime.datetime.now():%H%M%S}"
    log_in(page, live_server, CONSULTANT)
    page.goto(f"{live_server}/meetings/new?programme={programme.id}&kind=status_resource_person&organisation={club.id}")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Starts (Danish time)").fill("16:30")
    page.get_by_label("Ends (Danish time)").fill("18:00")
    page.get_by_label("Place", exact=True).fill("B1908, klubhuset")
    click(page, page.get_by_role("button", name="Schedule and send the invitations"))
    meeting_url = page.url.split("?")[0]
    with db.connection():
        meeting = Meeting.get(Meeting.title == title)
    [(method, first)] = _events(ASSOCIATION, meeting.uid)
    assert method == "REQUEST" and int(first["SEQUENCE"]) == 0
    assert first.decoded("DTSTART").hour == 16

    page.goto(meeting_url + "/edit")
    page.get_by_label("Starts (Danish time)").fill("17:00")
    page.get_by_label("Ends (Danish time)").fill("18:30")
    click(page, page.get_by_role("button", name="Save and send the change"))
    method, moved = _events(ASSOCIATION, meeting.uid)[-1]
    assert method == "REQUEST" and str(moved["UID"]) == meeting.uid
    assert int(moved["SEQUENCE"]) > int(first["SEQUENCE"]) and moved.decoded("DTSTART").hour == 17

    page.goto(f"{live_server}/action-plans")
    row = page.locator("tr", has=page.get_by_role("link", name="B1908", exact=True))
    cell = row.locator("td.status-cell").nth(2)
    before = cell.get_attribute("data-progress")
    target = "off_track" if before != "off_track" else "achieved"
    page.goto(meeting_url + "/minutes")
    page.get_by_label("Summary").fill("Vi gennemgik handleplanen.")
    page.locator("#area-3").select_option(target)
    click(page, page.get_by_role("button", name="Save the minutes"))
    page.goto(f"{live_server}/action-plans")
    cell = page.locator("tr", has=page.get_by_role("link", name="B1908", exact=True)).locator("td.status-cell").nth(2)
    assert cell.get_attribute("data-progress") == target
    badge = cell.locator(".progress")
    assert f"progress-{target}" in badge.get_attribute("class")
    assert badge.inner_text().strip() in ("Off track", "Achieved")  # the colour has words too
    colour = badge.evaluate("element => getComputedStyle(element).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
