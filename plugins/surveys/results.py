"""Results of a survey, while it is open and after: the response rate, and per question its
figures and a chart; a breakdown by the answer to another question; and the same questions year
on year, matched by key.

Counting: a share is of the *respondents who answered the question*, never of the answers
given — in a multiple choice a respondent who ticks three options counts once in each, so the
shares may add up to more than 100 %. A matrix counts each row the same way.

Privacy: a group of a breakdown with fewer than ``MIN_GROUP`` respondents is hidden (its
figures could point at an association), and so are an anonymous survey's results until that
many have answered. Every function reads a fixed number of queries, whatever the number of
respondents or questions (all answers of a survey in one query).
"""
from __future__ import annotations

import dataclasses
import statistics
from collections import defaultdict

from core import i18n
from core.i18n import gettext as _
from core.web import svg_charts
from core.web.charts import nice_step
from plugins.surveys import questions as q
from plugins.surveys.models import Survey, SurveyAnswer, SurveyInvitation, SurveyQuestion, SurveyResponse

MIN_GROUP = 5


@dataclasses.dataclass
class Option:
    key: str
    label: str
    count: int
    share: float          # per cent of the respondents to the question (or the matrix row)


@dataclasses.dataclass
class MatrixRow:
    key: str
    label: str
    respondents: int
    options: list[Option]


@dataclasses.dataclass
class Result:
    question: SurveyQuestion
    respondents: int
    options: list[Option] = dataclasses.field(default_factory=list)
    rows: list[MatrixRow] = dataclasses.field(default_factory=list)
    numbers: dict = dataclasses.field(default_factory=dict)
    bins: list[Option] = dataclasses.field(default_factory=list)
    texts: list[str] = dataclasses.field(default_factory=list)
    chart: object = None


@dataclasses.dataclass
class Rate:
    invited: int
    answered: int

    @property
    def share(self) -> float:
        return 100 * self.answered / self.invited if self.invited else 0.0


def questions_of(survey_ids: list[int]) -> list[SurveyQuestion]:
    return list(SurveyQuestion.select().where(SurveyQuestion.survey.in_(survey_ids or [0]))
                .order_by(SurveyQuestion.survey, SurveyQuestion.position, SurveyQuestion.id))


def answers_of(survey_ids: list[int]) -> dict[int, dict[str, list[SurveyAnswer]]]:
    """Question id -> response key -> its answer rows, for every survey named (one query)."""
    found: dict[int, dict[str, list[SurveyAnswer]]] = defaultdict(lambda: defaultdict(list))
    query = (SurveyAnswer.select(SurveyAnswer).join(SurveyResponse)
             .where(SurveyResponse.survey.in_(survey_ids or [0]))
             .order_by(SurveyAnswer.response, SurveyAnswer.question, SurveyAnswer.item))
    for answer in query:
        found[answer.question_id][answer.response_id].append(answer)
    return found


def respondents_of(survey_ids: list[int]) -> dict[int, int]:
    """Survey id -> how many responses (one query)."""
    from peewee import fn
    return {survey_id: count for survey_id, count in
            SurveyResponse.select(SurveyResponse.survey, fn.COUNT(SurveyResponse.id))
            .where(SurveyResponse.survey.in_(survey_ids or [0])).group_by(SurveyResponse.survey).tuples()}


def rate(survey: Survey) -> Rate:
    from peewee import Case, fn
    invited, answered = (SurveyInvitation.select(fn.COUNT(SurveyInvitation.id),
                                                 fn.SUM(Case(None, ((SurveyInvitation.answered == True, 1),), 0)))  # noqa: E712
                         .where(SurveyInvitation.survey == survey.id).tuples().get())
    return Rate(int(invited or 0), int(answered or 0))


def rates(survey_ids: list[int]) -> dict[int, Rate]:
    """Survey id -> its response rate (one grouped query for every survey named)."""
    from peewee import Case, fn
    query = (SurveyInvitation.select(SurveyInvitation.survey, fn.COUNT(SurveyInvitation.id),
                                     fn.SUM(Case(None, ((SurveyInvitation.answered == True, 1),), 0)))  # noqa: E712
             .where(SurveyInvitation.survey.in_(survey_ids or [0])).group_by(SurveyInvitation.survey).tuples())
    return {survey_id: Rate(int(invited or 0), int(answered or 0)) for survey_id, invited, answered in query}


