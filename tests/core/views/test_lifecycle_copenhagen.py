"""Copenhagen's social partnerships end to end over HTTP: the municipality's administrator opens
a call; an association's board member applies (an unanswered question is refused; too few
members under 25 is a selection criterion the municipality weighs, so it goes through flagged
for the reviewers); the consultant scores it (a required choice); the administrator accepts with
a reason and a consultant of the municipality; the agreement runs four years with the 200,000
DKK yearly grant; resource persons work at least 20 hours a week and a change needs a handover
note; the consultant is changed and the agreement extended; caseloads and to-do lists show it."""
from __future__ import annotations

import datetime
import re

from core import db, i18n
from core.models.agreement import Agreement
from core.models.application import Application
from core.models.outbox import OutboxMessage
from core.models.programme import Programme
from core.rules import applications as rules, calls as call_rules
from core.rules.agreements import consultants_for
from plugins import copenhagen
from tests.core.views._lifecycle import (TODAY, make_account, make_organisation, make_programme, open_call,
                                         people, problems, question_field, start_application, status_of,
                                         text_of)

__all__ = ["people"]
ADMIN, CONSULTANT = "kbh-admin@partnerskab.test", "kbh-konsulent@partnerskab.test"


def test_copenhagen_lifecycle_to_the_agreement(platform, people):
    programme = make_programme(platform, copenhagen.SOCIAL_PARTNERSHIPS, "0101")
    club = make_organisation(platform, "Testklub København", "0101", email="info@testklub.example")
    board = make_account("board_member", organisation=club.slug, name="Birthe Bestyrelse")
    admin, consultant, applicant = people(ADMIN), people(CONSULTANT), people(board, "green teapot behind the shed")

    call_id = open_call(admin, programme)
    call_page = applicant.get(f"/calls/{call_id}")
    assert "Number of members under 25" in call_page and "Start an application" in call_page
    application_id = start_application(applicant, call_id, club)
    form = applicant.get(f"/applications/{application_id}")
    assert 'value="info@testklub.example"' in form  # prefilled from the organisation's profile
    extra = question_field(form)

    # an unanswered question is refused with its own message, still a draft
    answers = {"contact_email": "info@testklub.example", "criterion:min_members_under_25": "",
               "criterion:vulnerable_urban_areas": "yes", "criterion:experience": "1", extra: "Football"}
    refused = applicant.post(f"/applications/{application_id}", f"/applications/{application_id}",
                             {**answers, "action": "submit"}, expect=400)
    assert "Answer the question: Number of members under 25" in problems(refused.text)
    assert status_of(applicant, application_id) == "Draft"

    # too few members and little experience miss selection criteria the municipality weighs: the draft
    # shows them, it can still be submitted, and the reviewers see them flagged
    answers.update({"criterion:min_members_under_25": "40"})
    saved = applicant.post(f"/applications/{application_id}", f"/applications/{application_id}",
                           {**answers, "action": "save"})
    assert saved.status_code == 303
    flagged = text_of(applicant.get(f"/applications/{application_id}").split('id="flagged-criteria"')[1]
                      .split("</div>")[0])
    assert "you answered 40, and the programme asks for at least 100" in flagged
    assert "you answered 1, and the programme asks for at least 2" in flagged
    applicant.post(f"/applications/{application_id}", f"/applications/{application_id}", {**answers, "action": "submit"})
    assert status_of(applicant, application_id) == "Submitted"
    review_page = consultant.get(f"/applications/{application_id}")
    assert 'id="flagged-criteria"' in review_page and "Selection criteria the answers do not meet" in review_page
    assert "you answered 40, and the programme asks for at least 100" in text_of(review_page)
    # the score is a choice with no default: left empty it is refused
    refused = consultant.post(f"/applications/{application_id}", f"/applications/{application_id}/review",
                              {"score": "", "comment": "Small but close to the target group"}, expect=400)
    assert "Give a score from 1 to 5" in problems(refused.text)
    assert '<option value="" selected>Choose a score</option>' in refused.text

    # the consultant sees it waiting, scores it; it is then under review and waits for the administrator
    assert f"/applications/{application_id}" in consultant.get("/todo")
    consultant.post(f"/applications/{application_id}", f"/applications/{application_id}/review",
                    {"score": "4", "comment": "Strong local roots"})
    assert status_of(consultant, application_id) == "Under review"
    assert f"/applications/{application_id}" in admin.get("/todo")
    # neither the applicant nor the consultant may decide
    for person in (applicant, consultant):
        person.post(f"/applications/{application_id}", f"/applications/{application_id}/decide",
                    {"decision": "accept", "reason": "mine", "start_date": TODAY.isoformat()}, expect=403)
    assert status_of(admin, application_id) == "Under review"

    # a decision without a reason is refused; with one it makes the agreement
    refused = admin.post(f"/applications/{application_id}", f"/applications/{application_id}/decide",
                         {"decision": "accept", "reason": "", "start_date": TODAY.isoformat()}, expect=400)
    assert "Give the reason for the decision" in problems(refused.text)
    with db.connection():
        jonas = [a for a in consultants_for(programme) if a.email == CONSULTANT][0]
        assert len(consultants_for(programme)) >= 3  # the demo's three consultants, and any test-made ones
    # a consultant is assigned at acceptance: the form offers the municipality's consultants, the one who
    # reviewed chosen already; another municipality's consultant is refused and nothing is made
    decide_form = admin.get(f"/applications/{application_id}")
    assert f'<option value="{jonas.id}" selected>Jonas Lund</option>' in decide_form
    assert "Consultant who follows the association" in decide_form
    outsider = make_account("consultant", municipality="0265", name="Rikke Roskilde")
    with db.connection():
        from core.models.account import Account
        outsider_id = Account.get(Account.email == outsider).id
    assert f'value="{outsider_id}"' not in decide_form
    refused = admin.post(f"/applications/{application_id}", f"/applications/{application_id}/decide",
                         {"decision": "accept", "reason": "Meets every criterion", "start_date": TODAY.isoformat(),
                          "consultant": str(outsider_id)}, expect=400)
    assert "Choose one of the programme's consultants" in problems(refused.text)
    assert status_of(admin, application_id) == "Under review"
    decided = admin.post(f"/applications/{application_id}", f"/applications/{application_id}/decide",
                         {"decision": "accept", "reason": "Meets every criterion", "start_date": TODAY.isoformat(),
                          "consultant": str(jonas.id)})
    agreement_path = decided.headers["location"]
    with db.connection():
        application = Application.get_by_id(application_id)
        assert application.status == "accepted" and application.decision_reason == "Meets every criterion"
        assert application.decided_by.email == ADMIN and application.decided_at is not None
        agreement = Agreement.get(Agreement.application == application_id)
        four_years = TODAY.replace(year=TODAY.year + 4) - datetime.timedelta(days=1) if not (
            TODAY.month == 2 and TODAY.day == 29) else TODAY.replace(year=TODAY.year + 4, day=28)
        assert (agreement.start_date, agreement.end_date, agreement.cohort) == (TODAY, four_years, TODAY.year)
        assert agreement.yearly_grant_ore == 200_000 * 100 and agreement.consultant_id == jonas.id
        told = list(OutboxMessage.select().where(OutboxMessage.recipient == board))
        assert len(told) == 1 and "Meets every criterion" in told[0].body
    assert agreement_path == f"/agreements/{agreement.id}"
    decision = applicant.get(f"/applications/{application_id}")
    assert "Meets every criterion" in decision and "Mette Kristensen" in decision

    # resource persons: at least 20 hours; a change needs a handover note; history stays
    person = {"name": "Rasmus Ressource", "email": "rasmus@testklub.example", "hours_per_week": "15",
              "started_on": TODAY.isoformat(), "adult": "yes"}
    refused = applicant.post(agreement_path, f"{agreement_path}/resource-person", person, expect=400)
    assert "at least 20 hours a week, not 15" in problems(refused.text)
    applicant.post(agreement_path, f"{agreement_path}/resource-person", {**person, "hours_per_week": "22"})
    assert "Rasmus Ressource" in consultant.get("/caseload")
    later = (TODAY + datetime.timedelta(days=30)).isoformat()
    newcomer = {"name": "Nadia Ny", "email": "nadia@testklub.example", "hours_per_week": "20",
                "started_on": later, "adult": "yes"}
    refused = applicant.post(agreement_path, f"{agreement_path}/resource-person", newcomer, expect=400)
    assert "Write a handover note" in problems(refused.text)
    applicant.post(agreement_path, f"{agreement_path}/resource-person",
                   {**newcomer, "handover_note": "Tuesday training at Mjølnerparken; call the school's SFO head."})
    kit = applicant.get(agreement_path)
    assert "Tuesday training at Mjølnerparken" in kit and "from Rasmus Ressource" in kit and "to Nadia Ny" in kit
    assert "Jonas Lund" in kit and "Birthe Bestyrelse" in kit and "DKK 200,000" in kit

    # the municipality's administrator (not only the platform's) hands the association to another consultant
    with db.connection():
        amira = [a for a in consultants_for(programme) if a.email == "kbh-konsulent-2@partnerskab.test"][0]
    admin.post(agreement_path, f"{agreement_path}/consultant", {"consultant": str(amira.id)})
    with db.connection():
        assert Agreement.get_by_id(agreement.id).consultant_id == amira.id
    assert "Testklub København" in people("kbh-konsulent-2@partnerskab.test").get("/caseload")
    assert "Testklub København" not in consultant.get("/caseload")

    # the administrator extends it; the history keeps the old end
    new_end = (agreement.end_date + datetime.timedelta(days=365)).isoformat()
    admin.post(agreement_path, f"{agreement_path}/extend", {"new_end": new_end, "reason": "Good progress"})
    extensions = re.search(r'<ul id="extensions">(.*?)</ul>', admin.get(agreement_path), re.S).group(1)
    assert "Good progress" in text_of(extensions)
    with db.connection():
        assert Agreement.get_by_id(agreement.id).end_date.isoformat() == new_end


