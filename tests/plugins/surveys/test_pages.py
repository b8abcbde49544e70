"""Surveys over real HTTP: associations answer through the form, and afterwards no table of the
whole database links a response of an anonymous survey to an organisation or a person; the
results, the export (one row per response) and the year-on-year page; tenancy; and query
counts that do not grow with the number of responses."""
from __future__ import annotations

import csv
import io
import json
import re

from playhouse.test_utils import count_queries

from core import db
from core.db import is_postgres
from plugins.surveys.models import Survey, SurveyAnswer, SurveyInvitation, SurveyResponse
from tests.core.views._lifecycle import make_account, people, text_of
from tests.plugins.network import make_network
from tests.plugins.surveys.helpers import answer, make_survey

__all__ = ["people"]
TICKS = [["foraeldre", "frivillige"], ["foraeldre"], ["fastholdelse"], ["foraeldre", "fastholdelse"], []]


def _answer_by_form(person, survey_id: int, n: int) -> None:
    page = f"/surveys/{survey_id}/answer"
    data = {"q-samarbejde": ["godt", "mest", "godt", "daarligt", "godt"][n], "q-udfordringer": TICKS[n],
            "q-flere": "yes", "q-tilfreds": str(1 + n), "q-timer": str(10 * n), "q-kommentar": f"Svar nummer {n}",
            "q-succes-io1": "stor", "q-succes-io2": "lille"}
    token = person.token(person.get(page))
    response = person.client.post(page, data={**data, "csrf_token": token})
    assert response.status_code == 303, text_of(response.text)[:800]
    assert "has answered this survey" in text_of(person.get(page))


def _every_value_in_the_database() -> dict[str, list[tuple]]:
    found = {}
    for table in db.database.get_tables():
        cursor = db.database.execute_sql(f'SELECT * FROM "{table}"')
        found[table] = [tuple(str(value) for value in row) for row in cursor.fetchall()]
    return found


def test_an_anonymous_survey_knows_who_answered_but_not_what(platform, people):
    network = make_network(platform, 5)
    survey = make_survey(platform, network, anonymous=True)
    for n, email in enumerate(network.people):
        _answer_by_form(people(email, network.password), survey.id, n)
    with db.connection():
        invitations = list(SurveyInvitation.select().where(SurveyInvitation.survey == survey.id))
        assert len(invitations) == 5 and all(invitation.answered for invitation in invitations)
        responses = list(SurveyResponse.select().where(SurveyResponse.survey == survey.id))
        assert len(responses) == 5 and all(response.organisation_id is None for response in responses)
        assert all(re.fullmatch(r"[0-9a-f]{32}", response.id) for response in responses), "random keys, no counter"
        # the response and its answers have no time, no order, no organisation and no person
        assert set(SurveyResponse._meta.columns) == {"id", "survey_id", "organisation_id"}
        assert set(SurveyAnswer._meta.columns) == {"response_id", "question_id", "item", "choice", "number", "text"}
        assert "answered_at" not in SurveyInvitation._meta.columns
        if is_postgres():  # every row carries the newest answer's transaction and sits in the keys' order
            for table, where in (("survey_response", "survey_id = %s"),
                                 ("survey_answer", "response_id IN (SELECT id FROM survey_response WHERE survey_id = %s)")):
                stamps = db.database.execute_sql(f"SELECT DISTINCT xmin::text FROM {table} WHERE {where}",
                                                 (survey.id,)).fetchall()
                assert len(stamps) == 1, f"{table}: the transaction stamps tell the answers apart"
            stored = [row[0] for row in db.database.execute_sql(
                "SELECT id FROM survey_response WHERE survey_id = %s ORDER BY ctid", (survey.id,)).fetchall()]
            assert stored == sorted(stored), "the storage order is the random keys'"
        else:
            schema = db.database.execute_sql("SELECT sql FROM sqlite_master WHERE name = 'survey_response'").fetchone()[0]
            assert "WITHOUT ROWID" in schema.upper(), "not even SQLite's storage order follows the answers"
        # read every table: a response key appears only in the response and answer tables
        keys = {response.id for response in responses}
        for table, rows in _every_value_in_the_database().items():
            holding = [row for row in rows if any(key in value for value in row for key in keys)]
            if table not in ("survey_response", "survey_answer"):
                assert not holding, f"{table} links a response: {holding[:2]}"
        # the audit log says that an association answered, never what
        answered = [json.loads(entry.after) for entry in _audit("survey.answer", invitations)]
        assert len(answered) == 5
        for entry in answered:
            assert set(entry) == {"survey", "organisation", "anonymous"}
        texts = {answer.text for answer in SurveyAnswer.select().where(SurveyAnswer.text != "")}
        everything = json.dumps(_every_value_in_the_database(), ensure_ascii=False)
        assert "Svar nummer 3" in texts and everything.count("Svar nummer 3") == 1, "the text lives only in its answer"


