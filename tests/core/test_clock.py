"""One timestamp convention: aware UTC in Python, naive UTC in the database, on both backends.

The round trips run against the suite's database — SQLite, or PostgreSQL when
TEST_DATABASE_URL names one — so each backend is held to the same convention."""
from __future__ import annotations

import datetime
import importlib
import re
import sqlite3
import uuid
import zoneinfo
from pathlib import Path

import pytest
from peewee import DateTimeField, SqliteDatabase

from core import clock, db
from core.clock import UTC, UtcDateTimeField
from core.db import BaseModel
from core.models.job_run import JobRun

ROOT = Path(__file__).resolve().parents[2]
COPENHAGEN = zoneinfo.ZoneInfo("Europe/Copenhagen")


def _models(platform):
    def below(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)
    return [model for model in below(BaseModel) if not model.__name__.startswith("_")]


def test_now_is_aware_utc():
    moment = clock.now()
    assert moment.tzinfo is UTC and moment.utcoffset() == datetime.timedelta(0)
    assert abs(moment - datetime.datetime.now(UTC)) < datetime.timedelta(seconds=5)


def test_as_utc_and_stored_agree_on_the_moment():
    summer = datetime.datetime(2026, 7, 1, 14, 30, tzinfo=COPENHAGEN)
    assert clock.as_utc(summer) == datetime.datetime(2026, 7, 1, 12, 30, tzinfo=UTC)
    assert clock.as_utc(summer).tzinfo is UTC
    assert clock.stored(summer) == datetime.datetime(2026, 7, 1, 12, 30)  # naive UTC
    assert clock.as_utc(datetime.datetime(2026, 7, 1, 12, 30)) == datetime.datetime(2026, 7, 1, 12, 30, tzinfo=UTC)
    day = datetime.date(2026, 7, 1)
    assert clock.as_utc(day) is day and clock.stored(day) is day and clock.as_utc(None) is None


def test_every_timestamp_column_of_every_table_follows_the_convention(platform):
    """The core's, the enabled plugins' and the fake plugin's models: no plain DateTimeField,
    whatever the model's author wrote (``core.db.BaseModel`` makes each one a UtcDateTimeField)."""
    columns = [(model.__name__, name, type(field)) for model in _models(platform)
               for name, field in model._meta.fields.items() if isinstance(field, DateTimeField)]
    assert len(columns) > 50
    assert [c for c in columns if c[2] is not UtcDateTimeField] == []


@pytest.fixture
def runs(dbconn):
    name = f"test-clock-{uuid.uuid4().hex[:8]}"
    yield name
    JobRun.delete().where(JobRun.job == name).execute()


def test_a_round_trip_gives_aware_utc_for_aware_naive_and_default_values(runs):
    local = datetime.datetime(2026, 1, 15, 9, 45, 30, 123456, tzinfo=COPENHAGEN)  # 08:45:30 UTC
    naive = datetime.datetime(2026, 1, 15, 8, 45, 31)                              # taken as UTC
    first = JobRun.create(job=runs, slot=local, finished_at=naive)
    row = JobRun.get_by_id(first.id)
    assert row.slot == local and row.slot.tzinfo is UTC
    assert row.slot.replace(tzinfo=None) == datetime.datetime(2026, 1, 15, 8, 45, 30, 123456)
    assert row.finished_at == naive.replace(tzinfo=UTC) and row.finished_at.tzinfo is UTC
    assert row.started_at.tzinfo is UTC  # the default, clock.now
    assert abs(clock.now() - row.started_at) < datetime.timedelta(minutes=5)  # comparable with now: no TypeError


def test_the_database_holds_naive_utc_on_either_backend(runs):
    local = datetime.datetime(2026, 7, 1, 14, 30, tzinfo=COPENHAGEN)  # 12:30 UTC
    row = JobRun.create(job=runs, slot=local)
    raw = db.database.execute_sql("SELECT slot FROM job_run WHERE id = " + ("%s" if db.is_postgres() else "?"),
                                  (row.id,)).fetchone()[0]
    if db.is_postgres():
        assert raw == datetime.datetime(2026, 7, 1, 12, 30) and raw.tzinfo is None
    else:
        assert raw == "2026-07-01 12:30:00"


def test_queries_compare_moments_whatever_zone_the_value_is_in(runs):
    JobRun.create(job=runs, slot=datetime.datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
    just_before = datetime.datetime(2026, 3, 1, 12, 59, 59, tzinfo=COPENHAGEN)  # 11:59:59 UTC
    just_after = datetime.datetime(2026, 3, 1, 13, 0, 1, tzinfo=COPENHAGEN)     # 12:00:01 UTC
    mine = JobRun.select().where(JobRun.job == runs)
    assert mine.where(JobRun.slot > just_before).count() == 1
    assert mine.where(JobRun.slot > just_after).count() == 0
    assert mine.where(JobRun.slot == datetime.datetime(2026, 3, 1, 13, 0, tzinfo=COPENHAGEN)).count() == 1


def test_the_migration_drops_the_offset_sqlite_kept_for_aware_values(tmp_path):
    migration = importlib.import_module("core.migrations.0014_timestamps_in_utc")
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE thing (id INTEGER PRIMARY KEY, at DATETIME, gone DATETIME, label VARCHAR(20))")
        conn.execute("INSERT INTO thing VALUES (1, '2026-11-30 04:12:00.123456+00:00', NULL, 'x+00:00')")
        conn.execute("INSERT INTO thing VALUES (2, '2026-11-30 04:12:01', '2026-11-30 05:00:00+00:00', 'y')")
    old = SqliteDatabase(str(path))
    migration.up(None, old)
    assert old.execute_sql("SELECT at, gone, label FROM thing ORDER BY id").fetchall() == [
        ("2026-11-30 04:12:00.123456", None, "x+00:00"), ("2026-11-30 04:12:01", "2026-11-30 05:00:00", "y")]
    old.close()


def test_no_code_makes_its_own_now():
    """``core.clock.now`` is the one clock: no naive ``utcnow`` and no private copy of now() in
    the core or the plugins (frozen migration scripts aside)."""
    pattern = re.compile(r"datetime\.(datetime\.)?(utcnow|now)\(|def utcnow\b|\butcnow\(")
    offenders = []
    for folder in ("core", "plugins"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts or path == ROOT / "core" / "clock.py":
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if pattern.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
