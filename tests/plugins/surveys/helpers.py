"""A survey of a fresh network, made and answered through the surveys' rules."""
from __future__ import annotations

import datetime

from core import db
from plugins.surveys import questions as q, rules
from plugins.surveys.models import Survey, SurveyInvitation, SurveyQuestion

TODAY = datetime.date.today()
QUESTIONS = [
    {"key": "samarbejde", "kind": "single", "text": "How does the collaboration work?", "required": "on",
     "options": "godt = Well\nmest = Mostly well\ndaarligt = Badly"},
    {"key": "udfordringer", "kind": "multiple", "text": "Your biggest challenges?",
     "options": "foraeldre = Involving parents\nfrivillige = Recruiting volunteers\nfastholdelse = Retention"},
    {"key": "flere", "kind": "yes_no", "text": "More vulnerable young people?"},
    {"key": "tilfreds", "kind": "scale", "text": "How satisfied are you?", "scale_min": "1", "scale_max": "5"},
    {"key": "timer", "kind": "number", "text": "Hours a week?"},
    {"key": "kommentar", "kind": "text", "text": "Anything else?"},
    {"key": "succes", "kind": "matrix", "text": "Success per focus area?", "rows": "io1 = Organisation\nio2 = Volunteers",
     "options": "stor = Great\nlille = Small"},
]


def make_survey(platform, network, *, anonymous: bool = True, year: int | None = None, series: str = "aarlig",
                questions=QUESTIONS, copy_from: Survey | None = None, open_it: bool = True) -> Survey:
    with db.connection():
        survey = rules.create_survey(network.programme, {
            "series": series, "year": str(year or TODAY.year), "title": f"Test survey {year or TODAY.year}",
            "anonymous": "on" if anonymous else ""}, "test", copy_from=copy_from)
        if copy_from is None:
            for question in questions:
                rules.save_question(platform, survey, question, "test")
        if open_it:
            rules.open_survey(platform, Survey.get_by_id(survey.id), "test", "http://127.0.0.1")
        return Survey.get_by_id(survey.id)


def answer(survey: Survey, organisation, given: dict) -> str:
    """Answer for ``organisation`` (a JSON-like dict, keyed by question key); returns the response key."""
    with db.connection():
        survey = Survey.get_by_id(survey.id)
        asked = list(SurveyQuestion.select().where(SurveyQuestion.survey == survey.id))
        invitation = SurveyInvitation.get(SurveyInvitation.survey == survey.id,
                                          SurveyInvitation.organisation == organisation.id)
        return rules.submit_response(survey, invitation, q.JsonForm(asked, given), "test").id
