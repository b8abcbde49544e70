"""Roskilde's social partnership associations over HTTP. The real programme ended in 2023, so a
call on it is refused with a message; the lifecycle runs on a programme of the same type (its
fixed 2021–2023 period), with a new association's board member applying (so RBBC's network
stays as the source gives it) and the demo municipality administrator deciding: the agreement
takes the fixed period, and resource persons must work 10–12 hours a week."""
from __future__ import annotations

import datetime

from core import db
from core.models.agreement import Agreement
from core.models.programme import Programme
from plugins import roskilde
from tests.core.views._lifecycle import (PASSWORD, TODAY, make_account, make_organisation, make_programme, open_call,
                                         people, problems, start_application, status_of, unique)

__all__ = ["people"]
ADMIN = "roskilde-admin@partnerskab.test"


def test_a_call_on_the_ended_programme_is_refused(people):
    admin = people(ADMIN)
    with db.connection():
        programme = Programme.get(Programme.slug == "roskilde-sociale-partnerskabsforeninger")
    refused = admin.post("/calls/new", "/calls/new", {
        "programme": str(programme.id), "title": unique("Late round"), "opens_on": TODAY.isoformat(),
        "closes_on": (TODAY + datetime.timedelta(days=5)).isoformat()}, expect=400)
    assert "The programme ends on 31 Dec 2023, before the call would open" in problems(refused.text)


def test_roskilde_lifecycle_to_the_agreement(platform, people):
    programme = make_programme(platform, roskilde.TYPE_KEY, "0265", start=datetime.date(2021, 1, 1))
    rbbc = make_organisation(platform, "Testforening Roskilde", "0265")
    admin, board = people(ADMIN), people(make_account("board_member", organisation=rbbc.slug), PASSWORD)
    call_id = open_call(admin, programme, questions="")
    application_id = start_application(board, call_id, rbbc)
    path = f"/applications/{application_id}"
    refused = board.post(path, path, {"contact_email": "kontakt@rbbc.example",
                                      "criterion:adult_education_association": "yes",
                                      "criterion:new_to_association_life": "", "action": "submit"}, expect=400)
    assert ("Answer the question: How will you welcome and keep children and young people who are new to "
            "association life?") in problems(refused.text)
    board.post(path, path, {"contact_email": "kontakt@rbbc.example", "criterion:adult_education_association": "yes",
                            "criterion:new_to_association_life": "Open training sessions", "action": "submit"})
    assert status_of(board, application_id) == "Submitted"
    assert path in admin.get("/todo")
    response = admin.post(path, f"{path}/decide", {"decision": "accept", "reason": "Chosen among qualified applicants"})
    agreement_path = response.headers["location"]
    with db.connection():
        agreement = Agreement.get(Agreement.application == application_id)
        assert (agreement.start_date, agreement.end_date) == (datetime.date(2021, 1, 1), datetime.date(2023, 12, 31))
        assert agreement.cohort == 2021
    assert "Chosen among qualified applicants" in board.get(path)

    person = {"name": "Ali Hassan", "hours_per_week": "14", "started_on": "2021-01-01", "adult": "yes"}
    refused = board.post(agreement_path, f"{agreement_path}/resource-person", person, expect=400)
    assert "The programme asks for 10–12 hours a week, not 14" in problems(refused.text)
    refused = board.post(agreement_path, f"{agreement_path}/resource-person", {**person, "hours_per_week": "12",
                                                                                "adult": ""}, expect=400)
    assert "Confirm that the resource person is an adult" in problems(refused.text)
    board.post(agreement_path, f"{agreement_path}/resource-person", {**person, "hours_per_week": "12"})
    board.post(agreement_path, f"{agreement_path}/resource-person/end",
               {"ended_on": "2022-06-30", "handover_note": "Keys are with the caretaker."})
    kit = board.get(agreement_path)
    assert "Keys are with the caretaker." in kit and "The post is empty" in kit
    # the fixed period cannot be extended
    admin.post(agreement_path, f"{agreement_path}/extend", {"new_end": "2024-12-31", "reason": "more"}, expect=400)
