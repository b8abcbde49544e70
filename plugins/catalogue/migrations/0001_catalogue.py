"""The catalogue's tables (frozen copies of ``plugins/catalogue/models.py``), their search index
and this instance's open-data key.

The search index is built from two columns the rules write on every save, ``search_text``
(folded words) and ``facets`` (filter tokens): SQLite keeps an FTS5 table filled by triggers
that copy them (no SQL function needed, so any writer keeps the index right); PostgreSQL keeps
two generated tsvectors with GIN indexes. Partial indexes give the list's order (title, id)
over live offers, in the whole country and within a municipality.
"""
import secrets

from peewee import *
from peewee import PostgresqlDatabase


SQLITE_UP = [
    """CREATE VIRTUAL TABLE catalogue_offer_search USING fts5(
           body, facets, tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER catalogue_offer_search_insert AFTER INSERT ON catalogue_offer
           WHEN new.deleted_at IS NULL BEGIN
           INSERT INTO catalogue_offer_search(rowid, body, facets) VALUES (new.id, new.search_text, new.facets);
       END""",
    """CREATE TRIGGER catalogue_offer_search_delete AFTER DELETE ON catalogue_offer BEGIN
           DELETE FROM catalogue_offer_search WHERE rowid = old.id;
       END""",
    """CREATE TRIGGER catalogue_offer_search_update AFTER UPDATE OF search_text, facets, deleted_at
           ON catalogue_offer BEGIN
           DELETE FROM catalogue_offer_search WHERE rowid = old.id;
           INSERT INTO catalogue_offer_search(rowid, body, facets)
               SELECT new.id, new.search_text, new.facets WHERE new.deleted_at IS NULL;
       END""",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS catalogue_offer_search_update",
               "DROP TRIGGER IF EXISTS catalogue_offer_search_delete",
               "DROP TRIGGER IF EXISTS catalogue_offer_search_insert",
               "DROP TABLE IF EXISTS catalogue_offer_search"]

POSTGRES_UP = [
    """ALTER TABLE catalogue_offer ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
           to_tsvector('danish', search_text) || to_tsvector('simple', search_text)) STORED""",
    """ALTER TABLE catalogue_offer ADD COLUMN facet_vector tsvector GENERATED ALWAYS AS (
           to_tsvector('simple', facets)) STORED""",
    "CREATE INDEX catalogue_offer_search_vector ON catalogue_offer USING GIN (search_vector)",
    "CREATE INDEX catalogue_offer_facet_vector ON catalogue_offer USING GIN (facet_vector)",
]

INDEXES = [
    "CREATE INDEX catalogue_offer_live_title ON catalogue_offer (title, id) WHERE deleted_at IS NULL",
    "CREATE INDEX catalogue_offer_live_municipality_title ON catalogue_offer (municipality_id, title, id) "
    "WHERE deleted_at IS NULL",
    "CREATE INDEX catalogue_offer_live_checked ON catalogue_offer (last_checked) WHERE deleted_at IS NULL",
]


def up(migrator, db):
    class Municipality(Model):
        class Meta:
            database = db
            table_name = 'municipality'

    class Organisation(Model):
        class Meta:
            database = db
            table_name = 'organisation'

    class District(Model):
        municipality = ForeignKeyField(Municipality, on_delete='CASCADE')
        name = CharField(max_length=80)
        key = CharField(max_length=80)
        class Meta:
            database = db
            table_name = 'catalogue_district'
            indexes = ((('municipality', 'key'), True),)

    class Offer(Model):
        change_number = BigIntegerField(default=0, index=True)
        deleted_at = DateTimeField(null=True)
        organisation = ForeignKeyField(Organisation, on_delete='CASCADE', index=True)
        municipality = ForeignKeyField(Municipality, null=True, on_delete='RESTRICT', index=True)
        steward = ForeignKeyField(Organisation, null=True, on_delete='SET NULL', backref='stewarded_offers')
        kind = CharField(max_length=20, default='activity')
        title = CharField(max_length=200)
        description = TextField(default='')
        category = CharField(max_length=20, default='other')
        min_age = IntegerField(default=0)
        max_age = IntegerField(default=120)
        eligibility = TextField(default='')
        cost_ore = IntegerField(default=0)
        cost_note = CharField(max_length=200, default='')
        schedule_note = CharField(max_length=300, default='')
        starts_on = DateField(null=True)
        ends_on = DateField(null=True)
        street = CharField(max_length=200, default='')
        postcode = CharField(max_length=4, default='')
        city = CharField(max_length=100, default='')
        district = ForeignKeyField(District, null=True, on_delete='SET NULL', index=True)
        latitude = FloatField(null=True)
        longitude = FloatField(null=True)
        mode = CharField(max_length=20, default='in_person')
        online_url = CharField(max_length=300, default='')
        wheelchair = BooleanField(default=False)
        languages = CharField(max_length=200, default='')
        what_to_bring = TextField(default='')
        how_to_join = TextField(default='')
        contact_role = CharField(max_length=100, default='')
        contact_name = CharField(max_length=100, default='')
        contact_consent = BooleanField(default=False)
        contact_email = CharField(max_length=200, default='')
        contact_phone = CharField(max_length=40, default='')
        status = CharField(max_length=20, default='active')
        published = BooleanField(default=False)
        last_checked = DateField()
        ended_on = DateField(null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        search_text = TextField(default='')
        facets = TextField(default='')
        indexed_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'catalogue_offer'

    class OfferTargetGroup(Model):
        offer = ForeignKeyField(Offer, on_delete='CASCADE')
        target_group = CharField(max_length=40, index=True)
        class Meta:
            database = db
            table_name = 'catalogue_offer_target_group'
            indexes = ((('offer', 'target_group'), True),)

    class OfferSession(Model):
        offer = ForeignKeyField(Offer, on_delete='CASCADE', index=True)
        weekday = IntegerField(null=True)
        on_date = DateField(null=True)
        starts_at = CharField(max_length=5, default='')
        ends_at = CharField(max_length=5, default='')
        class Meta:
            database = db
            table_name = 'catalogue_offer_session'

    class OfferPartner(Model):
        offer = ForeignKeyField(Offer, on_delete='CASCADE', index=True)
        organisation = ForeignKeyField(Organisation, on_delete='CASCADE', index=True)
        class Meta:
            database = db
            table_name = 'catalogue_offer_partner'
            indexes = ((('offer', 'organisation'), True),)

    class OfferVisit(Model):
        offer = ForeignKeyField(Offer, on_delete='CASCADE')
        day = DateField(index=True)
        visits = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'catalogue_offer_visit'
            indexes = ((('offer', 'day'), True),)

    class CatalogueIdentity(Model):
        key = CharField(max_length=12)
        class Meta:
            database = db
            table_name = 'catalogue_identity'

    db.create_tables([District, Offer, OfferTargetGroup, OfferSession, OfferPartner, OfferVisit, CatalogueIdentity])
    for statement in (POSTGRES_UP if isinstance(db, PostgresqlDatabase) else SQLITE_UP) + INDEXES:
        db.execute_sql(statement)
    CatalogueIdentity.insert(key=secrets.token_hex(6)).execute()


def down(migrator, db):
    if not isinstance(db, PostgresqlDatabase):
        for statement in SQLITE_DOWN:
            db.execute_sql(statement)
    for table in ('catalogue_identity', 'catalogue_offer_visit', 'catalogue_offer_partner', 'catalogue_offer_session',
                  'catalogue_offer_target_group', 'catalogue_offer', 'catalogue_district'):
        migrator.migrate(migrator.drop_table(table))
