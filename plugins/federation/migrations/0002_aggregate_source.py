"""What each kind of published aggregate was last computed from (a frozen copy of
``AggregateSource`` in ``plugins/federation/models.py``): feed pages skip computing an aggregate
again while its sources are unchanged (issue 12)."""
from peewee import *


def up(migrator, db):
    class AggregateSource(Model):
        kind = CharField(max_length=40, primary_key=True)
        fingerprint = TextField()
        computed_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'federation_aggregate_source'

    db.create_tables([AggregateSource])


def down(migrator, db):
    db.execute_sql('DROP TABLE IF EXISTS federation_aggregate_source')
