"""``register_jobs``: scheduled work that runs exactly once per due slot — through
``partnerskab jobs run`` and the web server's background loop, with several processes and
servers racing for the same slot — and the schedules that decide the slots."""
from __future__ import annotations

import datetime
import multiprocessing
import os
import subprocess
import time

import pytest

from core import db, jobs
from core.i18n import LOCAL_TIME
from core.models.agreement import Agreement
from core.models.job_run import JobRun
from core.rules import agreements, registry
from core.settings import DEFAULT_CONFIG, ROOT
from tests import fake_plugin, odense_plugin

UTC = datetime.timezone.utc
CPH = LOCAL_TIME
EXE = ROOT / ".venv" / "bin" / "partnerskab"


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).astimezone(UTC)


# --- schedules -------------------------------------------------------------------------------

def test_every_divides_time_into_slots():
    hourly = jobs.every(hours=1)
    assert hourly.latest_slot(at("2030-01-01T10:37:12+00:00")) == at("2030-01-01T10:00:00+00:00")
    assert hourly.latest_slot(at("2030-01-01T10:00:00+00:00")) == at("2030-01-01T10:00:00+00:00")
    assert jobs.every(minutes=15).latest_slot(at("2030-01-01T10:44:59+00:00")) == at("2030-01-01T10:30:00+00:00")
    with pytest.raises(ValueError):
        jobs.every(minutes=0)


def test_cron_reads_danish_time():
    daily = jobs.cron("0 3 * * *")
    assert daily.latest_slot(at("2025-01-15T12:00:00+00:00")) == datetime.datetime(2025, 1, 15, 3, tzinfo=CPH)
    assert daily.latest_slot(at("2025-01-15T12:00:00+00:00")) == at("2025-01-15T02:00:00+00:00")  # winter: UTC+1
    assert daily.latest_slot(at("2025-07-15T12:00:00+00:00")) == at("2025-07-15T01:00:00+00:00")  # summer: UTC+2
    # before today's 03:00 Danish time, the slot is yesterday's
    assert daily.latest_slot(at("2025-07-15T00:30:00+00:00")) == at("2025-07-14T01:00:00+00:00")
    weekdays = jobs.cron("30 6 * * 1-5")
    saturday = at("2025-06-14T10:00:00+00:00")
    assert weekdays.latest_slot(saturday) == datetime.datetime(2025, 6, 13, 6, 30, tzinfo=CPH)  # Friday
    assert jobs.cron("*/20 * * * *").latest_slot(at("2025-06-14T10:59:00+00:00")) == at("2025-06-14T10:40:00+00:00")
    # as in cron, a day of the month and a weekday: either one
    first_or_monday = jobs.cron("0 12 1 * 1")
    assert first_or_monday.latest_slot(at("2025-06-10T12:00:00+00:00")) == datetime.datetime(2025, 6, 9, 12, tzinfo=CPH)
    assert first_or_monday.latest_slot(at("2025-06-08T12:00:00+00:00")) == datetime.datetime(2025, 6, 2, 12, tzinfo=CPH)
    assert jobs.cron("0 0 29 2 *").latest_slot(at("2025-06-01T00:00:00+00:00")) == \
        datetime.datetime(2024, 2, 29, tzinfo=CPH)


@pytest.mark.parametrize("expression", ["61 * * * *", "* * *", "a * * * *", "* 24 * * *", "5-1 * * * *",
                                        "* * 0 * *", "*/0 * * * *"])
def test_a_bad_cron_expression_is_refused_when_declared(expression):
    with pytest.raises(ValueError):
        jobs.cron(expression)


# --- exactly once ------------------------------------------------------------------------------

def job_rows(slot: datetime.datetime) -> list[str]:
    with db.connection():
        return [row.object_id for row in fake_plugin.FakeRecord.select().where(
            fake_plugin.FakeRecord.kind == "job",
            fake_plugin.FakeRecord.text == f"{fake_plugin.JOB} {slot.isoformat()}")]


@pytest.fixture
def fresh(fake_platform):
    """No runs of the jobs on record, so each test decides which slots are due."""
    with db.connection():
        JobRun.delete().execute()
    return fake_platform


