"""The yearly counts and which programme types count which metrics (frozen copies of
``plugins/membership_counts/models.py`` as they were when this script was written)."""
from peewee import *


def up(migrator, db):
    class Organisation(Model):
        class Meta:
            database = db
            table_name = 'organisation'

    class MemberCount(Model):
        metric = CharField(max_length=40)
        organisation = ForeignKeyField(Organisation, on_delete='CASCADE')
        year = IntegerField()
        value = IntegerField()
        note = TextField(default='')
        checked_on = DateField(null=True)
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'membership_count'
            indexes = ((('organisation', 'metric', 'year'), True), (('metric', 'year'), False))

    class CountSetting(Model):
        programme_type = CharField(max_length=80)
        metric = CharField(max_length=40)
        changed_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'membership_count_setting'
            indexes = ((('programme_type', 'metric'), True),)

    db.create_tables([MemberCount, CountSetting])


def down(migrator, db):
    for table in ('membership_count', 'membership_count_setting'):
        migrator.migrate(migrator.drop_table(table))
