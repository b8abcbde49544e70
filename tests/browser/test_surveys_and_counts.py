"""Network life in Chromium, by clicking and typing (fields by their labels, buttons by their
names), on a fresh programme of Copenhagen's type with three associations:

- a survey is drafted with a multiple choice, opened, answered by the three associations'
  people through the form, and the results show the response rate and the multiple-choice
  counts as shares of the respondents (adding up to more than 100 %);
- an association's person enters a yearly count; a rise of more than 30 % is refused until a
  note says why; the count shows in the chart's table and the overview's total.
"""
from __future__ import annotations

import datetime
import re

import pytest

from tests.plugins.network import make_network

pytestmark = pytest.mark.browser
LAST_YEAR = datetime.date.today().year - 1


@pytest.fixture
def english(context, live_server):
    context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    return context


def log_in(page, live_server: str, email: str, password: str) -> None:
    page.goto(live_server + "/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    assert page.url == live_server + "/me", f"{email} did not get in: {page.url}"


def log_out(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()


def fits_a_phone(page) -> None:
    """At 390 px the page never scrolls sideways (charts and tables included)."""
    page.set_viewport_size({"width": 390, "height": 844})
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px too wide for a phone"
    page.set_viewport_size({"width": 1280, "height": 900})


def click(page, role: str, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name, exact=True).first.click()


def table_cells(page, caption: str) -> dict[str, list[str]]:
    table = page.locator("table", has=page.locator("caption", has_text=caption)).first
    rows = {}
    for row in table.locator("tbody tr").all():
        rows[row.locator("th").first.inner_text().strip()] = [cell.inner_text().strip()
                                                              for cell in row.locator("td").all()]
    return rows


TICKED = [["Involving parents", "Retention"], ["Involving parents"], ["Involving parents", "Recruiting volunteers"]]


def test_a_survey_is_sent_answered_by_three_associations_and_counted_right(page, english, live_server, platform):
    network = make_network(platform, 3)
    log_in(page, live_server, network.staff, network.password)
    page.goto(live_server + "/surveys")
    click(page, "link", "Draft a new survey")
    page.get_by_label("Programme").select_option(label=network.programme.name)
    page.get_by_label("Title").fill("Foreningsundersøgelse")
    page.get_by_label("Series key").fill("foreningsundersoegelse")
    page.get_by_label("Anonymous: record that an association answered, never what it answered").uncheck()
    click(page, "button", "Draft the survey")
    survey_url = page.url.split("?")[0]
    assert re.fullmatch(re.escape(live_server) + r"/surveys/\d+", survey_url)
    page.get_by_label(re.compile(r"^Key")).fill("udfordringer")
    page.get_by_label("Kind of question").select_option(label="Multiple choice")
    page.get_by_label(re.compile(r"^Question")).fill("What are your biggest challenges?")
    page.get_by_label("Choices (single choice, multiple choice, matrix)").fill(
        "foraeldre = Involving parents\nfrivillige = Recruiting volunteers\nfastholdelse = Retention")
    click(page, "button", "Add the question")
    assert "The question was added." in page.inner_text("main")
    click(page, "button", "Open the survey and invite the partners")
    assert "every partner is invited" in page.inner_text("main")
    log_out(page)

    for email, ticks in zip(network.people, TICKED):
        log_in(page, live_server, email, network.password)
        page.goto(live_server + "/surveys")
        click(page, "link", "Foreningsundersøgelse")
        group = page.get_by_role("group", name=re.compile("What are your biggest challenges"))
        for label in ticks:
            group.get_by_label(label).check()
        click(page, "button", "Send the answer")
        assert "has answered this survey" in page.inner_text("main")
        log_out(page)

    log_in(page, live_server, network.staff, network.password)
    page.goto(survey_url + "/results")
    assert "3 of 3 invited associations answered" in page.inner_text("main")
    cells = table_cells(page, "Answers to: What are your biggest challenges?")
    assert [cells["Involving parents"][0], cells["Recruiting volunteers"][0], cells["Retention"][0]] == ["3", "1", "1"]
    shares = [float(re.sub(r"[^\d.,]", "", cells[label][1]).replace(",", ".")) for label in
              ("Involving parents", "Recruiting volunteers", "Retention")]
    assert shares == [100.0, pytest.approx(33.3, abs=0.5), pytest.approx(33.3, abs=0.5)], \
        "shares of the 3 respondents, not of the 5 ticks"
    assert page.locator("svg desc").count() >= 1
    fits_a_phone(page)
    log_out(page)


def test_a_yearly_count_is_entered_and_the_30_per_cent_note_is_asked_for(page, english, live_server, platform):
    network = make_network(platform, 2)
    organisation = network.organisations[0]
    log_in(page, live_server, network.people[0], network.password)
    page.goto(live_server + "/membership-counts")
    click(page, "link", f"Counts of {organisation.name}")
    for year, value, note in ((LAST_YEAR - 1, "200", None), (LAST_YEAR, "290", None)):
        page.get_by_label(re.compile(r"^Year")).fill(str(year))
        page.get_by_label(re.compile(r"^Count\b")).fill(value)
        click(page, "button", "Save the count")
    summary = page.get_by_role("alert").inner_text()
    assert "30 per cent needs a note" in summary and "+45" in summary
    # the refusal is a 422 (which the browser also logs): expected here, so taken off the list
    assert page.problems and all("422" in problem for problem in page.problems)
    page.problems.clear()
    page.get_by_label("Note").fill("A new girls' team with the school")
    click(page, "button", "Save the count")
    assert "There is a problem" not in page.inner_text("main")
    cells = table_cells(page, "Members under 25 per year")
    assert cells[str(LAST_YEAR - 1)][0] == "200" and cells[str(LAST_YEAR)][0] == "290"
    assert re.sub(r"\s", "", cells[str(LAST_YEAR)][1]) in ("+45%", "+45\u00a0%")
    assert "A new girls' team with the school" in cells[str(LAST_YEAR)][2]
    chart = page.locator("svg").filter(has=page.locator("desc")).first
    assert "290" in chart.inner_html()
    log_out(page)

    log_in(page, live_server, network.staff, network.password)
    page.goto(live_server + "/membership-counts")
    page.get_by_label("Programme").select_option(label=network.programme.name)
    click(page, "button", "Show the counts")
    totals = table_cells(page, "all associations together")
    assert totals[str(LAST_YEAR)][0] == "290*" and totals[str(LAST_YEAR)][1] == "1 of 2"
    fits_a_phone(page)
    page.goto(live_server + f"/membership-counts/organisations/{organisation.id}")
    fits_a_phone(page)
    log_out(page)
