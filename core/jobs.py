"""Scheduled work: jobs that plugins (and the core) declare, run exactly once per due slot.

A job is a name, a schedule and a function. The schedule divides time into slots: ``every(hours=1)``
(slots at whole multiples of the interval since 1970-01-01 UTC) or ``cron("30 6 * * 1-5")`` (the
five cron fields — minute, hour, day of month, month, day of week — read in Danish time). A job
is *due* when the latest slot that has begun has no run yet.

``run_due(platform)`` runs every due job once and returns; ``partnerskab jobs run`` calls it
from cron, and the web server's background loop (``loop``, started in the app's lifespan when
``jobs_in_server`` is on) every ``jobs_poll_seconds``. However many processes call it at once,
each (job, slot) runs once: a worker first claims the slot by inserting a ``job_run`` row, whose
(job, slot) key is unique, in its own transaction — on SQLite the write lock queues the claims,
on PostgreSQL the unique index refuses the second — and only the worker whose row went in runs
the job. Missed slots are not repeated one by one: the next run covers them, and the job's
``previous_slot`` says since when. A run that fails is recorded as failed and not retried for
that slot (``partnerskab jobs run`` then exits 1, so cron tells the operator); a process that
dies mid-run leaves its row 'running', and the next slot runs as usual.
"""
from __future__ import annotations

import asyncio
import dataclasses
import datetime
import logging
import os
import re
import socket
import time
import traceback
import zoneinfo
from typing import Any, Callable

from core import clock, metrics
from core.i18n import LOCAL_ZONE
from core.settings import ConfigError

log = logging.getLogger("partnerskab.jobs")
UTC = clock.UTC
NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,99}$")
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)


# --- schedules ---------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Every:
    """Slots ``interval`` apart, counted from 1970-01-01 00:00 UTC."""

    interval: datetime.timedelta

    def __post_init__(self):
        if self.interval < datetime.timedelta(minutes=1):
            raise ValueError("a job runs at most once a minute")

    def latest_slot(self, now: datetime.datetime) -> datetime.datetime:
        steps = (now - EPOCH) // self.interval
        return EPOCH + steps * self.interval

    def describe(self) -> str:
        return f"every {self.interval}"


def every(*, minutes: int = 0, hours: int = 0, days: int = 0) -> Every:
    return Every(datetime.timedelta(minutes=minutes, hours=hours, days=days))


_FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12), ("day of week", 0, 7))


def _parse_field(text: str, name: str, low: int, high: int) -> frozenset[int]:
    values: set[int] = set()
    for part in text.split(","):
        match = re.fullmatch(r"(\*|(\d+)(?:-(\d+))?)(?:/(\d+))?", part.strip())
        if not match:
            raise ValueError(f"cron {name}: '{part}' is not a number, a range (1-5), '*' or a step (*/15)")
        first, last = (low, high) if match.group(1) == "*" else (
            int(match.group(2)), int(match.group(3) if match.group(3) is not None else match.group(2)))
        if match.group(4) is not None and match.group(1) != "*" and match.group(3) is None:
            last = high  # "5/15": from 5 on, every 15
        step = int(match.group(4) or 1)
        if not (low <= first <= high and low <= last <= high) or first > last or step < 1:
            raise ValueError(f"cron {name}: '{part}' is outside {low}-{high}")
        values.update(range(first, last + 1, step))
    return frozenset(values)


@dataclasses.dataclass(frozen=True)
class Cron:
    """A cron-like schedule in a time zone (Danish time unless told): minute, hour, day of
    month, month, day of week (0 or 7 is Sunday). As in cron, when both day fields are given
    a day matching either is a match."""

    expression: str
    zone: str = LOCAL_ZONE

    def __post_init__(self):
        fields = self.expression.split()
        if len(fields) != 5:
            raise ValueError(f"cron '{self.expression}': five fields (minute hour day month weekday)")
        parsed = [_parse_field(text, name, low, high) for text, (name, low, high) in zip(fields, _FIELDS)]
        weekdays = frozenset(7 if day == 0 else day for day in parsed[4])  # ISO: Monday 1 … Sunday 7
        object.__setattr__(self, "_parsed", (*parsed[:4], weekdays, fields[2] == "*", fields[4] == "*"))
        zoneinfo.ZoneInfo(self.zone)  # an unknown zone fails here, at declaration

    def _day_matches(self, day: datetime.date) -> bool:
        _, _, days, months, weekdays, any_day, any_weekday = self._parsed
        if day.month not in months:
            return False
        by_date, by_weekday = day.day in days, day.isoweekday() in weekdays
        if any_day or any_weekday:
            return by_date and by_weekday
        return by_date or by_weekday

    def latest_slot(self, now: datetime.datetime) -> datetime.datetime | None:
        """The latest matching minute at or before ``now`` (aware UTC), within five years."""
        minutes, hours = sorted(self._parsed[0], reverse=True), sorted(self._parsed[1], reverse=True)
        zone = zoneinfo.ZoneInfo(self.zone)
        local_now = now.astimezone(zone)
        day = local_now.date()
        for _ in range(5 * 366 + 2):
            if self._day_matches(day):
                for hour in hours:
                    for minute in minutes:
                        local = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)
                        slot = local.astimezone(UTC)
                        if slot <= now:
                            return slot
            day -= datetime.timedelta(days=1)
        return None

    def describe(self) -> str:
        return f"cron '{self.expression}' ({self.zone})"


