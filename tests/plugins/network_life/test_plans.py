"""Action plans over real HTTP: the association drafts a new version, the consultant gives
feedback, the association resubmits, the municipality approves; the approved version is locked,
the differences to the version before are shown, the annex prints; the CSV download imports
back unchanged and one bad row cancels the whole import."""
from __future__ import annotations

import datetime

from core.models.agreement import Agreement
from core.models.organisation import Organisation
from plugins.network_life.models import ActionPlan, PlanGoal, PlanIndicator, PlanVersion
from tests.plugins.network_life.conftest import ADMIN, ASSOCIATION, CONSULTANT, OUTSIDER, post


def plan_of(name: str) -> ActionPlan:
    return (ActionPlan.select().join(Agreement).join(Organisation).where(Organisation.name == name)
            .order_by(ActionPlan.id.desc()).first())


def latest_version(plan_id: int) -> PlanVersion:
    return PlanVersion.select().where(PlanVersion.plan == plan_id).order_by(PlanVersion.number.desc()).first()


def new_draft(association, conn, name: str = "B1908") -> PlanVersion:
    """A new draft version of the association's plan (after any open version was approved)."""
    plan = plan_of(name)
    response = post(association, f"/action-plans/{plan.id}", f"/action-plans/{plan.id}/new-version")
    assert response.status_code == 303, response.text
    version = latest_version(plan.id)
    assert version.state == "draft" and response.headers["location"].startswith(f"/action-plans/versions/{version.id}")
    return version


def approve_through(association, consultant, admin, version: PlanVersion) -> None:
    page = f"/action-plans/versions/{version.id}"
    assert post(association, page, f"{page}/submit").status_code == 303
    assert post(consultant, page, f"{page}/approve").status_code == 403  # the consultant does not approve
    assert post(admin, page, f"{page}/approve").status_code == 303


def test_the_plan_journey_and_the_version_lock(person, conn):
    association, consultant, admin = person(ASSOCIATION), person(CONSULTANT), person(ADMIN)
    plan = plan_of("B1908")
    approved_before = PlanVersion.get(PlanVersion.plan == plan.id, PlanVersion.state == "approved")
    version = new_draft(association, conn)
    page = f"/action-plans/versions/{version.id}"
    year = version.first_year

    response = post(association, page, f"{page}/goals", {"focus_area": "2", "title": "Trænerakademi for unge",
                                                        "description": "Unge uddannes som trænere."})
    assert response.status_code == 303, response.text
    goal = PlanGoal.get(PlanGoal.version == version.id, PlanGoal.title == "Trænerakademi for unge")
    # submitting with a goal without an indicator is refused, with the goal named
    refused = post(association, page, f"{page}/submit")
    assert refused.status_code == 422 and "Trænerakademi for unge" in refused.text
    assert PlanVersion.get_by_id(version.id).state == "draft"
    response = post(association, page, f"/action-plans/goals/{goal.id}/indicators",
                    {"what": "Unge trænere", "unit": "personer", "direction": "increase", "baseline": "2",
                     f"target_{year}": "4", f"target_{year + 1}": "6"})
    assert response.status_code == 303, response.text

    assert post(association, page, f"{page}/submit").status_code == 303
    assert PlanVersion.get_by_id(version.id).state == "submitted"
    # nobody outside Copenhagen's staff gives feedback: another municipality's coordinator, an association
    for outsider in (OUTSIDER, ASSOCIATION):
        assert post(person(outsider), "/me", f"{page}/feedback", {"feedback": "Nej"}).status_code in (403, 404)
    response = post(consultant, page, f"{page}/feedback", {"feedback": "Sæt også et mål for pigerne."})
    assert response.status_code == 303, response.text
    assert PlanVersion.get_by_id(version.id).state == "feedback"
    assert "Sæt også et mål for pigerne." in association.get(page).text
    # the association revises and resubmits; the municipality administrator approves
    response = post(association, page, f"/action-plans/goals/{goal.id}",
                    {"focus_area": "2", "title": "Trænerakademi for unge piger og drenge",
                     "description": "Unge uddannes som trænere."})
    assert response.status_code == 303, response.text
    approve_through(association, consultant, admin, version)
    version = PlanVersion.get_by_id(version.id)
    assert version.state == "approved"
    assert PlanVersion.get_by_id(approved_before.id).state == "superseded"

    shown = association.get(page)
    assert shown.status_code == 200 and "Trænerakademi for unge piger og drenge" in shown.text
    assert "Added" in shown.text  # the differences to the version before

    # locked: no change to the approved version, whatever the form says
    for action, data in ((f"{page}/save", {"first_year": str(year), "last_year": str(year + 1), "summary": "Ny"}),
                         (f"{page}/goals", {"focus_area": "1", "title": "Sneget ind"}),
                         (f"/action-plans/goals/{goal.id}", {"focus_area": "1", "title": "Ændret"}),
                         (f"{page}/submit", {})):
        response = post(association, page, action, data)
        assert response.status_code in (403, 409), (action, response.status_code)
    assert PlanGoal.get_by_id(goal.id).title == "Trænerakademi for unge piger og drenge"
    assert not PlanGoal.select().where(PlanGoal.version == version.id, PlanGoal.title == "Sneget ind").exists()
    assert PlanVersion.get_by_id(version.id).summary == approved_before.summary

    annex = association.get(f"{page}/annex")
    assert annex.status_code == 200
    assert "Trænerakademi for unge piger og drenge" in annex.text and "Unge trænere" in annex.text
    css = association.get("/static/network_life/network_life.css")
    assert css.status_code == 200 and "@page" in css.text and "A4" in css.text