def test_a_job_runs_once_per_slot_and_knows_the_one_before(fresh):
    job = fresh.jobs[fake_plugin.JOB]
    first = jobs.run_job(fresh, job, at("2030-03-01T10:20:00+00:00"))
    assert (first.status, first.slot) == ("done", at("2030-03-01T10:00:00+00:00"))
    again = jobs.run_job(fresh, job, at("2030-03-01T10:59:00+00:00"))
    assert again.status == "not due"
    later = jobs.run_job(fresh, job, at("2030-03-01T13:05:00+00:00"))  # two slots missed: one run covers them
    assert (later.status, later.slot) == ("done", at("2030-03-01T13:00:00+00:00"))
    assert job_rows(first.slot) == [""]
    assert job_rows(later.slot) == [first.slot.isoformat()]  # previous_slot: since when this run covers
    with db.connection():
        runs = list(JobRun.select().where(JobRun.job == fake_plugin.JOB).order_by(JobRun.slot))
    assert [(r.status, r.finished_at is not None) for r in runs] == [("done", True), ("done", True)]


def test_a_failing_job_is_recorded_and_not_repeated(fresh, monkeypatch):
    def broken(context):
        raise RuntimeError("the job broke")
    job = jobs.Job("fake.broken", jobs.every(hours=1), broken, plugin="fake")
    outcome = jobs.run_job(fresh, job, at("2030-04-01T08:30:00+00:00"))
    assert outcome.status == "failed" and "the job broke" in outcome.detail
    with db.connection():
        row = JobRun.get(JobRun.job == "fake.broken")
    assert row.status == "failed" and "RuntimeError: the job broke" in row.error
    assert jobs.run_job(fresh, job, at("2030-04-01T08:45:00+00:00")).status == "not due"


def _race(settings, now_text, barrier, results):
    """One process: build the platform with the fake plugin, wait for the others, run the job."""
    import importlib

    from core import jobs as jobs_module, platform as platform_module
    fake = importlib.import_module("tests.fake_plugin")
    platform = platform_module.build(settings, [("fake", fake)])
    barrier.wait(timeout=60)
    outcome = jobs_module.run_job(platform, platform.jobs[fake.JOB], datetime.datetime.fromisoformat(now_text))
    results.put(outcome.status)


