"""Personal access tokens for the JSON API (issue 4, part 9).

Frozen copies of ``core.models.api_token`` as it was when this script was written: later
changes get new numbered scripts, never edits here.
"""
from peewee import *


def up(migrator, db):
    class Account(Model):
        class Meta:
            database = db
            table_name = 'account'

    class ApiToken(Model):
        account = ForeignKeyField(Account, on_delete='CASCADE')
        name = CharField(max_length=100)
        token_hash = CharField(unique=True, max_length=64)
        prefix = CharField(max_length=16)
        created_at = DateTimeField()
        last_used_at = DateTimeField(null=True)
        revoked_at = DateTimeField(null=True)
        expires_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = 'api_token'
    db.create_tables([ApiToken])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('api_token'))