def _audit(action, invitations):
    from core.models import AuditEntry
    return AuditEntry.select().where(AuditEntry.action == action, AuditEntry.object_type == "surveyinvitation",
                                     AuditEntry.object_id.in_([str(i.id) for i in invitations]))


def test_results_export_and_year_on_year_pages(platform, people):
    network = make_network(platform, 5)
    survey = make_survey(platform, network, anonymous=True)
    for n, email in enumerate(network.people):
        _answer_by_form(people(email, network.password), survey.id, n)
    staff = people(network.staff, network.password)
    page = staff.get(f"/surveys/{survey.id}/results")
    assert "5 of 5 invited associations answered (100" in text_of(page)
    table = re.search(r"Answers to: Your biggest challenges\?</caption>(.*?)</table>", page, re.S).group(1)
    counts = {text_of(label).strip(): text_of(rest) for label, rest in
              re.findall(r'<th scope="row">(.*?)</th>(.*?)</tr>', table, re.S)}
    # 4 respondents ticked something: parents 3 of 4, volunteers 1, retention 2
    assert counts["Involving parents"].split()[0] == "3" and "75" in counts["Involving parents"]
    assert counts["Retention"].split()[0] == "2" and "50" in counts["Retention"]
    assert "4 respondents answered it" in text_of(page)
    breakdown = text_of(staff.get(f"/surveys/{survey.id}/results?by=samarbejde"))
    assert "Hidden: fewer than 5 respondents." in breakdown
    response = staff.client.get(f"/surveys/{survey.id}/responses.csv?dialect=machine")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert len(rows) == 6, "a header and one row per response"
    assert "Organisation" not in rows[0], "an anonymous survey's export names nobody"
    assert any("Svar nummer 2" in row for row in rows[1:])
    xlsx = staff.client.get(f"/surveys/{survey.id}/responses.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    compare = text_of(staff.get(f"/surveys/{survey.id}/compare"))
    assert "Your biggest challenges?" in compare
    # an association's person sees neither results nor export
    person = people(network.people[0], network.password)
    assert person.client.get(f"/surveys/{survey.id}/results").status_code in (403, 404)
    assert person.client.get(f"/surveys/{survey.id}/responses.csv").status_code in (403, 404)


def test_another_tenant_finds_no_survey_and_an_uninvited_association_cannot_answer(platform, people):
    network = make_network(platform, 1)
    survey = make_survey(platform, network, anonymous=False)
    outsider = people(make_account("municipality_admin", municipality="0265"), network.password)
    for path in ("", "/results", "/compare", "/responses.csv", "/answer"):
        assert outsider.client.get(f"/surveys/{survey.id}{path}").status_code == 404, path
    stranger_network = make_network(platform, 1)
    stranger = people(stranger_network.people[0], network.password)
    assert stranger.client.get(f"/surveys/{survey.id}/answer").status_code == 404


def test_the_results_page_query_count_does_not_grow_with_the_responses(platform, people):
    network = make_network(platform, 12)
    survey = make_survey(platform, network, anonymous=False)
    staff = people(network.staff, network.password)

    def counts() -> list[int]:
        found = []
        for path in (f"/surveys/{survey.id}/results", f"/surveys/{survey.id}/results?by=samarbejde",
                     f"/surveys/{survey.id}/compare", f"/surveys/{survey.id}", "/surveys",
                     f"/surveys/{survey.id}/responses.csv"):
            staff.client.get(path)
            with count_queries() as counter:
                assert staff.client.get(path).status_code == 200, path
            found.append(counter.count)
        return found

    full = {"samarbejde": "godt", "udfordringer": ["foraeldre", "frivillige"], "flere": "no", "tilfreds": 3,
            "timer": 12, "kommentar": "Tak", "succes": {"io1": "stor", "io2": "stor"}}
    for organisation in network.organisations[:2]:
        answer(survey, organisation, full)
    small = counts()
    for organisation in network.organisations[2:]:
        answer(survey, organisation, full)
    assert counts() == small
    with db.connection():
        assert Survey.get_by_id(survey.id).status == "open"
