"""The federation plugin's tables (frozen copies of ``plugins/federation/models.py``) and this
instance's identity: a random instance id and a first feed epoch."""
import datetime
import secrets

from peewee import *


def up(migrator, db):
    class FederationIdentity(Model):
        instance_id = CharField(max_length=32)
        epoch = CharField(max_length=32)
        epoch_started_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'federation_identity'

    class ShareSetting(Model):
        scope = CharField(max_length=40)
        kind = CharField(max_length=40)
        shared = BooleanField(default=False)
        changed_at = DateTimeField()
        changed_by = CharField(max_length=200, default='')
        class Meta:
            database = db
            table_name = 'federation_share_setting'
            indexes = ((('scope', 'kind'), True),)

    class HarvesterClient(Model):
        name = CharField(max_length=100, unique=True)
        created_at = DateTimeField()
        created_by = CharField(max_length=200, default='')
        revoked_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'federation_harvester'

    class ClientKey(Model):
        client = ForeignKeyField(HarvesterClient, on_delete='CASCADE')
        kid = CharField(max_length=16, unique=True)
        created_at = DateTimeField()
        revoked_at = DateTimeField(null=True)
        last_used_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'federation_client_key'

    class UsedNonce(Model):
        nonce = CharField(max_length=64, primary_key=True)
        expires_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'federation_used_nonce'

    class ReceivedReport(Model):
        client = ForeignKeyField(HarvesterClient, on_delete='CASCADE')
        received_at = DateTimeField(index=True)
        started_at = DateTimeField(null=True)
        finished_at = DateTimeField(null=True)
        status = CharField(max_length=20)
        summary = TextField(default='')
        class Meta:
            database = db
            table_name = 'federation_received_report'

    class PublishedAggregate(Model):
        change_number = BigIntegerField(index=True, default=0)
        deleted_at = DateTimeField(null=True)
        kind = CharField(max_length=40)
        key = CharField(max_length=200)
        municipality_id = IntegerField(null=True)
        data = TextField()
        class Meta:
            database = db
            table_name = 'federation_published_aggregate'
            indexes = ((('kind', 'key'), True),)

    class Peer(Model):
        name = CharField(max_length=100, unique=True)
        base_url = CharField(max_length=300)
        instance_id = CharField(max_length=32, default='')
        instance_name = CharField(max_length=200, default='')
        epoch = CharField(max_length=32, default='')
        generation = IntegerField(default=0)
        active = BooleanField(default=True)
        created_at = DateTimeField()
        last_run_at = DateTimeField(null=True)
        last_success_at = DateTimeField(null=True)
        last_status = CharField(max_length=20, default='')
        last_message = TextField(default='')
        class Meta:
            database = db
            table_name = 'federation_peer'

    class PeerKey(Model):
        peer = ForeignKeyField(Peer, on_delete='CASCADE')
        kid = CharField(max_length=16)
        secret = CharField(max_length=100)
        created_at = DateTimeField()
        revoked_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'federation_peer_key'
            indexes = ((('peer', 'kid'), True),)

    class HarvestCursor(Model):
        peer = ForeignKeyField(Peer, on_delete='CASCADE')
        kind = CharField(max_length=40)
        after = BigIntegerField(default=0)
        generation = IntegerField(default=0)
        complete = BooleanField(default=False)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'federation_harvest_cursor'
            indexes = ((('peer', 'kind'), True),)

    class HarvestedItem(Model):
        peer = ForeignKeyField(Peer, on_delete='CASCADE')
        kind = CharField(max_length=40)
        item_id = CharField(max_length=100)
        modified = BigIntegerField()
        generation = IntegerField(default=0)
        data = TextField()
        municipality_code = CharField(max_length=4, default='', index=True)
        municipality_name = CharField(max_length=100, default='')
        programme_type = CharField(max_length=80, default='', index=True)
        category = CharField(max_length=40, default='')
        year = IntegerField(null=True)
        value = BigIntegerField(null=True)
        suppressed = BooleanField(default=False)
        first_harvested_at = DateTimeField()
        changed_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'federation_harvested_item'
            indexes = ((('peer', 'kind', 'item_id'), True), (('kind', 'municipality_code'), False))

    class HarvestRun(Model):
        peer = ForeignKeyField(Peer, on_delete='CASCADE')
        started_at = DateTimeField(index=True)
        finished_at = DateTimeField(null=True)
        status = CharField(max_length=20, default='running')
        updated = IntegerField(default=0)
        deleted = IntegerField(default=0)
        pages = IntegerField(default=0)
        message = TextField(default='')
        detail = TextField(default='')
        delivered = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'federation_harvest_run'

    db.create_tables([FederationIdentity, ShareSetting, HarvesterClient, ClientKey, UsedNonce, ReceivedReport,
                      PublishedAggregate, Peer, PeerKey, HarvestCursor, HarvestedItem, HarvestRun])
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    FederationIdentity.insert(instance_id=secrets.token_hex(16), epoch=secrets.token_hex(8),
                              epoch_started_at=now).execute()


def down(migrator, db):
    for table in ('federation_harvest_run', 'federation_harvested_item', 'federation_harvest_cursor',
                  'federation_peer_key', 'federation_peer', 'federation_published_aggregate',
                  'federation_received_report', 'federation_used_nonce', 'federation_client_key',
                  'federation_harvester', 'federation_share_setting', 'federation_identity'):
        migrator.migrate(migrator.drop_table(table))