def test_a_late_submission_is_refused_with_a_message(platform, people, dbconn):
    programme = make_programme(platform, copenhagen.SOCIAL_PARTNERSHIPS, "0101")
    club = make_organisation(platform, "Sen klub", "0101")
    board = make_account("board_member", organisation=club.slug)
    call = call_rules.create_call(platform, programme=programme, actor="test", data={
        "title": "Closed round", "opens_on": TODAY - datetime.timedelta(days=40),
        "closes_on": TODAY - datetime.timedelta(days=10)})
    application = rules.start_application(platform, call=call, organisation=club, actor="test",
                                          today=TODAY - datetime.timedelta(days=20))
    applicant = people(board, "green teapot behind the shed")
    path = f"/applications/{application.id}"
    refused = applicant.post(path, path, {"contact_email": "a@b.example", "criterion:min_members_under_25": "200",
                                          "criterion:vulnerable_urban_areas": "yes", "criterion:experience": "4",
                                          "action": "submit"}, expect=400)
    with i18n.locale_context("en"):  # dates in messages as pages show them: "20 Nov 2026"
        closed_on = i18n.format_date(TODAY - datetime.timedelta(days=10))
    assert f"The call closed on {closed_on}: applications can no longer be submitted" in problems(refused.text)
    assert Application.get_by_id(application.id).status == "draft"


