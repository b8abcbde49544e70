"""The action-plan rules: starting a plan, editing a version while it is a draft (or back with
feedback), submitting, feedback, approval, new versions, and status entries.

Every change checks the person with ``core.authz.can`` on the row, locks the plan (so two
people cannot move one plan's versions at once), checks the version's state inside that lock —
an approved or superseded version is never edited, whatever the form says — writes, and
audits, all in one transaction. A refusal is a ``RuleViolation`` (a state conflict on the
field ``status``, which the API answers 409) and nothing is written.
"""
from __future__ import annotations

import dataclasses
import datetime
import secrets
from typing import Any

from core import authz, clock
from core.db import database, is_postgres
from core.i18n import Message
from core.inputs import parse_int
from core.models.agreement import Agreement
from core.models.audit import record
from core.rules.errors import Collector, RuleViolation
from plugins.network_life import access
from plugins.network_life.config import DIRECTIONS, EDITABLE_STATES, OPEN_STATES, PROGRESS, settings_of
from plugins.network_life.models import (ActionPlan, PlanGoal, PlanIndicator, PlanStatus, PlanTarget, PlanVersion)

MIN_YEAR, MAX_YEAR = 2000, 2100
TARGET_MAX = 1_000_000_000
MAX_GOALS = 60
MAX_INDICATORS = 20


def new_key() -> str:
    return secrets.token_hex(6)


def scope_text(plan: ActionPlan) -> str:
    return f"organisation:{plan.agreement.organisation_id}"


def require(actor, action: str, row) -> None:
    if not authz.can(actor, action, row):
        raise RuleViolation.one("permission", "You may not do this")


def _lock_plan(plan_id: int) -> ActionPlan:
    query = ActionPlan.select().where(ActionPlan.id == plan_id)
    if is_postgres():  # SQLite already holds the write lock (BEGIN IMMEDIATE)
        query = query.for_update()
    plan = query.first()
    if plan is None:
        raise RuleViolation.one("plan", "There is no such action plan")
    return plan


def _fresh(version: PlanVersion) -> PlanVersion:
    """The version as it is now, inside the plan's lock."""
    _lock_plan(version.plan_id)
    return PlanVersion.get_by_id(version.id)


def _editable(actor, version: PlanVersion) -> PlanVersion:
    require(actor, access.PLAN_DRAFT, version)
    version = _fresh(version)
    if version.state not in EDITABLE_STATES:
        raise RuleViolation.one("status", "Version %(number)s is %(state)s and can no longer be changed: start a new "
                                          "version to change the plan", number=version.number,
                                state=_state_label(version.state))
    return version


def _state_label(state: str) -> Message | str:
    return {"draft": Message("Draft"), "submitted": Message("Submitted"), "feedback": Message("Feedback given"),
            "approved": Message("Approved"), "superseded": Message("Superseded")}.get(state, state)


# --- reading a version's tree in a fixed number of queries ------------------------------------

@dataclasses.dataclass
class IndicatorView:
    row: PlanIndicator
    targets: dict[int, int]


@dataclasses.dataclass
class GoalView:
    row: PlanGoal
    indicators: list[IndicatorView]


def tree(version_ids: list[int]) -> dict[int, list[GoalView]]:
    """The goals of each version with their indicators and targets: three queries, whatever the size."""
    result: dict[int, list[GoalView]] = {version_id: [] for version_id in version_ids}
    if not version_ids:
        return result
    goals = list(PlanGoal.select().where(PlanGoal.version.in_(version_ids))
                 .order_by(PlanGoal.focus_area, PlanGoal.position, PlanGoal.id))
    by_goal: dict[int, GoalView] = {}
    for goal in goals:
        view = GoalView(goal, [])
        by_goal[goal.id] = view
        result[goal.version_id].append(view)
    by_indicator: dict[int, IndicatorView] = {}
    if by_goal:
        for indicator in (PlanIndicator.select().where(PlanIndicator.goal.in_(list(by_goal)))
                          .order_by(PlanIndicator.position, PlanIndicator.id)):
            view = IndicatorView(indicator, {})
            by_indicator[indicator.id] = view
            by_goal[indicator.goal_id].indicators.append(view)
    if by_indicator:
        for target in PlanTarget.select().where(PlanTarget.indicator.in_(list(by_indicator))):
            by_indicator[target.indicator_id].targets[target.year] = target.value
    return result


