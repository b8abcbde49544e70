"""The decisions about yearly counts, in one place for the pages, the API and the demo data.

* A count is a whole number from 0 to ``metrics.MAX_VALUE`` for a year that has begun, of a
  metric the organisation is asked for (it is a partner of a programme whose type counts it).
* One value per metric, organisation and year: entering it again is a *correction* that
  replaces the value, clears the consultant's check and is audited with the value before.
* A value more than 30 % above or below the year before (or anything but 0 after a 0) needs a
  note saying why; without one nothing is written and the form asks for it.
* A consultant (or the municipality's administrator) checks a count; the audit log says who.

Everything is checked before anything is written, and written in one transaction with its
audit row.
"""
from __future__ import annotations

import datetime
from typing import Iterable

from peewee import IntegrityError

from core import clock, inputs
from core.db import database, is_postgres
from core.models import audit
from core.models.membership import Membership
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.rules.errors import Collector, RuleViolation
from plugins.membership_counts.metrics import CHANGE_NEEDING_NOTE, MAX_VALUE, METRICS
from plugins.membership_counts.models import CountSetting, MemberCount

FIRST_YEAR = 2000
NOTE_LIMIT = 1000


# --- configuration ---------------------------------------------------------------------------

def settings_by_type() -> dict[str, list[str]]:
    """Programme type -> the metrics its partners count, in the order of ``METRICS`` (one query)."""
    found: dict[str, set[str]] = {}
    for programme_type, metric in CountSetting.select(CountSetting.programme_type, CountSetting.metric).tuples():
        found.setdefault(programme_type, set()).add(metric)
    return {key: [m for m in METRICS if m in metrics] for key, metrics in found.items()}


def set_metrics(wanted: dict[str, set[str]], actor: str) -> int:
    """Make the settings of the programme types in ``wanted`` exactly ``wanted`` (types not named
    are left alone); returns how many changed. Unknown metrics are refused."""
    problems = Collector()
    for programme_type, metrics in wanted.items():
        for metric in metrics:
            if metric not in METRICS:
                problems.add("metric", "Unknown count: %(value)s", value=metric[:40])
    problems.raise_if_any()
    changed = 0
    with database.atomic():
        current = settings_by_type()
        for programme_type, metrics in wanted.items():
            before = set(current.get(programme_type, ()))
            for metric in sorted(metrics - before):
                row = CountSetting.create(programme_type=programme_type, metric=metric)
                audit.record(actor, "membership_counts.configure", row, scope="",
                             after={"type": programme_type, "metric": metric, "counted": True})
                changed += 1
            for metric in sorted(before - metrics):
                row = CountSetting.get((CountSetting.programme_type == programme_type) & (CountSetting.metric == metric))
                audit.record(actor, "membership_counts.configure", row, scope="",
                             before={"type": programme_type, "metric": metric, "counted": True},
                             after={"type": programme_type, "metric": metric, "counted": False})
                row.delete_instance()
                changed += 1
    return changed


def metrics_of(organisation_ids: Iterable[int] | None = None) -> dict[int, list[str]]:
    """Organisation -> the metrics it is asked for: those of the types of the live programmes it
    is a partner of (two queries, whatever the number of organisations; None: every one)."""
    settings = settings_by_type()
    if not settings:
        return {}
    ids = list(organisation_ids) if organisation_ids is not None else None
    query = (Membership.select(Membership.organisation, Programme.programme_type).join(Programme)
             .where(Membership.role == "partner", Membership.deleted_at.is_null(), Programme.deleted_at.is_null(),
                    Programme.programme_type.in_(list(settings)))
             .distinct().tuples())
    if ids is not None:
        query = query.where(Membership.organisation.in_(ids))
    asked: dict[int, set[str]] = {}
    for organisation_id, programme_type in query:
        asked.setdefault(organisation_id, set()).update(settings.get(programme_type, ()))
    return {key: [m for m in METRICS if m in metrics] for key, metrics in asked.items()}


# --- entering and correcting -------------------------------------------------------------------

def change_percent(previous: int, value: int) -> float | None:
    """The change from ``previous`` to ``value`` in per cent (None from 0: no per cent of nothing)."""
    if previous == 0:
        return None
    return (value - previous) * 100 / previous


def needs_note(previous: int | None, value: int) -> bool:
    """A change beyond ±30 % from the year before, or any count after a 0. No year before: no."""
    if previous is None:
        return False
    if previous == 0:
        return value != 0
    return abs(value - previous) * 100 > CHANGE_NEEDING_NOTE * previous