def test_other_municipalities_see_nothing(platform, people):
    programme = make_programme(platform, copenhagen.SOCIAL_PARTNERSHIPS, "0101")
    admin = people(ADMIN)
    call_id = open_call(admin, programme)
    outsider = people("roskilde-admin@partnerskab.test")
    # the call is public, its applications are not; another municipality cannot open calls here
    assert "Applications</h2>" not in outsider.get(f"/calls/{call_id}")
    response = outsider.post("/calls/new", "/calls/new", {"programme": str(programme.id), "title": "x",
                                                          "opens_on": TODAY.isoformat(),
                                                          "closes_on": TODAY.isoformat()}, expect=400)
    assert "Choose a programme you manage" in response.text
    with db.connection():
        assert Programme.get_by_id(programme.id).calls.count() == 1


def test_the_agreement_page_tells_one_truth_about_the_post(people):
    """IF Stadion's post is empty in the demo. A resource person's login for the club does not
    fill it: the page says the post is empty, names the login as a login, and offers to record
    that person in the post (the form prefilled)."""
    login = make_account("resource_person", organisation="if-stadion", name="Ida Login")
    with db.connection():
        agreement = Agreement.select().join(Programme).where(Programme.slug == "kobenhavn-sociale-partnerskaber",
                                                              Agreement.organisation == _org_id("if-stadion")).get()
    page = people(ADMIN).get(f"/agreements/{agreement.id}")
    post = text_of(page.split('id="current-resource-person">')[1].split("</dd>")[0])
    assert post.startswith("The post is empty")
    assert "Ida Login has a resource person's login for the organisation, but nobody has recorded them" in post
    assert "<dt>Resource person's login</dt><dd>Ida Login" in page
    assert "<dt>Resource person</dt>" not in page  # no second, contradicting "resource person"
    assert 'id="rp-name" name="name" value="Ida Login"' in page and f'value="{login}"' in page


def _org_id(slug):
    from core.models.organisation import Organisation
    return Organisation.get(Organisation.slug == slug).id
