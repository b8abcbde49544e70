"""The fake plugin's own table, in its own migration history (frozen model, like the core's)."""
from peewee import CharField, Model


def up(migrator, db):
    class FakeNote(Model):
        text = CharField(max_length=200)

        class Meta:
            database = db
            table_name = "fake_note"
    db.create_tables([FakeNote])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("fake_note"))