def cron(expression: str, zone: str = LOCAL_ZONE) -> Cron:
    return Cron(expression, zone)


# --- jobs --------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Job:
    """Scheduled work. ``function(context)`` runs with a database connection open; it writes in
    its own transactions. ``name`` is unique across plugins (prefix it with the plugin's)."""

    name: str
    schedule: Every | Cron
    function: Callable[["JobContext"], Any]
    description: str = ""
    plugin: str = "core"


@dataclasses.dataclass(frozen=True)
class JobContext:
    """What a job is told: the slot it runs for and the one before (None on the first run), both
    aware UTC; ``now`` is when the run began."""

    platform: Any
    job: Job
    slot: datetime.datetime
    previous_slot: datetime.datetime | None
    now: datetime.datetime

    def local(self, moment: datetime.datetime) -> datetime.datetime:
        return moment.astimezone(zoneinfo.ZoneInfo(LOCAL_ZONE))


@dataclasses.dataclass(frozen=True)
class Outcome:
    job: str
    slot: datetime.datetime | None
    status: str  # 'done', 'failed', 'not due', 'taken' (another worker has the slot)
    detail: str = ""


def collect(platform) -> dict[str, Job]:
    """Every declared job by name, the core's first; a bad or repeated name stops the start-up."""
    found: dict[str, Job] = {}
    for impl in reversed(platform.pm.hook.register_jobs.get_hookimpls()):
        for job in impl.function(platform) or []:
            where = f"plugin {impl.plugin_name}: job '{getattr(job, 'name', job)}'"
            if not isinstance(job, Job):
                raise ConfigError(f"{where} is not a core.jobs.Job")
            if not NAME.match(job.name):
                raise ConfigError(f"{where}: a name is lower-case letters, digits, '.', '-' and '_'")
            if job.name in found:
                raise ConfigError(f"{where} is declared twice")
            if not isinstance(job.schedule, (Every, Cron)) or not callable(job.function):
                raise ConfigError(f"{where} needs a schedule (core.jobs.every or cron) and a function")
            found[job.name] = dataclasses.replace(job, plugin=impl.plugin_name)
    return dict(sorted(found.items(), key=lambda item: item[1].plugin != "core"))


def _aware(moment: datetime.datetime | str | None) -> datetime.datetime | None:
    """A moment as aware UTC (``core.clock``): ``--now`` as given, or an aggregate's raw value."""
    if isinstance(moment, str):
        moment = datetime.datetime.fromisoformat(moment)
    return clock.as_utc(moment)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def last_slot(job_name: str) -> datetime.datetime | None:
    from peewee import fn

    from core.models.job_run import JobRun
    return _aware(JobRun.select(fn.MAX(JobRun.slot)).where(JobRun.job == job_name).scalar())


def _claim(job: Job, slot: datetime.datetime) -> bool:
    """Insert this worker's row for (job, slot); False when another worker's is there."""
    from peewee import IntegrityError

    from core.db import database
    from core.models.job_run import JobRun
    try:
        with database.atomic():
            JobRun.create(job=job.name, slot=slot, status="running", worker=worker_name(),
                          started_at=clock.now())
    except IntegrityError:
        return False
    return True


