"""Payment requests for sign-on fees and grant instalments (issue 4, part 5).

Frozen copies of ``core.models.payment`` as it was when this script was written: later changes
get new numbered scripts, never edits here.
"""
from peewee import *


def up(migrator, db):
    class Account(Model):
        class Meta:
            database = db
            table_name = 'account'

    class Organisation(Model):
        class Meta:
            database = db
            table_name = 'organisation'

    class Programme(Model):
        class Meta:
            database = db
            table_name = 'programme'

    class SignOnFee(Model):
        class Meta:
            database = db
            table_name = 'sign_on_fee'

    class Grant(Model):
        class Meta:
            database = db
            table_name = 'programme_grant'

    class PaymentRequest(Model):
        programme = ForeignKeyField(Programme, on_delete='RESTRICT')
        organisation = ForeignKeyField(Organisation, on_delete='RESTRICT')
        kind = CharField(max_length=20)
        sign_on_fee = ForeignKeyField(SignOnFee, null=True, on_delete='RESTRICT')
        grant = ForeignKeyField(Grant, null=True, on_delete='RESTRICT')
        budget_year = IntegerField(index=True)
        amount_ore = BigIntegerField()
        status = CharField(index=True, max_length=12, default='created')
        note = CharField(max_length=500, default='')
        created_by = ForeignKeyField(Account, on_delete='RESTRICT')
        approved_by = ForeignKeyField(Account, null=True, on_delete='RESTRICT')
        approved_at = DateTimeField(null=True)
        paid_on = DateField(null=True)
        reference = CharField(max_length=100, default='')
        cancelled_by = ForeignKeyField(Account, null=True, on_delete='RESTRICT')
        cancel_reason = CharField(max_length=500, default='')
        idempotency_key = CharField(unique=True, max_length=100)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'payment_request'
    db.create_tables([PaymentRequest])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('payment_request'))
