"""The pathway counts (plugins/pathways) in Chromium, only by clicking and typing, from /login on:
a partner association's resource person finds the period to report on /me, enters counts that do
not add up and reads the message at the field, corrects them and saves; the volunteer centre's
coordinator finds them on /me, sees them exact in the chart and the table and marks them checked;
a visitor who is not logged in sees them on the programme's public pathway page added up, with
the small counts hidden in the table and in the chart's text.

It runs on a partnership of its own (``tests/plugins/pathways/conftest.py``), removed again
afterwards, so the demo data other tests read stays as loaded.
"""
from __future__ import annotations

import re

from core.demo import DEMO_PASSWORD
from tests.browser.test_journeys import click, english, log_out, waiting_on_me, words  # noqa: F401 - english is a fixture
from tests.plugins.pathways.conftest import COORDINATOR, PASSWORD, partnership, wipe_reports  # noqa: F401 - a fixture

# first contact → participant → co-developer → volunteer: (entered, moved on, left); the last step has no "moved on"
COUNTS = {"first_contact": (14, 6, 3), "participant": (8, 2, 1), "co_developer": (5, 1, 0), "volunteer": (2, None, 0)}


def log_in(page, live_server: str, email: str, password: str) -> None:
    page.goto(live_server + "/login")
    page.fill("#login-email", email)
    page.fill("#login-password", password)
    with page.expect_navigation():
        page.press("#login-password", "Enter")
    assert page.url == live_server + "/me", f"{email} did not get in: {page.url}"


def fill_counts(page, counts: dict) -> None:
    for step, flow in counts.items():
        for measure, value in zip(("entered", "moved_on", "left"), flow):
            if value is not None:
                page.locator(f"#f-{step}-{measure}").fill(str(value))


def cells(table) -> list[str]:
    return [words(cell) for cell in table.locator("tbody td.num").all()]


def test_a_partner_reports_the_coordinator_checks_and_the_public_sees_small_counts_hidden(
        page, english, live_server, partnership):
    wipe_reports(partnership.programme)
    programme = partnership.programme
    organisation = partnership.partners[0]

    # the partner's resource person: the period waits on /me
    log_in(page, live_server, partnership.people[0], PASSWORD)
    link = waiting_on_me(page, "Pathway counts to report", re.compile(re.escape(programme.name)))
    period_label = words(link).split(": ", 1)[1]
    click(page, link)
    assert page.get_by_role("heading", level=1).inner_text() == "Report pathway counts"
    assert organisation.name in words(page.locator("#f-organisation"))
    assert page.locator("#f-volunteer-moved_on").count() == 0, "nobody moves on from the last step"

    # more moved on from the participants than were there: refused, the message at the field
    fill_counts(page, {**COUNTS, "participant": (8, 40, 1)})
    click(page, page.get_by_role("button", name="Save the counts"))
    assert page.title().startswith("Error:")
    message = words(page.locator("#f-participant-moved_on-error"))
    assert "moved on (40) and left (1) add up to more" in message, message
    assert page.locator("#f-participant-moved_on").get_attribute("aria-invalid") == "true"
    assert page.problems and all("422" in problem and "/pathway/report" in problem for problem in page.problems)
    page.problems.clear()  # the refused form answers 422, as it should
    page.locator("#f-participant-moved_on").fill("2")
    click(page, page.get_by_role("button", name="Save the counts"))
    assert "The counts were saved" in words(page.get_by_role("status"))
    section = page.locator("section", has=page.get_by_role("heading", name=period_label, level=2))
    assert "waiting to be checked" in words(section.locator("table[id^=reports-]"))
    log_out(page)

    # the coordinator: the counts wait on /me; the chart and the table show them exact
    log_in(page, live_server, COORDINATOR, DEMO_PASSWORD)
    click(page, waiting_on_me(page, "Pathway counts to check", f"{organisation.name}: {period_label}"))
    section = page.locator("section", has=page.get_by_role("heading", name=period_label, level=2))
    chart = section.locator("svg[role=img]")
    assert chart.count() == 1
    description = chart.locator("desc").text_content()
    assert "14" in description and "2" in description
    steps = section.locator("table[id^=steps-]")
    # from before, entered, moved on, left, at the step, still there — first contact, then participant
    assert cells(steps)[:12] == ["0", "14", "6", "3", "14", "5", "0", "8", "2", "1", "8", "5"]
    click(page, section.get_by_role("button", name=re.compile("^Mark as checked")))
    assert "The counts are checked" in words(page.get_by_role("status"))
    log_out(page)

    # anyone: the public page adds the checked counts up; 1–4 are hidden, in the table and the chart
    page.goto(f"{live_server}/programmes/{programme.slug}")
    click(page, page.get_by_role("link", name="The pathway's figures per year"))
    assert page.get_by_role("heading", level=1).inner_text() == "Pathway into association life"
    entered = page.locator("table[id$=-entered]").first
    shown = cells(entered)
    assert "14" in shown and "8" in shown and "5" in shown and "hidden" in shown, shown
    assert not any(re.fullmatch(r"[1-4]", cell) for cell in shown), shown
    everything = [cell for table in page.locator("table[id^=published-]").all() for cell in cells(table)]
    assert everything and not any(re.fullmatch(r"[1-4]", cell) for cell in everything), everything
    assert "hidden" in page.locator("#pathway-chart-desc").text_content()
    assert page.get_by_role("link", name="Exact figures for the partnership").count() == 0


def test_the_pathway_pages_fit_a_phone_and_name_every_control(page, live_server, partnership):
    """On a 390 px phone, in Danish: the report form, the exact figures (partner and coordinator)
    and the public page do not scroll sideways, and every field and button has a name."""
    from tests.browser.test_every_role_fits import CHECK
    wipe_reports(partnership.programme)
    slug = partnership.programme.slug
    page.set_viewport_size({"width": 390, "height": 844})
    problems = []

    def visit(path: str) -> None:
        page.goto(live_server + path)
        result = page.evaluate(CHECK)
        if result["scrollWidth"] > result["innerWidth"]:
            problems.append(f"{path}: the page is {result['scrollWidth']}px wide: {result['wide']}")
        problems.extend(f"{path}: a control without a name: {control}" for control in result["unnamed"])

    page.context.set_default_timeout(10_000)
    log_in(page, live_server, partnership.people[0], PASSWORD)
    visit(f"/programmes/{slug}/pathway/report")
    fill_counts(page, COUNTS)
    click(page, page.locator("form.stacked button[type=submit]"))
    visit(f"/programmes/{slug}/pathway/figures")
    page.context.clear_cookies()  # logged out, still in Danish
    log_in(page, live_server, COORDINATOR, DEMO_PASSWORD)
    visit(f"/programmes/{slug}/pathway/figures")
    click(page, page.locator("form.inline-form button[type=submit]").first)
    page.context.clear_cookies()  # logged out, still in Danish
    visit(f"/programmes/{slug}/pathway")
    visit("/programmes/hillerod-tuff/pathway")
    assert page.locator("svg[role=img]").count() >= 1
    assert not problems, "\n".join(problems)