def snapshot(goals: list[GoalView]) -> dict:
    """A version's content as plain values, for the audit log and for comparing versions."""
    return {goal.row.key: {
        "focus_area": goal.row.focus_area, "title": goal.row.title, "description": goal.row.description,
        "indicators": {ind.row.key: {"what": ind.row.what, "unit": ind.row.unit, "direction": ind.row.direction,
                                     "baseline": ind.row.baseline,
                                     "targets": {str(year): value for year, value in sorted(ind.targets.items())}}
                       for ind in goal.indicators}} for goal in goals}


# --- differences between versions --------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Difference:
    change: str          # added | removed | changed
    what: str            # goal | indicator | plan
    title: str
    fields: tuple = ()   # (field, before, after)


GOAL_FIELDS = ("focus_area", "title", "description")
INDICATOR_FIELDS = ("what", "unit", "direction", "baseline", "targets")


def differences(before: PlanVersion, before_goals: list[GoalView], after: PlanVersion,
                after_goals: list[GoalView]) -> list[Difference]:
    """What changed from one version to the next: the period and summary, goals and indicators
    added, removed or changed (by their keys, which copies keep)."""
    found: list[Difference] = []
    plan_fields = []
    if (before.first_year, before.last_year) != (after.first_year, after.last_year):
        plan_fields.append(("period", f"{before.first_year}–{before.last_year}", f"{after.first_year}–{after.last_year}"))
    if before.summary != after.summary:
        plan_fields.append(("summary", before.summary, after.summary))
    if plan_fields:
        found.append(Difference("changed", "plan", "", tuple(plan_fields)))
    old, new = snapshot(before_goals), snapshot(after_goals)
    for key, goal in new.items():
        if key not in old:
            found.append(Difference("added", "goal", goal["title"]))
            continue
        previous = old[key]
        fields = tuple((field, previous[field], goal[field]) for field in GOAL_FIELDS if previous[field] != goal[field])
        if fields:
            found.append(Difference("changed", "goal", goal["title"], fields))
        for ind_key, indicator in goal["indicators"].items():
            if ind_key not in previous["indicators"]:
                found.append(Difference("added", "indicator", f"{goal['title']}: {indicator['what']}"))
                continue
            was = previous["indicators"][ind_key]
            fields = tuple((field, _shown(was[field]), _shown(indicator[field])) for field in INDICATOR_FIELDS
                           if was[field] != indicator[field])
            if fields:
                found.append(Difference("changed", "indicator", f"{goal['title']}: {indicator['what']}", fields))
        for ind_key, indicator in previous["indicators"].items():
            if ind_key not in goal["indicators"]:
                found.append(Difference("removed", "indicator", f"{goal['title']}: {indicator['what']}"))
    for key, goal in old.items():
        if key not in new:
            found.append(Difference("removed", "goal", goal["title"]))
    return found


def _shown(value) -> Any:
    if isinstance(value, dict):
        return ", ".join(f"{year}: {target}" for year, target in value.items()) or "–"
    return "–" if value is None or value == "" else value


# --- checking what a form gives ----------------------------------------------------------------

def _text(values: dict, field: str, problems: Collector, limit: int, required: bool = False) -> str:
    text = str(values.get(field) or "").strip()
    if required and not text:
        problems.add(field, "This field is required")
    elif len(text) > limit:
        problems.add(field, "At most %(max)s characters", max=limit)
    return text[:limit]


