"""The programme lifecycle (issue 4): calls and their extra questions, applications with
answers and reviews, partnership agreements with their extensions, resource persons and
handover notes.

Frozen copies of the models in ``core.models.call``, ``application``, ``agreement`` and
``resource_person`` as they were when this script was written: later changes get new
numbered scripts, never edits here.
"""
from peewee import *


def up(migrator, db):
    class Programme(Model):
        class Meta:
            database = db
            table_name = 'programme'

    class Organisation(Model):
        class Meta:
            database = db
            table_name = 'organisation'

    class Account(Model):
        class Meta:
            database = db
            table_name = 'account'

    class Call(Model):
        programme = ForeignKeyField(Programme, on_delete='RESTRICT')
        title = CharField(max_length=200)
        description = TextField(default='')
        opens_on = DateField()
        closes_on = DateField(index=True)
        created_by = CharField(max_length=200, default='')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'call'
    db.create_tables([Call])

    class CallQuestion(Model):
        call = ForeignKeyField(Call, on_delete='CASCADE')
        position = IntegerField(default=0)
        text = CharField(max_length=500)
        required = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'call_question'
    db.create_tables([CallQuestion])

    class Application(Model):
        call = ForeignKeyField(Call, on_delete='RESTRICT')
        organisation = ForeignKeyField(Organisation, on_delete='RESTRICT')
        status = CharField(max_length=20, default='draft', index=True)
        description = TextField(default='')
        contact_email = CharField(max_length=200, default='')
        contact_phone = CharField(max_length=40, default='')
        created_by = ForeignKeyField(Account, null=True, on_delete='SET NULL', backref='+')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        submitted_at = DateTimeField(null=True)
        submitted_by = ForeignKeyField(Account, null=True, on_delete='SET NULL', backref='+')
        decided_by = ForeignKeyField(Account, null=True, on_delete='SET NULL', backref='+')
        decided_by_label = CharField(max_length=200, default='')
        decided_at = DateTimeField(null=True)
        decision_reason = TextField(default='')
        class Meta:
            database = db
            table_name = 'application'
            indexes = ((('call', 'organisation'), True),)
    db.create_tables([Application])

    class ApplicationAnswer(Model):
        application = ForeignKeyField(Application, on_delete='CASCADE')
        key = CharField(max_length=100)
        value = TextField(default='')
        class Meta:
            database = db
            table_name = 'application_answer'
            indexes = ((('application', 'key'), True),)
    db.create_tables([ApplicationAnswer])

    class Review(Model):
        application = ForeignKeyField(Application, on_delete='CASCADE')
        reviewer = ForeignKeyField(Account, on_delete='RESTRICT', backref='+')
        score = IntegerField()
        comment = TextField(default='')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'application_review'
            indexes = ((('application', 'reviewer'), True),)
    db.create_tables([Review])

    class Agreement(Model):
        programme = ForeignKeyField(Programme, on_delete='RESTRICT')
        organisation = ForeignKeyField(Organisation, on_delete='RESTRICT')
        application = ForeignKeyField(Application, null=True, unique=True, on_delete='SET NULL')
        start_date = DateField()
        end_date = DateField(index=True)
        cohort = IntegerField()
        consultant = ForeignKeyField(Account, null=True, on_delete='SET NULL')
        yearly_grant_ore = BigIntegerField(null=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'agreement'
    db.create_tables([Agreement])

    class AgreementExtension(Model):
        agreement = ForeignKeyField(Agreement, on_delete='CASCADE')
        previous_end = DateField()
        new_end = DateField()
        reason = TextField(default='')
        actor = CharField(max_length=200)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'agreement_extension'
    db.create_tables([AgreementExtension])

    class ResourcePerson(Model):
        agreement = ForeignKeyField(Agreement, on_delete='CASCADE')
        name = CharField(max_length=200)
        email = CharField(max_length=200, default='')
        phone = CharField(max_length=40, default='')
        hours_per_week = IntegerField()
        started_on = DateField()
        ended_on = DateField(null=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'resource_person'
    db.create_tables([ResourcePerson])

    class HandoverNote(Model):
        agreement = ForeignKeyField(Agreement, on_delete='CASCADE')
        from_person = ForeignKeyField(ResourcePerson, null=True, on_delete='SET NULL', backref='notes_written')
        to_person = ForeignKeyField(ResourcePerson, null=True, on_delete='SET NULL', backref='notes_received')
        text = TextField()
        written_by = CharField(max_length=200)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'handover_note'
    db.create_tables([HandoverNote])


def down(migrator, db):
    for table in ('handover_note', 'resource_person', 'agreement_extension', 'agreement',
                  'application_review', 'application_answer', 'application', 'call_question', 'call'):
        migrator.migrate(migrator.drop_table(table))