def test_the_csv_download_imports_back_unchanged_and_one_bad_row_cancels_all(person, conn):
    association, consultant, admin = person(ASSOCIATION), person(CONSULTANT), person(ADMIN)
    version = new_draft(association, conn)
    page = f"/action-plans/versions/{version.id}"
    download = association.get(f"{page}/plan.csv")
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    original = download.content
    goals_before = {(g.id, g.title) for g in PlanGoal.select().where(PlanGoal.version == version.id)}
    assert goals_before

    unchanged = post(association, page, f"{page}/import", files={"file": ("plan.csv", original, "text/csv")})
    assert unchanged.status_code == 303, unchanged.text
    assert association.get(f"{page}/plan.csv").content == original

    text = original.decode("utf-8-sig")
    lines = text.splitlines()
    assert len(lines) >= 3
    header, first, second = lines[0], lines[1], lines[2]
    cells = first.split(";")
    cells[2] = "Et nyt navn på målet"                      # a good change in row 2
    bad = second.split(";")
    bad[8] = "mange"                                       # row 3: the baseline is not a number
    edited = "\r\n".join([header, ";".join(cells), ";".join(bad), *lines[3:]]) + "\r\n"
    response = post(association, page, f"{page}/import",
                    files={"file": ("plan.csv", ("\ufeff" + edited).encode("utf-8"), "text/csv")})
    assert response.status_code == 422, response.status_code
    assert "Row 3" in response.text
    assert {(g.id, g.title) for g in PlanGoal.select().where(PlanGoal.version == version.id)} == goals_before
    assert association.get(f"{page}/plan.csv").content == original

    # the same file without the bad row: the good change is applied, by id
    fixed = "\r\n".join([header, ";".join(cells), second, *lines[3:]]) + "\r\n"
    response = post(association, page, f"{page}/import",
                    files={"file": ("plan.csv", ("\ufeff" + fixed).encode("utf-8"), "text/csv")})
    assert response.status_code == 303, response.text
    goal_id = int(cells[0])
    assert PlanGoal.get_by_id(goal_id).title == "Et nyt navn på målet"
    assert PlanGoal.select().where(PlanGoal.version == version.id).count() == len(goals_before)
    assert PlanIndicator.select().join(PlanGoal).where(PlanGoal.version == version.id).count() >= 1
    approve_through(association, consultant, admin, version)  # leave no version open for the other tests


def test_a_status_needs_an_approved_plan_and_a_status_from_the_list(person, conn):
    consultant = person(CONSULTANT)
    plan = plan_of("B1908")
    page = f"/action-plans/{plan.id}"
    response = post(consultant, page, f"{page}/status", {"progress": "brilliant", "focus_area": "1",
                                                       "year": str(datetime.date.today().year)})
    assert response.status_code == 422 and "Choose a status from the list" in response.text
