"""Scheduled jobs that any server process may run, none of them twice.

Every process runs a small scheduler thread (started with the app, stopped with it) that wakes
every few seconds and, for each job that is due, tries to *claim* it: one ``UPDATE job_schedule
SET next_run_at = now + interval … WHERE name = ? AND next_run_at <= now``. Only the process whose
UPDATE changed the row runs the job, so several processes on several machines share the jobs with
nothing sticky: whichever is alive takes the next turn. A job that fails is counted (the row's
``failures``, the metrics) and tried again at its next turn.

The jobs are housekeeping: sessions past their idle or absolute limit are marked ended (they
are refused anyway; this keeps "open sessions" true), and login attempts older than the
throttle's window are deleted. ``job_interval_seconds`` (default 300; 0 turns the scheduler off)
sets how often.
"""
from __future__ import annotations

import datetime
import logging
import os
import random
import socket
import threading
import time
from typing import Callable

from peewee import BigIntegerField, CharField, DateTimeField

from core import db, metrics
from core.db import BaseModel

log = logging.getLogger("partnerskab.jobs")
OWNER = f"{socket.gethostname()}:{os.getpid()}"


class JobSchedule(BaseModel):
    name = CharField(max_length=80, primary_key=True)
    next_run_at = DateTimeField()
    last_run_at = DateTimeField(null=True)
    last_owner = CharField(max_length=120, default="")
    runs = BigIntegerField(default=0)
    failures = BigIntegerField(default=0)

    class Meta:
        table_name = "job_schedule"


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def expire_sessions(settings) -> int:
    from core.models.account import Session
    now = _now()
    return (Session.update(ended_at=now, end_reason="expired")
            .where(Session.ended_at.is_null(),
                   (Session.last_seen_at < now - datetime.timedelta(minutes=settings.session_idle_minutes))
                   | (Session.created_at < now - datetime.timedelta(hours=settings.session_max_hours)))
            .execute())


def trim_login_attempts(settings) -> int:
    from core.models.account import LoginAttempt
    cutoff = _now() - datetime.timedelta(minutes=settings.login_window_minutes)
    return LoginAttempt.delete().where(LoginAttempt.at < cutoff).execute()


JOBS: dict[str, Callable] = {"sessions.expire": expire_sessions, "login_attempts.trim": trim_login_attempts}


def claim(name: str, interval: float) -> bool:
    """Take this turn of the job if it is due and nobody took it: one UPDATE decides."""
    now = _now()
    with db.database.atomic():
        if not JobSchedule.select().where(JobSchedule.name == name).exists():
            JobSchedule.insert(name=name, next_run_at=now).on_conflict_ignore().execute()
        # due at its time, or sooner when the interval was shortened since the last turn
        due = (JobSchedule.next_run_at <= now) | JobSchedule.last_run_at.is_null() | \
            (JobSchedule.last_run_at <= now - datetime.timedelta(seconds=interval))
        taken = (JobSchedule.update(next_run_at=now + datetime.timedelta(seconds=interval), last_run_at=now,
                                    last_owner=OWNER, runs=JobSchedule.runs + 1)
                 .where(JobSchedule.name == name, due).execute())
    return taken == 1


def run_due(settings, interval: float | None = None) -> list[str]:
    """Run every job that is due and that this process claims; the names of those it ran."""
    interval = settings.job_interval_seconds if interval is None else interval
    ran = []
    for name, job in JOBS.items():
        with db.connection():
            try:
                if not claim(name, interval):
                    continue
            except Exception as exc:
                if db.is_lock_error(exc):
                    continue  # another process is claiming right now: its turn
                raise
            started = time.perf_counter()
            try:
                with db.database.atomic():
                    changed = job(settings)
                ok = True
                log.info("job %s ran: %s rows", name, changed)
            except Exception:
                ok = False
                log.exception("job %s failed", name)
                JobSchedule.update(failures=JobSchedule.failures + 1).where(JobSchedule.name == name).execute()
            metrics.observe_job(name, ok, time.perf_counter() - started)
            ran.append(name)
    return ran


class Scheduler:
    """The thread that wakes up and runs what is due, until the app stops."""

    def __init__(self, settings):
        self.settings = settings
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="partnerskab-jobs", daemon=True)

    def _loop(self) -> None:
        interval = self.settings.job_interval_seconds
        tick = max(0.2, min(10.0, interval / 4))
        while not self.stopping.wait(tick * (0.75 + random.random() / 2)):  # jitter, not a secret: nosec B311
            try:
                run_due(self.settings)
            except Exception:  # the database is away for a moment: try again at the next tick
                log.warning("scheduled jobs could not run", exc_info=True)

    def start(self) -> "Scheduler":
        if self.settings.job_interval_seconds > 0:
            self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join(timeout=10)