def run_job(platform, job: Job, now: datetime.datetime | None = None) -> Outcome:
    """Run one job for its latest slot if that slot is due and this worker claims it."""
    from core import db
    from core.models.job_run import JobRun
    now = _aware(now) or clock.now()
    slot = job.schedule.latest_slot(now)
    if slot is None:
        return Outcome(job.name, None, "not due", "no slot in the last five years")
    with db.connection():
        previous = last_slot(job.name)
        if previous is not None and previous >= slot:
            return Outcome(job.name, slot, "not due", f"ran for {previous.isoformat()}")
        if not _claim(job, slot):
            return Outcome(job.name, slot, "taken", "another worker runs this slot")
        context = JobContext(platform, job, slot, previous, now)
        status, detail = "done", ""
        started = time.perf_counter()
        try:
            job.function(context)
        except Exception as exc:  # the job failed: record it, tell the log, go on with the others
            status, detail = "failed", f"{type(exc).__name__}: {exc}"
            log.error("job %s failed for %s:\n%s", job.name, slot.isoformat(), traceback.format_exc())
        metrics.observe_job(job.name, status == "done", time.perf_counter() - started)
        (JobRun.update(status=status, error=detail[:2000], finished_at=clock.now())
         .where(JobRun.job == job.name, JobRun.slot == slot).execute())
    log.info("job %s for %s: %s", job.name, slot.isoformat(), status)
    return Outcome(job.name, slot, status, detail)


def run_due(platform, now: datetime.datetime | None = None, only: str | None = None) -> list[Outcome]:
    """Run every due job once (or only the one named), in declaration order."""
    if only is not None and only not in platform.jobs:
        raise KeyError(only)
    return [run_job(platform, job, now) for name, job in platform.jobs.items() if only in (None, name)]


async def loop(platform, poll_seconds: int) -> None:
    """The web server's background loop: run due jobs, sleep, repeat (until cancelled)."""
    from starlette.concurrency import run_in_threadpool
    while True:
        try:
            await run_in_threadpool(run_due, platform)
        except Exception:  # never let one bad round stop the loop
            log.exception("the scheduled-jobs loop failed this round")
        await asyncio.sleep(poll_seconds)


# --- the core's own jobs -----------------------------------------------------------------------

def expire_sessions(context: JobContext) -> None:
    """Mark sessions past their idle or absolute limit as ended: they are refused anyway, and
    this keeps "open sessions" true (and the table from growing with dead logins)."""
    from core.db import database
    from core.models.account import Session
    settings = context.platform.settings
    now = clock.now()
    with database.atomic():
        (Session.update(ended_at=now, end_reason="expired")
         .where(Session.ended_at.is_null(),
                (Session.last_seen_at < now - datetime.timedelta(minutes=settings.session_idle_minutes))
                | (Session.created_at < now - datetime.timedelta(hours=settings.session_max_hours)))
         .execute())


def trim_login_attempts(context: JobContext) -> None:
    """Delete failed-login records older than the throttle's window: they count for nothing."""
    from core.db import database
    from core.models.account import LoginAttempt
    cutoff = clock.now() - datetime.timedelta(
        minutes=context.platform.settings.login_window_minutes)
    with database.atomic():
        LoginAttempt.delete().where(LoginAttempt.at < cutoff).execute()


def agreements_ended(context: JobContext) -> None:
    """Raise ``agreement.ended`` for agreements whose last day passed since the previous run
    (on the first run: yesterday's), once each, so plugins hear of an end as of any other change."""
    from core import events
    from core.db import database
    from core.models.agreement import Agreement
    today = context.local(context.slot).date()
    since = context.local(context.previous_slot).date() if context.previous_slot else today - datetime.timedelta(days=1)
    with database.atomic():
        for agreement in (Agreement.select().where(Agreement.end_date >= since, Agreement.end_date < today)
                          .order_by(Agreement.id)):
            events.emit("agreement.ended", agreement, f"job:{context.job.name}", programme=agreement.programme_id,
                        organisation=agreement.organisation_id, end=agreement.end_date.isoformat())


def core_jobs() -> list[Job]:
    return [Job("core.agreements-ended", cron("5 0 * * *"), agreements_ended,
                "tell plugins about agreements whose last day has passed"),
            Job("core.sessions-expire", every(minutes=5), expire_sessions,
                "mark logins past their idle or absolute limit as ended"),
            Job("core.login-attempts-trim", every(minutes=5), trim_login_attempts,
                "delete failed-login records older than the throttle's window"),
            Job("core.search-upkeep", cron("40 3 * * *"), _search_upkeep,
                "merge the search index's segments and complete its vocabulary (SQLite)")]


def _search_upkeep(context: JobContext) -> None:
    from core.search import index_upkeep
    index_upkeep(context)


__all__ = ["Cron", "Every", "Job", "JobContext", "Outcome", "collect", "cron", "every", "loop", "run_due",
           "run_job"]
