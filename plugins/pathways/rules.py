"""The rules of pathway counts, in one place: what a partner may record for a period, that the
flows add up, and the coordinator's check. Everything is checked before anything is written,
inside one transaction that locks the programme, so a refusal writes nothing and two people
saving at once cannot interleave.

The flows of one partner add up from period to period. At a step in a period are those who were
there at its start (carried over: everyone who entered the step in earlier periods and has not
moved on or left) and those who entered during it. So:

* moved on + left ≤ at the step (nobody leaves a step twice, nobody who was never there);
* moved on from step n ≤ entered step n + 1 in the same period (whoever moves on enters the next
  step; the next step may also have entries of its own);
* nobody moves on from the last step.

A correction of an earlier period changes what later periods carry over, so the whole chain is
checked again: a correction that would leave a later report inconsistent is refused, naming it.
Counts are whole numbers from 0 to ``MAX_COUNT``.
"""
from __future__ import annotations

import dataclasses
import datetime

from core import authz, clock, inputs
from core.db import database, is_postgres
from core.i18n import Message
from core.models import audit
from core.models.membership import Membership
from core.models.programme import Programme
from core.rules.errors import Collector, Problem, RuleViolation
from core.scope import scope_of
from plugins.pathways import periods
from plugins.pathways.models import CHECKED, SUBMITTED, PathwayCount, PathwayReport
from plugins.pathways.steps import MEASURES, Pathway, pathway_of

MAX_COUNT = 100_000
REPORT = "pathways.report"
CHECK = "pathways.check"
READ = "pathways.read"


@dataclasses.dataclass(frozen=True)
class Flow:
    entered: int = 0
    moved_on: int = 0
    left: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"entered": self.entered, "moved_on": self.moved_on, "left": self.left}


def field_name(step: str, measure: str) -> str:
    """The form field (and API error field) of one count: ``participant-moved_on``."""
    return f"{step}-{measure}"


def measures_of(pathway: Pathway, step: str) -> tuple[str, ...]:
    """The counts asked at a step: nobody moves on from the last."""
    return ("entered", "left") if pathway.is_last(step) else MEASURES


def parse_counts(pathway: Pathway, raw: dict, problems: Collector) -> dict[str, Flow]:
    """The counts as typed (``{field_name: text or int}``), each a whole number from 0 to MAX_COUNT."""
    flows = {}
    for step in pathway.steps:
        numbers = {}
        for measure in MEASURES:
            name = field_name(step.key, measure)
            if measure not in measures_of(pathway, step.key):
                value = raw.get(name)
                if value not in (None, "", 0, "0"):
                    problems.add(name, "%(step)s is the last step: nobody moves on from it", step=step.name)
                numbers[measure] = 0
                continue
            numbers[measure] = inputs.parse_int(raw.get(name), name, problems, minimum=0, maximum=MAX_COUNT)
        flows[step.key] = Flow(*(numbers[m] or 0 for m in MEASURES))
    return flows


# --- the consistency of a partner's chain of periods ----------------------------------------------

@dataclasses.dataclass(frozen=True)
class Stock:
    """A step in a period: carried over from before, the flows, and who is still there at the end."""

    before: int
    flow: Flow

    @property
    def at_step(self) -> int:
        return self.before + self.flow.entered

    @property
    def after(self) -> int:
        return max(self.at_step - self.flow.moved_on - self.flow.left, 0)


def stocks(pathway: Pathway, chain: dict[periods.Period, dict[str, Flow]]) -> dict[periods.Period, dict[str, Stock]]:
    """Every period's steps with what they carry over, in period order (a period without a
    report carries everything over unchanged)."""
    carried = {key: 0 for key in pathway.keys}
    found = {}
    for period in sorted(chain):
        row = {}
        for key in pathway.keys:
            stock = Stock(carried[key], chain[period].get(key, Flow()))
            row[key] = stock
            carried[key] = stock.after
        found[period] = row
    return found


@dataclasses.dataclass(frozen=True)
class Inconsistency:
    period: periods.Period
    step: str
    field: str
    message: Message  # built where the rule is, with its message id written out (test_i18n_rules reads it)


def inconsistencies(pathway: Pathway, chain: dict[periods.Period, dict[str, Flow]]) -> list[Inconsistency]:
    found = []
    names = {step.key: step.name for step in pathway.steps}
    for period, row in stocks(pathway, chain).items():
        for index, key in enumerate(pathway.keys):
            stock, flow = row[key], row[key].flow
            if flow.moved_on + flow.left > stock.at_step:
                found.append(Inconsistency(period, key, field_name(key, "moved_on" if flow.moved_on else "left"),
                                           Message("%(step)s: moved on (%(moved_on)s) and left (%(left)s) add up to "
                                                   "more than the young people at the step in %(period)s: %(at)s "
                                                   "(%(before)s from before and %(entered)s who entered)",
                                                   step=names[key], moved_on=flow.moved_on, left=flow.left,
                                                   period=period, at=stock.at_step, before=stock.before,
                                                   entered=flow.entered)))
            if index + 1 < len(pathway.keys):
                following = pathway.keys[index + 1]
                if flow.moved_on > row[following].flow.entered:
                    found.append(Inconsistency(period, key, field_name(key, "moved_on"),
                                               Message("%(step)s: %(moved_on)s moved on, but only %(entered)s "
                                                       "entered the next step, %(next)s, in %(period)s: whoever "
                                                       "moves on enters the next step",
                                                       step=names[key], moved_on=flow.moved_on,
                                                       entered=row[following].flow.entered, next=names[following],
                                                       period=period)))
    return found


