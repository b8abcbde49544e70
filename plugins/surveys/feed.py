"""Closed surveys' results as a federation feed kind: per survey and question, how many
respondents chose each option (single and multiple choice, yes/no, scale; a matrix per row).
Free texts and numbers never leave the instance. A count from 1 to 4 is suppressed, and so is
what would reveal it (``plugins.federation.suppression``: in a question where the options add
up to the respondents, a single hidden count could be worked out, so another is hidden too);
an anonymous survey with fewer than 5 respondents publishes nothing."""
from __future__ import annotations

from core.i18n import lazy_gettext as _
from core.models.municipality import Municipality
from core.models.programme import Programme
from plugins.surveys import questions as q, results
from plugins.surveys.models import Survey

KIND = "survey_results"


def compute() -> dict:
    from plugins.federation.suppression import is_small, suppress_table
    surveys = list(Survey.select(Survey, Programme, Municipality).join(Programme).join(Municipality)
                   .where(Survey.status == "closed", Programme.deleted_at.is_null()))
    ids = [survey.id for survey in surveys]
    asked = results.questions_of(ids)
    answers = results.answers_of(ids)
    respondents = results.respondents_of(ids)
    by_survey = {survey.id: survey for survey in surveys}
    published = {}
    for question in asked:
        survey = by_survey[question.survey_id]
        if question.kind not in ("single", "yes_no", "multiple", "scale", "matrix"):
            continue
        if not results.visible(survey, respondents.get(survey.id, 0)):
            continue
        found = results.result(question, answers.get(question.id, {}))
        lines = [("", "", found.respondents, found.options)] if found.options else \
            [(row.key, row.label, row.respondents, row.options) for row in found.rows]
        for row_key, row_label, base, options in lines:
            if question.kind == "multiple":  # shares of respondents: cells do not add up to a total
                cells = {option.key: (None if is_small(option.count) else option.count) for option in options}
                total = None if is_small(base) else base
            else:
                table = suppress_table({("q", option.key): option.count for option in options}, {"q": base})
                cells = {key: cell.value for (_row, key), cell in table.cells.items()}
                total = table.row_totals["q"].value
            municipality = survey.programme.municipality
            key = f"{municipality.code}:{survey.programme.slug}:{survey.series}:{survey.year}:{question.key}" + \
                (f":{row_key}" if row_key else "")
            published[key] = (municipality.id, {
                "municipality": {"code": municipality.code, "name": municipality.name},
                "programme_type": survey.programme.programme_type, "series": survey.series, "year": survey.year,
                "question": question.key, "kind": question.kind, "text": question.text[:500],
                "row": row_key, "row_label": row_label[:200], "respondents": total,
                "options": [{"key": option.key, "label": option.label[:200], "count": cells.get(option.key),
                             "suppressed": cells.get(option.key) is None} for option in options]})
    return published


def validate(data: dict) -> dict:
    from plugins.federation import kinds as k
    from plugins.federation.suppression import THRESHOLD, is_small
    kind = k.choice(data, "kind", ("single", "yes_no", "multiple", "scale", "matrix"))
    respondents = k.integer(data, "respondents", required=False)
    options = data.get("options")
    if not isinstance(options, list) or len(options) > 60:
        raise k.Invalid("options: expected a list")
    checked = []
    for option in options:
        if not isinstance(option, dict):
            raise k.Invalid("options: expected objects")
        count = k.integer(option, "count", required=False)
        if is_small(count) or is_small(respondents):
            raise k.Invalid(f"count: below {THRESHOLD} and not suppressed")
        checked.append({"key": k.text(option, "key", 40), "label": k.text(option, "label", 200),
                        "count": count, "suppressed": count is None})
    return {"municipality": k.municipality(data), "programme_type": k.text(data, "programme_type", 80),
            "series": k.text(data, "series", 60), "year": k.integer(data, "year", minimum=1900, maximum=9999),
            "question": k.text(data, "question", 40), "kind": kind, "text": k.text(data, "text", 500),
            "row": k.text(data, "row", 40, required=False), "row_label": k.text(data, "row_label", 200, required=False),
            "respondents": respondents, "options": checked}


def facets(data: dict) -> dict:
    return {"municipality_code": data["municipality"]["code"], "municipality_name": data["municipality"]["name"],
            "programme_type": data["programme_type"], "category": data["question"][:40], "year": data["year"],
            "value": data["respondents"], "suppressed": data["respondents"] is None}


def kind():
    from plugins.federation.aggregates import aggregate_kind
    return aggregate_kind(KIND, _("Survey results"),
                          _("Closed surveys: per question, how many respondents chose each answer. Free texts and "
                            "numbers are never shared; counts from 1 to 4 are suppressed, and so is what would "
                            "reveal them."),
                          compute, validate, facets)
