"""The core's housekeeping jobs (``core.jobs``): each slot is run once, and the jobs do what
they say — logins past their limits are ended, old failed-login records deleted."""
from __future__ import annotations

import datetime

from core import clock, jobs, metrics
from core.models.account import Account, LoginAttempt, Session
from core.models.job_run import JobRun

HOUSEKEEPING = ("core.sessions-expire", "core.login-attempts-trim")


def test_a_slot_is_run_once_and_the_jobs_clean_up(dbconn, platform):
    settings = platform.settings
    account = Account.select().first()
    old = clock.now() - datetime.timedelta(hours=settings.session_max_hours + 1)
    Session.create(id="j" * 64, account=account, created_at=old, last_seen_at=old)
    fresh = Session.create(id="k" * 64, account=account)
    LoginAttempt.create(key_kind="account", key_value="jobs@example.invalid", at=old)
    now = datetime.datetime(2031, 3, 4, 10, 2, tzinfo=datetime.timezone.utc)  # a slot nobody ran yet
    try:
        for name in HOUSEKEEPING:
            assert name in platform.jobs
            [first] = jobs.run_due(platform, now=now, only=name)
            assert first.status == "done", first
            [again] = jobs.run_due(platform, now=now, only=name)
            assert again.status == "not due"  # the same slot is never run twice
        assert Session.get_by_id("j" * 64).end_reason == "expired"
        assert Session.get_by_id(fresh.id).ended_at is None
        assert not LoginAttempt.select().where(LoginAttempt.key_value == "jobs@example.invalid").exists()
        assert 'job="core.sessions-expire",outcome="ok"' in metrics.exposition()
    finally:
        Session.delete().where(Session.id.in_(["j" * 64, "k" * 64])).execute()
        JobRun.delete().where(JobRun.job.in_(HOUSEKEEPING)).execute()
