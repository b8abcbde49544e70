"""The mail outbox, invitations and password resets (issue 3).

Frozen copies of the models in ``core.models.outbox`` and ``core.models.tokens`` as they were
when this script was written: later changes get new numbered scripts, never edits here.
"""
from peewee import *


def up(migrator, db):
    class Municipality(Model):
        class Meta:
            database = db
            table_name = 'municipality'

    class Organisation(Model):
        class Meta:
            database = db
            table_name = 'organisation'

    class Account(Model):
        class Meta:
            database = db
            table_name = 'account'

    class OutboxMessage(Model):
        created_at = DateTimeField(index=True)
        sender = CharField(max_length=254)
        recipient = CharField(index=True, max_length=254)
        subject = CharField(max_length=300)
        body = TextField()
        class Meta:
            database = db
            table_name = 'outbox_message'
    db.create_tables([OutboxMessage])

    class Invitation(Model):
        token_hash = CharField(unique=True, max_length=64)
        email = CharField(index=True, max_length=254)
        role = CharField(max_length=40)
        municipality = ForeignKeyField(Municipality, null=True, on_delete='CASCADE')
        organisation = ForeignKeyField(Organisation, null=True, on_delete='CASCADE')
        invited_by = ForeignKeyField(Account, null=True, backref='+', on_delete='SET NULL')
        created_at = DateTimeField()
        expires_at = DateTimeField()
        used_at = DateTimeField(null=True)
        accepted_by = ForeignKeyField(Account, null=True, backref='+', on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'invitation'
    db.create_tables([Invitation])

    class PasswordReset(Model):
        token_hash = CharField(unique=True, max_length=64)
        account = ForeignKeyField(Account, on_delete='CASCADE')
        created_at = DateTimeField(index=True)
        expires_at = DateTimeField()
        used_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'password_reset'
    db.create_tables([PasswordReset])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('password_reset'))
    migrator.migrate(migrator.drop_table('invitation'))
    migrator.migrate(migrator.drop_table('outbox_message'))