def _parse(data: dict, organisation: Organisation, today: datetime.date, problems: Collector) -> tuple:
    metric = str(data.get("metric") or "").strip()
    if metric not in METRICS:
        problems.add("metric", "Choose what is counted from the list")
        metric = None
    elif metric not in metrics_of([organisation.id]).get(organisation.id, ()):
        problems.add("metric", "%(organisation)s is not asked for this count", organisation=organisation.name)
    year = inputs.parse_year(data.get("year"), "year", problems)
    if year is not None and not FIRST_YEAR <= year <= today.year:
        problems.add("year", "A count is for a year from %(min)s to %(max)s", min=str(FIRST_YEAR), max=str(today.year))
        year = None
    value = inputs.parse_int(data.get("value"), "value", problems, minimum=0, maximum=MAX_VALUE)
    note = str(data.get("note") or "").strip()
    if len(note) > NOTE_LIMIT:
        problems.add("note", "Can be at most %(max)s characters", max=str(NOTE_LIMIT))
    return metric, year, value, note


def _lock(organisation_id: int) -> None:
    """Writers of one organisation's counts queue here (SQLite's write transaction already does)."""
    if is_postgres():
        list(Organisation.select(Organisation.id).where(Organisation.id == organisation_id).for_update())


def record_count(organisation: Organisation, data: dict, actor: str,
                 today: datetime.date | None = None) -> tuple[MemberCount, str]:
    """Enter or correct one count; returns the row and what happened: ``created``, ``corrected``
    or ``unchanged`` (the same value and note again: nothing written)."""
    today = today or datetime.date.today()
    problems = Collector()
    metric, year, value, note = _parse(data, organisation, today, problems)
    problems.raise_if_any()
    with database.atomic():
        _lock(organisation.id)
        rows = {row.year: row for row in MemberCount.select().where(
            MemberCount.organisation == organisation.id, MemberCount.metric == metric,
            MemberCount.year.in_([year - 1, year]))}
        previous, existing = rows.get(year - 1), rows.get(year)
        if existing is not None and existing.value == value and existing.note == note:
            return existing, "unchanged"
        if not note and previous is not None and needs_note(previous.value, value):
            change = change_percent(previous.value, value)
            from core.web.svg_charts import signed_percent
            from core.i18n import format_number
            problems.add("note", "The count is %(change)s compared with %(previous_year)s (%(previous)s → "
                                 "%(value)s): a change beyond ±30 per cent needs a note saying why",
                         change=signed_percent(change) if change is not None else "↑",
                         previous_year=str(year - 1), previous=format_number(previous.value),
                         value=format_number(value))
            problems.raise_if_any()
        if existing is None:
            try:
                with database.atomic():
                    row = MemberCount.create(metric=metric, organisation=organisation.id, year=year, value=value,
                                             note=note)
            except IntegrityError:  # entered by someone else a moment ago: this becomes a correction
                existing = MemberCount.get((MemberCount.organisation == organisation.id)
                                           & (MemberCount.metric == metric) & (MemberCount.year == year))
            else:
                audit.record(actor, "membership_count.create", row, scope=f"organisation:{organisation.id}",
                             after={"organisation": organisation.name, "metric": metric, "year": year,
                                    "value": value, "note": note})
                return row, "created"
        before = {"organisation": organisation.name, "metric": metric, "year": year, "value": existing.value,
                  "note": existing.note, "checked_on": existing.checked_on}
        existing.value, existing.note, existing.checked_on, existing.updated_at = value, note, None, clock.now()
        existing.save()
        audit.record(actor, "membership_count.correct", existing, scope=f"organisation:{organisation.id}",
                     before=before, after={**before, "value": value, "note": note, "checked_on": None})
        return existing, "corrected"


def check_counts(rows: list[MemberCount], actor: str, today: datetime.date | None = None) -> int:
    """Mark counts as checked (those not checked yet); returns how many."""
    today = today or datetime.date.today()
    done = 0
    with database.atomic():
        for row in rows:
            if row.checked_on is not None:
                continue
            MemberCount.update(checked_on=today).where(MemberCount.id == row.id).execute()
            audit.record(actor, "membership_count.check", row, scope=f"organisation:{row.organisation_id}",
                         after={"metric": row.metric, "year": row.year, "value": row.value, "checked_on": today})
            done += 1
    return done


__all__ = ["FIRST_YEAR", "RuleViolation", "change_percent", "check_counts", "metrics_of", "needs_note",
           "record_count", "set_metrics", "settings_by_type"]
