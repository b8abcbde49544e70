"""Accounts, their roles in a scope, database-held sessions and login attempts (issue 3).

Frozen copies of the models in ``core.models.account`` as they were when this script was
written: later changes get new numbered scripts, never edits here.
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
        email = CharField(unique=True, max_length=254)
        name = CharField(max_length=200, default='')
        password_hash = CharField(max_length=255)
        active = BooleanField(default=True)
        created_at = DateTimeField()
        last_login_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'account'
    db.create_tables([Account])

    class RoleAssignment(Model):
        account = ForeignKeyField(Account, on_delete='CASCADE')
        role = CharField(index=True, max_length=40)
        municipality = ForeignKeyField(Municipality, null=True, on_delete='RESTRICT')
        organisation = ForeignKeyField(Organisation, null=True, on_delete='RESTRICT')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'role_assignment'
    db.create_tables([RoleAssignment])

    class Session(Model):
        id = CharField(primary_key=True, max_length=64)
        account = ForeignKeyField(Account, on_delete='CASCADE')
        created_at = DateTimeField()
        last_seen_at = DateTimeField()
        ended_at = DateTimeField(null=True)
        end_reason = CharField(max_length=20, default='')
        user_agent = CharField(max_length=200, default='')
        class Meta:
            database = db
            table_name = 'login_session'
    db.create_tables([Session])

    class LoginAttempt(Model):
        key_kind = CharField(max_length=10)
        key_value = CharField(max_length=254)
        at = DateTimeField()
        success = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'login_attempt'
            indexes = ((('key_kind', 'key_value', 'at'), False),)
    db.create_tables([LoginAttempt])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('login_attempt'))
    migrator.migrate(migrator.drop_table('login_session'))
    migrator.migrate(migrator.drop_table('role_assignment'))
    migrator.migrate(migrator.drop_table('account'))