def test_processes_racing_for_a_slot_run_it_once(fresh):
    context = multiprocessing.get_context("spawn")
    workers = 4
    barrier, results = context.Barrier(workers), context.Queue()
    now = "2031-05-05T07:42:00+00:00"
    processes = [context.Process(target=_race, args=(fresh.settings, now, barrier, results)) for _ in range(workers)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
        assert process.exitcode == 0
    statuses = sorted(results.get(timeout=5) for _ in range(workers))
    assert statuses.count("done") == 1, statuses
    assert set(statuses) <= {"done", "taken", "not due"}
    slot = at("2031-05-05T07:00:00+00:00")
    assert len(job_rows(slot)) == 1
    with db.connection():
        assert JobRun.select().where(JobRun.job == fake_plugin.JOB, JobRun.slot == slot.replace(tzinfo=None)).count() == 1


# --- the command line --------------------------------------------------------------------------

@pytest.fixture
def cli(fresh, tmp_path):
    base = {key: value for key, value in os.environ.items()
            if not key.startswith("PARTNERSKAB_") and key not in {"DATABASE_URL", "SECRET_KEY", "PORT"}}
    base.update(PARTNERSKAB_CONFIG=str(DEFAULT_CONFIG), DATABASE_URL=fresh.settings.database_url,
                PARTNERSKAB_INSTANCE_DIR=str(tmp_path / "instance"))

    def run(*args: str) -> subprocess.CompletedProcess:
        result = subprocess.run([str(EXE), *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120)
        assert "Traceback" not in result.stdout + result.stderr, result.stderr
        return result
    return run


def test_jobs_run_for_cron(cli):
    first = cli("jobs", "run", "--now", "2032-02-02T12:00:00Z")
    assert first.returncode == 0, first.stderr
    slot = datetime.datetime(2032, 2, 2, 0, 5, tzinfo=CPH).astimezone(UTC)
    lines = first.stdout.strip().splitlines()
    assert lines[0] == f"core.agreements-ended {slot.isoformat()}: done"
    assert all(line.endswith(": done") for line in lines), lines  # the core's housekeeping and the plugins' too
    second = cli("jobs", "run", "--now", "2032-02-02T13:00:00Z")
    assert second.stdout.strip().startswith(f"core.agreements-ended {slot.isoformat()}: not due")
    listed = cli("jobs", "list")
    assert f"core.agreements-ended [core] cron '5 0 * * *' (Europe/Copenhagen); last run for {slot.isoformat()}" \
        in listed.stdout
    unknown = cli("jobs", "run", "--job", "nope")
    assert unknown.returncode == 2 and "there is no job 'nope'" in unknown.stderr
    bad = cli("jobs", "run", "--now", "yesterday")
    assert bad.returncode == 2 and "--now" in bad.stderr


def test_jobs_run_exits_1_when_a_job_failed(fresh, capsys):
    from core import cli as cli_module

    def broken(context):
        raise RuntimeError("no")
    main_parser, _ = cli_module.parser()
    args = main_parser.parse_args(["jobs", "run", "--now", "2030-06-01T00:00:00Z"])
    extra = jobs.Job("fake.broken-cli", jobs.every(hours=1), broken, plugin="fake")
    fresh.jobs[extra.name] = extra
    try:
        assert args.func(fresh, args) == cli_module.EXIT_ERROR
    finally:
        del fresh.jobs[extra.name]
    out = capsys.readouterr().out
    assert "fake.broken-cli 2030-06-01T00:00:00+00:00: failed (RuntimeError: no)" in out
    assert f"{fake_plugin.JOB} 2030-06-01T00:00:00+00:00: done" in out


# --- the core's job: agreements that ended ------------------------------------------------------

def test_agreement_ended_is_told_once(fresh, fake_programme):
    platform = fresh
    end = datetime.date(2031, 5, 31)
    with db.connection():
        organisation = registry.create_organisation(platform, {
            "name": f"Slutforeningen {time.time_ns()}", "kind": "association", "municipality": "0999"}, "test")
        agreement = agreements.create_agreement(platform, programme=fake_programme["programme"],
                                                organisation=organisation, start_date=datetime.date(2030, 6, 1),
                                                end_date=end, actor="test")

    def told() -> int:
        with db.connection():
            return (fake_plugin.FakeRecord.select().where(fake_plugin.FakeRecord.text == "agreement.ended",
                                                          fake_plugin.FakeRecord.object_id == str(agreement.id))
                    .count())
    job = platform.jobs["core.agreements-ended"]
    the_day_before = datetime.datetime(2031, 5, 31, 12, tzinfo=CPH)
    assert jobs.run_job(platform, job, the_day_before).status == "done" and told() == 0  # still running
    next_morning = datetime.datetime(2031, 6, 1, 0, 10, tzinfo=CPH)
    assert jobs.run_job(platform, job, next_morning).status == "done" and told() == 1
    assert jobs.run_job(platform, job, next_morning).status == "not due"
    assert jobs.run_job(platform, job, next_morning + datetime.timedelta(days=3)).status == "done"
    assert told() == 1
    with db.connection():
        assert Agreement.get_by_id(agreement.id).end_date == end


# --- the web server's loop ------------------------------------------------------------------------

def test_two_servers_run_a_due_job_once(fresh, fake_platform):
    """Two apps with the loop on, served at once, poll every second: the current slot's job runs once."""
    from core.app import create_app
    from tests.core.hooks.conftest import serve
    settings = fake_platform.settings.replace(jobs_in_server=True, jobs_poll_seconds=1)
    servers = []
    # both apps built before either serves: building one binds the (global) database anew, which
    # must not happen under a loop that is using it; the package's plugins, so the catalogues
    # (global too) stay the package's
    applications = [create_app(settings, extra_plugins=[("fake", fake_plugin), ("odense", odense_plugin)])
                    for _ in range(2)]
    try:
        for application in applications:
            server, thread, _ = serve(application, lifespan="on")
            servers.append((server, thread))
        slot = jobs.every(hours=1).latest_slot(datetime.datetime.now(UTC))
        for _ in range(200):
            if job_rows(slot):
                break
            time.sleep(0.05)
        time.sleep(2.5)  # both loops have polled again since
        assert len(job_rows(slot)) == 1
        current = jobs.every(hours=1).latest_slot(datetime.datetime.now(UTC))
        if current != slot:  # the hour turned during the test: the new slot ran once too
            assert len(job_rows(current)) == 1
    finally:
        for server, thread in servers:
            server.should_exit = True
            thread.join(timeout=10)
        db.bind_platform(fake_platform)