def chain_of(programme_id: int, organisation_id: int, kind: str) -> tuple[dict, dict]:
    """A partner's reports in a programme by period, and their counts as flows (two queries)."""
    reports = {}
    for report in PathwayReport.select().where(PathwayReport.programme == programme_id,
                                                PathwayReport.organisation == organisation_id):
        period = periods.parse(report.period, kind)
        if period is not None:
            reports[period] = report
    flows: dict[periods.Period, dict[str, Flow]] = {period: {} for period in reports}
    by_id = {report.id: period for period, report in reports.items()}
    if by_id:
        for count in PathwayCount.select().where(PathwayCount.report.in_(list(by_id))):
            flows[by_id[count.report_id]][count.step] = Flow(count.entered, count.moved_on, count.left)
    return reports, flows


# --- who may report for whom ------------------------------------------------------------------------

def partner_scopes(programme: Programme, organisation_ids) -> dict[int, object]:
    """The scope of a report of each organisation in the programme (no query: ``Scope`` objects)."""
    base = scope_of(programme)
    return {organisation_id: base.belonging_to(organisation_id) for organisation_id in organisation_ids}


def live_partner_ids(programme_id: int) -> list[int]:
    return [row[0] for row in Membership.select(Membership.organisation)
            .where(Membership.programme == programme_id, Membership.role == "partner",
                   Membership.deleted_at.is_null()).tuples()]


def may(actor: authz.Actor, action: str, programme: Programme, organisation_id: int) -> bool:
    return authz.can(actor, action, partner_scopes(programme, [organisation_id])[organisation_id])


# --- recording and checking ----------------------------------------------------------------------------

def _locked_programme(programme_id: int) -> Programme:
    query = Programme.select().where(Programme.id == programme_id, Programme.deleted_at.is_null())
    if is_postgres():  # SQLite already holds the database's write lock
        query = query.for_update()
    programme = query.first()
    if programme is None:
        raise RuleViolation.one("programme", "There is no programme %(value)s", value=str(programme_id))
    return programme


def record(platform, *, programme: Programme, organisation_id, period_key: str, raw_counts: dict,
           actor: authz.Actor, today: datetime.date | None = None, label: str | None = None) -> PathwayReport:
    """Record (or correct) one partner's counts for one period; returns the report. ``label``
    names the actor in the audit log when it is not a person (the demo data)."""
    today = today or datetime.date.today()
    pathway = pathway_of(platform.programme_types.get(programme.programme_type))
    if pathway is None:
        raise RuleViolation.one("period", "This programme's type declares no pathway")
    problems = Collector()
    period = periods.parse(period_key, pathway.period_kind)
    if period is None or period not in periods.reportable(programme, pathway.period_kind, today):
        problems.add("period", "Choose a period from the list")
    organisation_id = inputs.parse_id(organisation_id)
    if organisation_id is None or organisation_id not in live_partner_ids(programme.id) \
            or not may(actor, REPORT, programme, organisation_id):
        problems.add("organisation", "Choose an organisation from the list")
    flows = parse_counts(pathway, raw_counts, problems)
    problems.raise_if_any()
    with database.atomic():
        _locked_programme(programme.id)
        reports, chain = chain_of(programme.id, organisation_id, pathway.period_kind)
        before = chain.get(period)
        chain[period] = flows
        for problem in inconsistencies(pathway, chain):
            if problem.period == period:
                problems.problems.append(Problem(problem.field, problem.message))
            elif problem.period > period:
                problems.add("period", "With these counts, the report for %(later)s no longer adds up: %(problem)s. "
                                       "Change these counts, or correct that report first",
                             later=problem.period, problem=_Rendered(problem))
        problems.raise_if_any()
        report = reports.get(period)
        after = {key: flow.as_dict() for key, flow in flows.items()}
        if report is None:
            report = PathwayReport.create(programme=programme.id, organisation=organisation_id, period=period.key,
                                          status=SUBMITTED, revision=1, submitted_at=clock.now())
            action = "pathway.report"
        else:
            report.status, report.revision = SUBMITTED, report.revision + 1
            report.submitted_at, report.checked_at = clock.now(), None
            report.save()
            PathwayCount.delete().where(PathwayCount.report == report.id).execute()
            action = "pathway.correct"
        PathwayCount.insert_many([{"report": report.id, "step": key, **flow.as_dict()}
                                  for key, flow in flows.items()]).execute()
        audit.record(label or actor.label, action, report, scope=f"programme:{programme.id}",
                     before={key: flow.as_dict() for key, flow in before.items()} if before is not None else None,
                     after={"organisation": organisation_id, "period": period.key, "revision": report.revision,
                            "counts": after})
    return report


class _Rendered:
    """A problem of another period as a part of this one's message, in the reader's language when shown."""

    def __init__(self, problem: Inconsistency):
        self.problem = problem

    def __str__(self) -> str:
        return str(self.problem.message)


def check(platform, report: PathwayReport, actor: authz.Actor, label: str | None = None) -> PathwayReport:
    """The coordinator confirms a partner's counts for a period; only checked counts are shown
    beyond the partnership."""
    if not authz.can(actor, CHECK, report):
        raise RuleViolation.one("permission", "You may not check these counts")
    with database.atomic():
        _locked_programme(report.programme_id)
        fresh = PathwayReport.get_by_id(report.id)
        if fresh.status == CHECKED:
            raise RuleViolation.one("status", "These counts are checked already")
        fresh.status, fresh.checked_at = CHECKED, clock.now()
        fresh.save()
        audit.record(label or actor.label, "pathway.check", fresh, scope=f"programme:{fresh.programme_id}",
                     after={"organisation": fresh.organisation_id, "period": fresh.period, "revision": fresh.revision})
    return fresh