def visible(survey: Survey, respondents: int) -> bool:
    """An anonymous survey shows its results from ``MIN_GROUP`` respondents on."""
    return not survey.anonymous or respondents >= MIN_GROUP


def _share(count: int, of: int) -> float:
    return round(100 * count / of, 1) if of else 0.0


def result(question: SurveyQuestion, by_response: dict[str, list[SurveyAnswer]],
           only: set[str] | None = None) -> Result:
    """The figures of one question over the responses (``only``: a breakdown's group)."""
    answered = {key: rows for key, rows in by_response.items() if rows and (only is None or key in only)}
    respondents = len(answered)
    found = Result(question, respondents)
    if question.kind in ("single", "yes_no", "multiple", "scale"):
        counts: dict[str, int] = defaultdict(int)
        for rows in answered.values():
            for key in {str(row.number) if question.kind == "scale" else row.choice for row in rows}:
                counts[key] += 1  # once per respondent, however many options they ticked
        found.options = [Option(key, label, counts.get(key, 0), _share(counts.get(key, 0), respondents))
                         for key, label in q.choices(question)]
        if question.kind == "scale":
            values = sorted(row.number for rows in answered.values() for row in rows if row.number is not None)
            found.numbers = _summary(values)
    elif question.kind == "matrix":
        options = question.option_pairs
        for row_key, row_label in question.row_pairs:
            chosen = [row.choice for rows in answered.values() for row in rows if row.item == row_key]
            found.rows.append(MatrixRow(row_key, row_label, len(chosen),
                                        [Option(key, label, chosen.count(key), _share(chosen.count(key), len(chosen)))
                                         for key, label in options]))
    elif question.kind == "number":
        values = sorted(row.number for rows in answered.values() for row in rows if row.number is not None)
        found.numbers = _summary(values)
        found.bins = _bins(values)
    elif question.kind == "text":
        found.texts = [row.text for key in sorted(answered) for row in answered[key] if row.text]
    return found


def _summary(values: list[int]) -> dict:
    if not values:
        return {}
    return {"n": len(values), "sum": sum(values), "mean": round(statistics.fmean(values), 1),
            "median": statistics.median(values), "min": values[0], "max": values[-1]}


