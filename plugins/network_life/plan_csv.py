"""An action-plan version as a spreadsheet, and back: the CSV a person downloads imports again
unchanged.

One row per indicator (a goal without indicators gets one row of its own), the goal's columns
repeated on each of its rows, a target column per year of the version's period. The file is
written by the core's CSV writer (formula-safe, Danish Excel by default, ``dialect=machine``
for programs); an import reads either dialect, and the column titles in Danish or English.

An import updates the goals and indicators it names by id, adds those without an id (rows
without a goal id that give the same focus area and title are one new goal), and leaves what
the file does not mention (removing is done on the page). It checks every row first: one bad
row cancels the whole import, and the refusal names the row's number (the header is row 1).
"""
from __future__ import annotations

import dataclasses
import re

from core import csv_writer, i18n
from core.csv_writer import Label
from core.i18n import gettext
from core.rules.errors import Collector, RuleViolation
from plugins.network_life import plans
from plugins.network_life.config import DIRECTIONS, direction_label, settings_of
from plugins.network_life.models import PlanGoal, PlanIndicator, PlanTarget, PlanVersion

MAX_BYTES = 512 * 1024
MAX_ROWS = 2000
FIXED = ("goal_id", "focus_area", "goal", "goal_description", "indicator_id", "what", "unit", "direction", "baseline")


def _titles() -> dict[str, str]:
    return {"goal_id": gettext("Goal id"), "focus_area": gettext("Focus area"), "goal": gettext("Goal"),
            "goal_description": gettext("Goal description"), "indicator_id": gettext("Indicator id"),
            "what": gettext("What is measured"), "unit": gettext("Unit"), "direction": gettext("Direction"),
            "baseline": gettext("Baseline")}


def target_title(year: int) -> str:
    return gettext("Target %(year)s") % {"year": year}


def columns(version: PlanVersion) -> list[str]:
    titles = _titles()
    return [titles[key] for key in FIXED] + [target_title(year) for year in version.years]


def focus_area_cell(number: int, titles: dict[int, str]) -> str:
    return f"{number}. {titles.get(number, '')}".strip()


def rows(platform, version: PlanVersion) -> list[list]:
    titles = {area.number: str(area.title) for area in
              settings_of(platform).focus_areas(version.plan.agreement.programme.programme_type)}
    out = []
    for goal in plans.tree([version.id])[version.id]:
        base = [goal.row.id, focus_area_cell(goal.row.focus_area, titles), goal.row.title, goal.row.description]
        for indicator in goal.indicators or [None]:
            if indicator is None:
                out.append(base + [None] * 5 + [None] * len(version.years))
                continue
            out.append(base + [indicator.row.id, indicator.row.what, indicator.row.unit,
                               Label(indicator.row.direction, direction_label(indicator.row.direction)),
                               indicator.row.baseline] + [indicator.targets.get(year) for year in version.years])
    return out


def export(platform, version: PlanVersion, dialect: csv_writer.Dialect = csv_writer.EXCEL) -> bytes:
    return csv_writer.header(columns(version), dialect) + csv_writer.rows(rows(platform, version), dialect)


# --- reading a file back -------------------------------------------------------------------------

def _unneutralise(cell: str) -> str:
    """The writer's leading apostrophe before a formula character, taken off again."""
    if cell.startswith("'") and cell[1:].lstrip(" ").startswith(csv_writer.FORMULA_START):
        return cell[1:]
    return cell


def _direction(cell: str) -> str | None:
    text = cell.strip()
    if text in DIRECTIONS:
        return text
    for code in DIRECTIONS:
        for locale in ("da", "en"):
            with i18n.locale_context(locale):
                if text.casefold() == str(direction_label(code)).casefold():
                    return code
    return None


def _headers_match(header: list[str], version: PlanVersion) -> bool:
    for locale in ("da", "en"):
        with i18n.locale_context(locale):
            if [cell.strip() for cell in header] == columns(version):
                return True
    return False


@dataclasses.dataclass
class ParsedRow:
    number: int
    goal_id: int | None
    focus_area: int | None
    title: str
    description: str
    indicator_id: int | None
    indicator: dict | None