def years_of(platform, programme_type: str, values: dict, problems: Collector) -> tuple[int, int] | None:
    first = parse_int(values.get("first_year"), "first_year", problems, minimum=MIN_YEAR, maximum=MAX_YEAR)
    last = parse_int(values.get("last_year"), "last_year", problems, minimum=MIN_YEAR, maximum=MAX_YEAR)
    if first is None or last is None:
        return None
    low, high = settings_of(platform).for_type(programme_type).plan_years
    length = last - first + 1
    if not low <= length <= high:
        problems.add("last_year", "An action plan runs %(low)s to %(high)s years; %(first)s–%(last)s is %(length)s",
                     low=low, high=high, first=first, last=last, length=length)
        return None
    return first, last


def focus_area_of(platform, programme_type: str, value, problems: Collector, field: str = "focus_area") -> int | None:
    numbers = [area.number for area in settings_of(platform).focus_areas(programme_type)]
    number = parse_int(value, field, problems, minimum=1, maximum=99)
    if number is not None and number not in numbers:
        problems.add(field, "Choose one of the programme's focus areas")
        return None
    return number


def direction_of(value, problems: Collector, field: str = "direction") -> str:
    text = str(value or "").strip()
    if text not in DIRECTIONS:
        problems.add(field, "Choose increase, decrease or keep")
        return "increase"
    return text


def indicator_values(values: dict, years: list[int], problems: Collector) -> dict:
    data = {"what": _text(values, "what", problems, 200, required=True),
            "unit": _text(values, "unit", problems, 60),
            "direction": direction_of(values.get("direction"), problems),
            "baseline": parse_int(values.get("baseline"), "baseline", problems, minimum=0, maximum=TARGET_MAX,
                                  required=False),
            "targets": {}}
    for year in years:
        value = parse_int(values.get(f"target_{year}"), f"target_{year}", problems, minimum=0, maximum=TARGET_MAX,
                          required=False)
        if value is not None:
            data["targets"][year] = value
    return data


def _programme_type(plan: ActionPlan) -> str:
    return plan.agreement.programme.programme_type


# --- the rules -----------------------------------------------------------------------------------

def start_plan(platform, actor, agreement: Agreement, values: dict) -> PlanVersion:
    """The agreement's action plan, with version 1 as a draft."""
    require(actor, access.PLAN_DRAFT, agreement)
    programme_type = agreement.programme.programme_type
    if not settings_of(platform).plans_for(programme_type):
        raise RuleViolation.one("plan", "Associations in this programme do not write action plans here")
    problems = Collector()
    years = years_of(platform, programme_type, values, problems)
    summary = _text(values, "summary", problems, 4000)
    problems.raise_if_any()
    with database.atomic():
        if ActionPlan.select().where(ActionPlan.agreement == agreement.id).exists():
            raise RuleViolation.one("status", "The agreement already has an action plan")
        plan = ActionPlan.create(agreement=agreement.id)
        version = PlanVersion.create(plan=plan, number=1, state="draft", first_year=years[0], last_year=years[1],
                                     summary=summary, created_by=actor.label)
        record(actor.label, "action_plan.create", version, scope_text(plan),
               after={"agreement": agreement.id, "number": 1, "years": list(years)})
    return version


def save_version(platform, actor, version: PlanVersion, values: dict) -> PlanVersion:
    """The period and summary of an editable version; targets outside a new period are dropped."""
    problems = Collector()
    years = years_of(platform, _programme_type(version.plan), values, problems)
    summary = _text(values, "summary", problems, 4000)
    problems.raise_if_any()
    with database.atomic():
        version = _editable(actor, version)
        before = {"years": [version.first_year, version.last_year], "summary": version.summary}
        version.first_year, version.last_year, version.summary = years[0], years[1], summary
        version.save()
        indicators = (PlanIndicator.select(PlanIndicator.id).join(PlanGoal)
                      .where(PlanGoal.version == version.id))
        PlanTarget.delete().where(PlanTarget.indicator.in_(indicators),
                                  (PlanTarget.year < years[0]) | (PlanTarget.year > years[1])).execute()
        record(actor.label, "action_plan.save", version, scope_text(version.plan), before=before,
               after={"years": list(years), "summary": summary})
    return version


