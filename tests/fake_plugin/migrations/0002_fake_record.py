"""What the fake plugin notes (events, jobs, API records), in its own migration history."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, Model


def up(migrator, db):
    class Municipality(Model):
        class Meta:
            database = db
            table_name = "municipality"

    class FakeRecord(Model):
        kind = CharField(max_length=20)
        text = CharField(max_length=200)
        municipality = ForeignKeyField(Municipality, null=True, on_delete="CASCADE")
        programme_id = IntegerField(null=True)
        object_id = CharField(max_length=40)
        status = CharField(max_length=20)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "fake_record"
    db.create_tables([FakeRecord])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("fake_record"))