def parse(platform, version: PlanVersion, data: bytes) -> list[ParsedRow]:
    """Every row checked; a ``RuleViolation`` naming each bad row's number when any is bad."""
    if len(data) > MAX_BYTES:
        raise RuleViolation.one("file", "The file is larger than %(max)s kB", max=MAX_BYTES // 1024)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RuleViolation.one("file", "The file is not UTF-8 text: save it as CSV UTF-8") from None
    table = csv_writer.read_table(text)
    if not table or not _headers_match(table[0], version):
        raise RuleViolation.one("file", "Row 1: the columns are not those of this plan's download (%(columns)s); "
                                        "download the plan again and edit that file",
                                columns="; ".join(columns(version)))
    if len(table) > MAX_ROWS + 1:
        raise RuleViolation.one("file", "The file has more than %(max)s rows", max=MAX_ROWS)
    programme_type = version.plan.agreement.programme.programme_type
    goal_ids = {goal.id for goal in PlanGoal.select(PlanGoal.id).where(PlanGoal.version == version.id)}
    indicator_goals = dict(PlanIndicator.select(PlanIndicator.id, PlanIndicator.goal).join(PlanGoal)
                           .where(PlanGoal.version == version.id).tuples())
    years = version.years
    width = len(FIXED) + len(years)
    parsed: list[ParsedRow] = []
    errors: list[tuple[int, str]] = []
    seen_goals: dict[int, tuple] = {}
    for number, raw in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue
        cells = [_unneutralise(cell) for cell in raw] + [""] * (width - len(raw))
        if len(raw) > width and any(cell.strip() for cell in raw[width:]):
            errors.append((number, gettext("more cells than the columns")))
            continue
        problems = Collector()
        values = dict(zip(FIXED, cells))
        goal_id = _id(values["goal_id"], "goal_id", problems)
        if goal_id is not None and goal_id not in goal_ids:
            problems.add("goal_id", "goal id %(value)s is not a goal of this version", value=goal_id)
        area_text = re.match(r"\s*([0-9]{1,2})", values["focus_area"])
        focus_area = plans.focus_area_of(platform, programme_type, area_text.group(1) if area_text else "", problems)
        title = values["goal"].strip()
        if not title:
            problems.add("goal", "the goal is empty")
        elif len(title) > 200:
            problems.add("goal", "the goal is longer than 200 characters")
        description = values["goal_description"].strip()
        if len(description) > 4000:
            problems.add("goal_description", "the description is longer than 4000 characters")
        indicator_id = _id(values["indicator_id"], "indicator_id", problems)
        if indicator_id is not None and indicator_goals.get(indicator_id) != goal_id:
            problems.add("indicator_id", "indicator id %(value)s is not an indicator of that goal", value=indicator_id)
        indicator = None
        target_cells = cells[len(FIXED):width]
        if indicator_id is not None or any(values[key].strip() for key in ("what", "unit", "direction", "baseline")) \
                or any(cell.strip() for cell in target_cells):
            direction = _direction(values["direction"])
            if direction is None:
                problems.add("direction", "the direction '%(value)s' is not increase, decrease or keep",
                             value=values["direction"][:40])
            form = {"what": values["what"], "unit": values["unit"], "direction": direction or "increase",
                    "baseline": values["baseline"].strip(),
                    **{f"target_{year}": cell.strip() for year, cell in zip(years, target_cells)}}
            indicator = plans.indicator_values(form, years, problems)
        if goal_id is not None and not problems.problems:
            shown = (focus_area, title, description)
            if goal_id in seen_goals and seen_goals[goal_id] != shown:
                problems.add("goal", "goal %(value)s differs from its earlier row", value=goal_id)
            seen_goals.setdefault(goal_id, shown)
        for problem in problems.problems:
            errors.append((number, str(problem.message)))
        parsed.append(ParsedRow(number, goal_id, focus_area, title, description, indicator_id, indicator))
    if errors:
        problems = Collector()
        for number, message in errors:
            problems.add("file", "Row %(row)s: %(problem)s", row=number, problem=message)
        problems.add("file", "Nothing was imported: correct the rows named and import the file again")
        raise RuleViolation(problems.problems)
    return parsed


def _id(cell: str, field: str, problems: Collector) -> int | None:
    text = cell.strip()
    if not text:
        return None
    if not text.isdecimal() or len(text) > 18:
        problems.add(field, "'%(value)s' is not an id", value=text[:40])
        return None
    return int(text)


def import_file(platform, actor, version: PlanVersion, data: bytes) -> int:
    """Apply a checked file to an editable version in one transaction; returns how many goals and
    indicators it added or changed."""
    from core.db import database
    from core.models.audit import record
    parsed = parse(platform, version, data)
    changed = 0
    with database.atomic():
        version = plans._editable(actor, version)
        current = plans.tree([version.id])[version.id]
        before = plans.snapshot(current)
        goals = {goal.row.id: goal for goal in current}
        indicators = {indicator.row.id: indicator for goal in current for indicator in goal.indicators}
        new_goals: dict[tuple, PlanGoal] = {}
        position = max([goal.row.position for goal in current] or [0])
        for row in parsed:
            if row.goal_id is not None:
                goal = goals[row.goal_id].row
                if (goal.focus_area, goal.title, goal.description) != (row.focus_area, row.title, row.description):
                    goal.focus_area, goal.title, goal.description = row.focus_area, row.title, row.description
                    goal.save()
            else:
                goal = new_goals.get((row.focus_area, row.title))
                if goal is None:
                    position += 1
                    goal = PlanGoal.create(version=version.id, key=plans.new_key(), focus_area=row.focus_area,
                                           title=row.title, description=row.description, position=position)
                    new_goals[(row.focus_area, row.title)] = goal
            if row.indicator is None:
                continue
            data = dict(row.indicator)
            targets = data.pop("targets")
            if row.indicator_id is not None:
                existing = indicators[row.indicator_id]
                if any(getattr(existing.row, field) != value for field, value in data.items()):
                    PlanIndicator.update(**data).where(PlanIndicator.id == row.indicator_id).execute()
                if existing.targets == targets:
                    continue
                indicator_id = row.indicator_id
                PlanTarget.delete().where(PlanTarget.indicator == indicator_id).execute()
            else:
                count = PlanIndicator.select().where(PlanIndicator.goal == goal.id).count()
                indicator_id = PlanIndicator.create(goal=goal.id, key=plans.new_key(), position=count + 1, **data).id
            for year, value in targets.items():
                PlanTarget.create(indicator=indicator_id, year=year, value=value)
        after = plans.snapshot(plans.tree([version.id])[version.id])
        changed = _count_changes(before, after)
        if changed:
            record(actor.label, "action_plan.import", version, plans.scope_text(version.plan),
                   before=before, after=after)
    return changed


def _count_changes(before: dict, after: dict) -> int:
    changes = 0
    for key, goal in after.items():
        old = before.get(key)
        if old is None:
            changes += 1 + len(goal["indicators"])
            continue
        if any(old[field] != goal[field] for field in ("focus_area", "title", "description")):
            changes += 1
        for ind_key, indicator in goal["indicators"].items():
            if old["indicators"].get(ind_key) != indicator:
                changes += 1
    return changes
