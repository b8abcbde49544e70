"""The core registry: municipalities, organisations, programmes, memberships, money, audit.

Generated with `python -m playhouse.migrations ... initial core.models:CORE_MODELS` and frozen:
later model changes get new numbered scripts, never edits here. Python-side defaults
(timestamps) are set by the models, not the schema.
"""
from peewee import *


def up(migrator, db):
    class AuditEntry(Model):
        id = BigAutoField()
        at = DateTimeField(index=True)
        actor = CharField(max_length=200)
        action = CharField(index=True, max_length=80)
        object_type = CharField(max_length=80)
        object_id = CharField(max_length=80)
        scope = CharField(index=True, max_length=80, default='')
        before = TextField(default='')
        after = TextField(default='')
        class Meta:
            database = db
            table_name = 'audit_entry'
    db.create_tables([AuditEntry])

    class ChangeCounter(Model):
        name = CharField(primary_key=True, max_length=40)
        value = BigIntegerField(default=0)
        class Meta:
            database = db
            table_name = 'change_counter'
    db.create_tables([ChangeCounter])

    class Municipality(Model):
        code = CharField(unique=True, max_length=4)
        name = CharField(max_length=100)
        region = CharField(max_length=100, default='')
        slug = CharField(unique=True, max_length=100)
        class Meta:
            database = db
            table_name = 'municipality'
    db.create_tables([Municipality])

    class Organisation(Model):
        change_number = BigIntegerField(index=True, default=0)
        deleted_at = DateTimeField(null=True)
        name = CharField(max_length=200)
        slug = CharField(unique=True, max_length=200)
        kind = CharField(index=True, max_length=40)
        cvr = CharField(unique=True, null=True, max_length=8)
        municipality = ForeignKeyField(Municipality, null=True, on_delete='RESTRICT')
        description = TextField(default='')
        street = CharField(max_length=200, default='')
        postcode = CharField(max_length=4, default='')
        city = CharField(max_length=100, default='')
        email = CharField(max_length=200, default='')
        phone = CharField(max_length=40, default='')
        website = CharField(max_length=300, default='')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'organisation'
    db.create_tables([Organisation])

    class Programme(Model):
        change_number = BigIntegerField(index=True, default=0)
        deleted_at = DateTimeField(null=True)
        name = CharField(max_length=200)
        slug = CharField(unique=True, max_length=200)
        programme_type = CharField(index=True, max_length=80)
        municipality = ForeignKeyField(Municipality, on_delete='RESTRICT')
        owner_organisation = ForeignKeyField(Organisation, null=True, on_delete='RESTRICT')
        funder = ForeignKeyField(Organisation, null=True, on_delete='RESTRICT')
        description = TextField(default='')
        start_date = DateField()
        end_date = DateField(null=True)
        status = CharField(max_length=20, default='active')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'programme'
    db.create_tables([Programme])

    class Grant(Model):
        change_number = BigIntegerField(index=True, default=0)
        deleted_at = DateTimeField(null=True)
        programme = ForeignKeyField(Programme, on_delete='RESTRICT')
        organisation = ForeignKeyField(Organisation, on_delete='RESTRICT')
        year = IntegerField()
        amount_ore = BigIntegerField()
        purpose = CharField(max_length=500, default='')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'programme_grant'
            indexes = ((('programme', 'organisation', 'year'), True),)
    db.create_tables([Grant])

    class Membership(Model):
        change_number = BigIntegerField(index=True, default=0)
        deleted_at = DateTimeField(null=True)
        programme = ForeignKeyField(Programme, on_delete='CASCADE')
        organisation = ForeignKeyField(Organisation, on_delete='CASCADE')
        role = CharField(max_length=20)
        joined_on = DateField(null=True)
        left_on = DateField(null=True)
        class Meta:
            database = db
            table_name = 'membership'
            indexes = ((('programme', 'organisation'), True),)
    db.create_tables([Membership])

    class OrganisationTargetGroup(Model):
        organisation = ForeignKeyField(Organisation, on_delete='CASCADE')
        target_group = CharField(index=True, max_length=40)
        class Meta:
            database = db
            table_name = 'organisation_target_group'
            indexes = ((('organisation', 'target_group'), True),)
    db.create_tables([OrganisationTargetGroup])

    class ProgrammeBudget(Model):
        programme = ForeignKeyField(Programme, on_delete='CASCADE')
        year = IntegerField()
        amount_ore = BigIntegerField()
        class Meta:
            database = db
            table_name = 'programme_budget'
            indexes = ((('programme', 'year'), True),)
    db.create_tables([ProgrammeBudget])

    class SignOnFee(Model):
        change_number = BigIntegerField(index=True, default=0)
        deleted_at = DateTimeField(null=True)
        programme = ForeignKeyField(Programme, on_delete='RESTRICT')
        organisation = ForeignKeyField(Organisation, on_delete='RESTRICT')
        amount_ore = BigIntegerField()
        granted_on = DateField()
        note = CharField(max_length=500, default='')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'sign_on_fee'
    db.create_tables([SignOnFee])
    ChangeCounter.insert(name='global', value=0).on_conflict_ignore().execute()


def down(migrator, db):
    migrator.migrate(migrator.drop_table('sign_on_fee'))
    migrator.migrate(migrator.drop_table('programme_budget'))
    migrator.migrate(migrator.drop_table('organisation_target_group'))
    migrator.migrate(migrator.drop_table('membership'))
    migrator.migrate(migrator.drop_table('programme_grant'))
    migrator.migrate(migrator.drop_table('programme'))
    migrator.migrate(migrator.drop_table('organisation'))
    migrator.migrate(migrator.drop_table('municipality'))
    migrator.migrate(migrator.drop_table('change_counter'))
    migrator.migrate(migrator.drop_table('audit_entry'))
