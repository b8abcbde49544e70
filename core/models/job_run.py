"""One row per scheduled job and due slot (``core.jobs``): the claim that makes a job run
exactly once per slot across workers and processes — the (job, slot) pair is unique, so only
one worker's insert goes in — and the record of how the run went.

Slots, like every timestamp, are stored as naive UTC (``core.clock``), so the unique key
compares the same on SQLite and PostgreSQL.
"""
from peewee import CharField, DateTimeField, TextField

from core import clock
from core.db import BaseModel

JOB_RUN_STATUSES = ("running", "done", "failed")


class JobRun(BaseModel):
    job = CharField(max_length=100)
    slot = DateTimeField()
    status = CharField(max_length=10, default="running")
    worker = CharField(max_length=100, default="")
    started_at = DateTimeField(default=clock.now)
    finished_at = DateTimeField(null=True)
    error = TextField(default="")

    class Meta:
        table_name = "job_run"
        indexes = ((("job", "slot"), True),)
