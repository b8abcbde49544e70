"""A survey's responses as a table — one row per response — for the CSV and Excel downloads
(written by the core's writers: no formulas, Danish Excel by default).

A multiple choice is one column per option (1 ticked, 0 not, empty when the respondent skipped
the question); a matrix one column per row; the other kinds one column each. An anonymous
survey's rows carry no organisation and come in the order of their random keys; its table is
withheld until ``results.MIN_GROUP`` have answered, as its results are."""
from __future__ import annotations

from peewee import JOIN

from core.i18n import gettext as _
from core.models.organisation import Organisation
from plugins.surveys import questions as q, results
from plugins.surveys.models import Survey, SurveyResponse


def response_table(survey: Survey) -> tuple[list[str], list[list]] | None:
    asked = results.questions_of([survey.id])
    answers = results.answers_of([survey.id])
    responses = list(SurveyResponse.select(SurveyResponse.id, SurveyResponse.organisation, Organisation.name)
                     .join(Organisation, on=(SurveyResponse.organisation == Organisation.id), join_type=JOIN.LEFT_OUTER)
                     .where(SurveyResponse.survey == survey.id).order_by(SurveyResponse.id).tuples())
    if not results.visible(survey, len(responses)):
        return None
    columns = [_("Response")] + ([] if survey.anonymous else [_("Organisation")])
    for question in asked:
        if question.kind == "multiple":
            columns += [f"{question.key}: {label}" for _key, label in question.option_pairs]
        elif question.kind == "matrix":
            columns += [f"{question.key}: {label}" for _key, label in question.row_pairs]
        else:
            columns.append(question.key)
    rows = []
    for number, (response_id, _organisation_id, organisation_name) in enumerate(responses, 1):
        row: list = [number] + ([] if survey.anonymous else [organisation_name or ""])
        for question in asked:
            given = answers.get(question.id, {}).get(response_id, [])
            labels = dict(q.choices(question))
            if question.kind == "multiple":
                ticked = {answer.choice for answer in given}
                row += [("" if not given else int(key in ticked)) for key, _label in question.option_pairs]
            elif question.kind == "matrix":
                by_row = {answer.item: answer.choice for answer in given}
                row += [labels.get(by_row.get(key, ""), "") for key, _label in question.row_pairs]
            elif question.kind in ("single", "yes_no"):
                row.append(labels.get(given[0].choice, "") if given else "")
            elif question.kind in ("scale", "number"):
                row.append(given[0].number if given else None)
            else:
                row.append(given[0].text if given else "")
        rows.append(row)
    return columns, rows