def _goal_values(platform, version: PlanVersion, values: dict, problems: Collector) -> dict:
    return {"focus_area": focus_area_of(platform, _programme_type(version.plan), values.get("focus_area"), problems),
            "title": _text(values, "title", problems, 200, required=True),
            "description": _text(values, "description", problems, 4000)}


def add_goal(platform, actor, version: PlanVersion, values: dict) -> PlanGoal:
    problems = Collector()
    data = _goal_values(platform, version, values, problems)
    problems.raise_if_any()
    with database.atomic():
        version = _editable(actor, version)
        count = PlanGoal.select().where(PlanGoal.version == version.id).count()
        if count >= MAX_GOALS:
            raise RuleViolation.one("title", "A plan holds at most %(max)s goals", max=MAX_GOALS)
        goal = PlanGoal.create(version=version.id, key=new_key(), position=count + 1, **data)
        record(actor.label, "action_plan.save", version, scope_text(version.plan), after={"goal_added": data})
    return goal


def save_goal(platform, actor, goal: PlanGoal, values: dict) -> PlanGoal:
    problems = Collector()
    data = _goal_values(platform, goal.version, values, problems)
    problems.raise_if_any()
    with database.atomic():
        version = _editable(actor, goal.version)
        before = {field: getattr(goal, field) for field in data}
        PlanGoal.update(**data).where(PlanGoal.id == goal.id).execute()
        record(actor.label, "action_plan.save", version, scope_text(version.plan), before={"goal": before},
               after={"goal": data})
    return PlanGoal.get_by_id(goal.id)


def delete_goal(actor, goal: PlanGoal) -> None:
    with database.atomic():
        version = _editable(actor, goal.version)
        record(actor.label, "action_plan.save", version, scope_text(version.plan),
               before={"goal_removed": goal.title})
        goal.delete_instance(recursive=True)


def add_indicator(actor, goal: PlanGoal, values: dict) -> PlanIndicator:
    problems = Collector()
    data = indicator_values(values, goal.version.years, problems)
    problems.raise_if_any()
    with database.atomic():
        version = _editable(actor, goal.version)
        count = PlanIndicator.select().where(PlanIndicator.goal == goal.id).count()
        if count >= MAX_INDICATORS:
            raise RuleViolation.one("what", "A goal holds at most %(max)s indicators", max=MAX_INDICATORS)
        targets = data.pop("targets")
        indicator = PlanIndicator.create(goal=goal.id, key=new_key(), position=count + 1, **data)
        for year, value in targets.items():
            PlanTarget.create(indicator=indicator.id, year=year, value=value)
        record(actor.label, "action_plan.save", version, scope_text(version.plan),
               after={"indicator_added": {**data, "targets": targets}})
    return indicator


def save_indicator(actor, indicator: PlanIndicator, values: dict) -> PlanIndicator:
    version = indicator.goal.version
    problems = Collector()
    data = indicator_values(values, version.years, problems)
    problems.raise_if_any()
    with database.atomic():
        version = _editable(actor, version)
        targets = data.pop("targets")
        before = {field: getattr(indicator, field) for field in data}
        PlanIndicator.update(**data).where(PlanIndicator.id == indicator.id).execute()
        PlanTarget.delete().where(PlanTarget.indicator == indicator.id).execute()
        for year, value in targets.items():
            PlanTarget.create(indicator=indicator.id, year=year, value=value)
        record(actor.label, "action_plan.save", version, scope_text(version.plan), before={"indicator": before},
               after={"indicator": {**data, "targets": targets}})
    return PlanIndicator.get_by_id(indicator.id)


