"""Scheduled jobs shared by every server process (issue 12): one row per job says when it runs
next; a process runs a job only after moving that time on in one UPDATE, so two processes (or two
machines) never run the same turn twice, and whichever process is alive runs the next one.

Frozen copy of ``core.jobs.JobSchedule`` as it was when this script was written.
"""
from peewee import *


def up(migrator, db):
    class JobSchedule(Model):
        name = CharField(max_length=80, primary_key=True)
        next_run_at = DateTimeField()
        last_run_at = DateTimeField(null=True)
        last_owner = CharField(max_length=120, default="")
        runs = BigIntegerField(default=0)
        failures = BigIntegerField(default=0)

        class Meta:
            database = db
            table_name = "job_schedule"

    db.create_tables([JobSchedule])


def down(migrator, db):
    db.execute_sql("DROP TABLE IF EXISTS job_schedule")
