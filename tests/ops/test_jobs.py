"""The housekeeping jobs and their claim: a turn is taken once, and the jobs do what they say."""
from __future__ import annotations

import datetime

from core import jobs
from core.models.account import Account, LoginAttempt, Session, utcnow


def test_a_turn_is_claimed_once_and_the_jobs_clean_up(dbconn, platform):
    settings = platform.settings
    account = Account.select().first()
    old = utcnow() - datetime.timedelta(hours=settings.session_max_hours + 1)
    Session.create(id="j" * 64, account=account, created_at=old, last_seen_at=old)
    fresh = Session.create(id="k" * 64, account=account)
    LoginAttempt.create(key_kind="account", key_value="jobs@example.invalid", at=old)
    jobs.JobSchedule.delete().execute()
    try:
        assert sorted(jobs.run_due(settings, interval=3600)) == sorted(jobs.JOBS)
        assert jobs.run_due(settings, interval=3600) == []  # the next turn is an hour away
        assert Session.get_by_id("j" * 64).end_reason == "expired"
        assert Session.get_by_id(fresh.id).ended_at is None
        assert not LoginAttempt.select().where(LoginAttempt.key_value == "jobs@example.invalid").exists()
        rows = {row.name: row for row in jobs.JobSchedule.select()}
        assert all(row.runs == 1 and row.last_owner == jobs.OWNER for row in rows.values())
    finally:
        Session.delete().where(Session.id.in_(["j" * 64, "k" * 64])).execute()
        jobs.JobSchedule.delete().execute()
