"""Two-factor authentication: TOTP secrets, hashed recovery codes and the login challenge
between the password and the code (issue 3).

Frozen copies of the models in ``core.models.two_factor`` as they were when this script was
written: later changes get new numbered scripts, never edits here.
"""
from peewee import *


def up(migrator, db):
    class Account(Model):
        class Meta:
            database = db
            table_name = 'account'

    class TwoFactor(Model):
        account = ForeignKeyField(Account, unique=True, on_delete='CASCADE')
        secret = CharField(max_length=64)
        created_at = DateTimeField()
        enabled_at = DateTimeField(null=True)
        last_step = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'two_factor'
    db.create_tables([TwoFactor])

    class RecoveryCode(Model):
        account = ForeignKeyField(Account, on_delete='CASCADE')
        code_hash = CharField(index=True, max_length=64)
        created_at = DateTimeField()
        used_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'recovery_code'
    db.create_tables([RecoveryCode])

    class LoginChallenge(Model):
        id = CharField(primary_key=True, max_length=64)
        account = ForeignKeyField(Account, on_delete='CASCADE')
        created_at = DateTimeField()
        next_path = CharField(max_length=500, default='/me')
        failures = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'login_challenge'
    db.create_tables([LoginChallenge])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('login_challenge'))
    migrator.migrate(migrator.drop_table('recovery_code'))
    migrator.migrate(migrator.drop_table('two_factor'))
