"""Scheduled jobs' runs and mail attachments in the outbox (issue 8, part 2).

Frozen copies of ``core.models.job_run`` and ``core.models.outbox.OutboxAttachment`` as they
were when this script was written: later changes get new numbered scripts, never edits here.
"""
from peewee import *


def up(migrator, db):
    class JobRun(Model):
        job = CharField(max_length=100)
        slot = DateTimeField()
        status = CharField(max_length=10)
        worker = CharField(max_length=100)
        started_at = DateTimeField()
        finished_at = DateTimeField(null=True)
        error = TextField()

        class Meta:
            database = db
            table_name = 'job_run'
            indexes = ((('job', 'slot'), True),)
    db.create_tables([JobRun])

    class OutboxMessage(Model):
        class Meta:
            database = db
            table_name = 'outbox_message'

    class OutboxAttachment(Model):
        message = ForeignKeyField(OutboxMessage, on_delete='CASCADE')
        position = IntegerField()
        filename = CharField(max_length=200)
        content_type = CharField(max_length=200)
        size = IntegerField()
        data = BlobField()

        class Meta:
            database = db
            table_name = 'outbox_attachment'
            indexes = ((('message', 'position'), True),)
    db.create_tables([OutboxAttachment])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('outbox_attachment'))
    migrator.migrate(migrator.drop_table('job_run'))