def _bins(values: list[int], count: int = 5) -> list[Option]:
    """Respondents per range of round width (0–99, 100–199, …)."""
    if not values:
        return []
    step = nice_step(max((values[-1] - values[0]) / count, 1))
    start = step * (values[0] // step)
    bins = []
    edge = start
    while edge <= values[-1]:
        inside = sum(1 for value in values if edge <= value < edge + step)
        label = f"{i18n.format_number(edge)}–{i18n.format_number(edge + step - 1)}" if step > 1 \
            else i18n.format_number(edge)
        bins.append(Option(str(edge), label, inside, _share(inside, len(values))))
        edge += step
    return bins


def chart(found: Result, chart_title: str):
    """The question's chart (None for a free text, or when nobody answered it)."""
    question = found.question
    if found.respondents == 0:
        return None
    if found.options:
        return svg_charts.bar_chart([(option.label, [option.share]) for option in found.options],
                                    title=chart_title, axis_title=_("Share of the respondents to the question"),
                                    format_value=svg_charts.percent, maximum=100)
    if found.rows:
        return svg_charts.bar_chart([(row.label, [option.share for option in row.options]) for row in found.rows],
                                    series=[label for _key, label in question.option_pairs], title=chart_title,
                                    axis_title=_("Share of the respondents to the row"),
                                    format_value=svg_charts.percent, maximum=100)
    if found.bins:
        return svg_charts.bar_chart([(option.label, [option.count]) for option in found.bins], title=chart_title,
                                    axis_title=_("Respondents"))
    return None


@dataclasses.dataclass
class Results:
    survey: Survey
    rate: Rate
    respondents: int
    visible: bool
    results: list[Result]


def survey_results(survey: Survey) -> Results:
    """The whole survey's results (four queries)."""
    asked = questions_of([survey.id])
    answers = answers_of([survey.id])
    respondents = respondents_of([survey.id]).get(survey.id, 0)
    shown = visible(survey, respondents)
    found = []
    if shown:
        for question in asked:
            one = result(question, answers.get(question.id, {}))
            one.chart = chart(one, question.text)
            found.append(one)
    return Results(survey, rate(survey), respondents, shown, found)


# --- a breakdown -------------------------------------------------------------------------------

@dataclasses.dataclass
class Group:
    key: str
    label: str
    respondents: int
    hidden: bool
    results: list[Result]


def breakdown(survey: Survey, by_key: str) -> tuple[SurveyQuestion | None, list[Group]]:
    """The other questions' results per answer to the question ``by_key`` (a single choice or
    yes/no); a group of fewer than ``MIN_GROUP`` respondents is hidden (three queries)."""
    asked = questions_of([survey.id])
    by = next((question for question in asked if question.key == by_key and question.kind in q.CHOICE_KINDS), None)
    if by is None:
        return None, []
    answers = answers_of([survey.id])
    members: dict[str, set[str]] = defaultdict(set)
    for response, rows in answers.get(by.id, {}).items():
        for row in rows:
            members[row.choice].add(response)
    groups = []
    for key, label in q.choices(by):
        inside = members.get(key, set())
        hidden = len(inside) < MIN_GROUP
        found = []
        if not hidden:
            for question in asked:
                if question.id == by.id:
                    continue
                one = result(question, answers.get(question.id, {}), only=inside)
                one.chart = chart(one, f"{question.text} – {label}")
                found.append(one)
        groups.append(Group(key, label, len(inside), hidden, found))
    return by, groups


# --- year on year --------------------------------------------------------------------------------

@dataclasses.dataclass
class Year:
    survey: Survey
    respondents: int
    hidden: bool
    result: Result | None


@dataclasses.dataclass
class Comparison:
    key: str
    question: SurveyQuestion      # this year's wording
    years: list[Year]
    options: list[tuple[str, str]]  # every option key seen in any year, with its newest label
    chart: object = None

    def share(self, year: Year, option_key: str) -> float | None:
        """The share of an option in a year; None when the year did not ask it (a gap)."""
        if year.result is None:
            return None
        for option in year.result.options:
            if option.key == option_key:
                return option.share
        return None


def compare(survey: Survey) -> list[Comparison]:
    """This survey's questions beside the same keys in the series' other years (four queries)."""
    series = list(Survey.select().where(Survey.programme == survey.programme_id, Survey.series == survey.series,
                                        Survey.status != "draft").order_by(Survey.year))
    if survey.id not in {s.id for s in series}:
        series.append(survey)
        series.sort(key=lambda s: s.year)
    ids = [s.id for s in series]
    asked = questions_of(ids)
    answers = answers_of(ids)
    respondents = respondents_of(ids)
    by_survey_key = {(question.survey_id, question.key): question for question in asked}
    comparisons = []
    for question in (question for question in asked if question.survey_id == survey.id):
        years, options = [], {}
        for other in series:
            same = by_survey_key.get((other.id, question.key))
            n = respondents.get(other.id, 0)
            hidden = not visible(other, n)
            found = None
            if same is not None and not hidden and same.kind == question.kind:
                found = result(same, answers.get(same.id, {}))
                for key, label in q.choices(same):
                    options[key] = label
            years.append(Year(other, n, hidden, found))
        for key, label in q.choices(question):  # this year's words win
            options[key] = label
        comparison = Comparison(question.key, question, years, list(options.items()))
        comparison.chart = _compare_chart(comparison)
        comparisons.append(comparison)
    return comparisons


def _compare_chart(comparison: Comparison):
    question = comparison.question
    years = [year for year in comparison.years]
    if len(years) < 2:
        return None
    if question.kind in ("single", "yes_no", "multiple", "scale"):
        return svg_charts.bar_chart(
            [(label, [comparison.share(year, key) for year in years]) for key, label in comparison.options],
            series=[str(year.survey.year) for year in years], title=question.text,
            axis_title=_("Share of the respondents to the question"), format_value=svg_charts.percent, maximum=100)
    if question.kind in ("number",):
        return svg_charts.bar_chart(
            [(str(year.survey.year), [year.result.numbers.get("mean") if year.result and year.result.numbers else None])
             for year in years], title=question.text, axis_title=_("Mean"))
    return None


__all__ = ["MIN_GROUP", "breakdown", "compare", "rate", "survey_results", "visible"]