def delete_indicator(actor, indicator: PlanIndicator) -> None:
    with database.atomic():
        version = _editable(actor, indicator.goal.version)
        record(actor.label, "action_plan.save", version, scope_text(version.plan),
               before={"indicator_removed": indicator.what})
        indicator.delete_instance(recursive=True)


def submit(actor, version: PlanVersion) -> PlanVersion:
    """Draft (or back with feedback) → submitted: every goal needs at least one indicator."""
    with database.atomic():
        version = _editable(actor, version)
        goals = tree([version.id])[version.id]
        problems = Collector()
        if not goals:
            problems.add("goals", "Add at least one goal before you submit the plan")
        for goal in goals:
            if not goal.indicators:
                problems.add("goals", "The goal '%(title)s' needs at least one indicator", title=goal.row.title)
        problems.raise_if_any()
        version.state, version.submitted_at, version.submitted_by = "submitted", clock.now(), actor.label
        version.save()
        record(actor.label, "action_plan.submit", version, scope_text(version.plan),
               after={"number": version.number, "content": snapshot(goals)})
    return version


def give_feedback(actor, version: PlanVersion, values: dict) -> PlanVersion:
    """Submitted → feedback: the consultant's words go back to the association, which revises and submits again."""
    require(actor, access.PLAN_FEEDBACK, version)
    problems = Collector()
    text = _text(values, "feedback", problems, 4000, required=True)
    problems.raise_if_any()
    with database.atomic():
        version = _fresh(version)
        if version.state != "submitted":
            raise RuleViolation.one("status", "Feedback is given on a submitted plan")
        version.state, version.feedback = "feedback", text
        version.feedback_at, version.feedback_by = clock.now(), actor.label
        version.save()
        record(actor.label, "action_plan.feedback", version, scope_text(version.plan), after={"feedback": text})
    return version


def approve(actor, version: PlanVersion) -> PlanVersion:
    """Submitted → approved; the version approved before is superseded. From now on it is locked."""
    require(actor, access.PLAN_APPROVE, version)
    with database.atomic():
        version = _fresh(version)
        if version.state != "submitted":
            raise RuleViolation.one("status", "Only a submitted plan can be approved")
        now = clock.now()
        superseded = [v.number for v in PlanVersion.select().where(PlanVersion.plan == version.plan_id,
                                                                     PlanVersion.state == "approved")]
        PlanVersion.update(state="superseded", superseded_at=now).where(
            PlanVersion.plan == version.plan_id, PlanVersion.state == "approved").execute()
        version.state, version.approved_at, version.approved_by = "approved", now, actor.label
        version.save()
        record(actor.label, "action_plan.approve", version, scope_text(version.plan),
               after={"number": version.number, "superseded": superseded})
    return version


def new_version(actor, plan: ActionPlan) -> PlanVersion:
    """Version n+1 as a draft, a copy of the latest version, when no version is open."""
    require(actor, access.PLAN_DRAFT, plan)
    with database.atomic():
        plan = _lock_plan(plan.id)
        latest = PlanVersion.select().where(PlanVersion.plan == plan.id).order_by(PlanVersion.number.desc()).first()
        if latest is None:
            raise RuleViolation.one("status", "There is no version to start from")
        if latest.state in OPEN_STATES:
            raise RuleViolation.one("status", "Version %(number)s is still open: finish it first", number=latest.number)
        version = PlanVersion.create(plan=plan.id, number=latest.number + 1, state="draft",
                                     first_year=latest.first_year, last_year=latest.last_year, summary=latest.summary,
                                     created_by=actor.label)
        copy_goals(latest, version)
        record(actor.label, "action_plan.version", version, scope_text(plan),
               after={"number": version.number, "from": latest.number})
    return version


def copy_goals(source: PlanVersion, target: PlanVersion) -> None:
    for goal in tree([source.id])[source.id]:
        copy = PlanGoal.create(version=target.id, key=goal.row.key, focus_area=goal.row.focus_area,
                               title=goal.row.title, description=goal.row.description, position=goal.row.position)
        for indicator in goal.indicators:
            new = PlanIndicator.create(goal=copy.id, key=indicator.row.key, what=indicator.row.what,
                                       unit=indicator.row.unit, direction=indicator.row.direction,
                                       baseline=indicator.row.baseline, position=indicator.row.position)
            for year, value in indicator.targets.items():
                PlanTarget.create(indicator=new.id, year=year, value=value)


def approved_version(plan_id: int) -> PlanVersion | None:
    return (PlanVersion.select().where(PlanVersion.plan == plan_id, PlanVersion.state == "approved")
            .order_by(PlanVersion.number.desc()).first())


def status_values(platform, plan: ActionPlan, values: dict, problems: Collector, prefix: str = "") -> dict | None:
    """One status entry's values from a form (``prefix`` for the minutes' one per focus area)."""
    progress = str(values.get(prefix + "progress") or "").strip()
    if not progress:
        return None
    if progress not in PROGRESS:
        problems.add(prefix + "progress", "Choose a status from the list")
        return None
    data = {"progress": progress, "note": _text(values, prefix + "note", problems, 2000),
            "focus_area": focus_area_of(platform, _programme_type(plan), values.get(prefix + "focus_area"), problems,
                                        prefix + "focus_area"),
            "goal_key": str(values.get(prefix + "goal_key") or "").strip()[:16],
            "year": parse_int(values.get(prefix + "year"), prefix + "year", problems, minimum=MIN_YEAR,
                              maximum=MAX_YEAR)}
    return data


def record_statuses(platform, actor, plan: ActionPlan, entries: list[dict], meeting=None) -> list[PlanStatus]:
    """Status entries for focus areas (or goals) of the plan's approved version."""
    require(actor, access.PLAN_STATUS, plan)
    if not entries:
        raise RuleViolation.one("progress", "Choose a status from the list")
    with database.atomic():
        plan = _lock_plan(plan.id)
        approved = approved_version(plan.id)
        if approved is None:
            raise RuleViolation.one("status", "The action plan has no approved version yet: statuses are recorded "
                                              "against the approved plan")
        keys = {goal.key: goal.focus_area for goal in PlanGoal.select(PlanGoal.key, PlanGoal.focus_area)
                .where(PlanGoal.version == approved.id)}
        rows = []
        for entry in entries:
            if entry["goal_key"] and keys.get(entry["goal_key"]) != entry["focus_area"]:
                raise RuleViolation.one("goal_key", "Choose a goal of the approved plan under that focus area")
            rows.append(PlanStatus.create(plan=plan.id, meeting=meeting.id if meeting is not None else None,
                                          recorded_by=actor.label, **entry))
        record(actor.label, "action_plan.status", plan, scope_text(plan),
               after={"statuses": entries, "meeting": meeting.id if meeting is not None else None})
    return rows


def record_status(platform, actor, plan: ActionPlan, values: dict) -> PlanStatus:
    problems = Collector()
    entry = status_values(platform, plan, values, problems)
    if entry is None and not problems.problems:
        problems.add("progress", "Choose a status from the list")
    problems.raise_if_any()
    return record_statuses(platform, actor, plan, [entry])[0]


def latest_statuses(plan_ids: list[int]) -> dict[tuple[int, int], PlanStatus]:
    """The latest status entry per plan and focus area (one query)."""
    if not plan_ids:
        return {}
    from peewee import fn
    latest = (PlanStatus.select(fn.MAX(PlanStatus.id)).where(PlanStatus.plan.in_(plan_ids))
              .group_by(PlanStatus.plan, PlanStatus.focus_area))
    return {(row.plan_id, row.focus_area): row for row in PlanStatus.select().where(PlanStatus.id.in_(latest))}


def current_year() -> int:
    return datetime.date.today().year
