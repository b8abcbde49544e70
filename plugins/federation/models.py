"""The federation's tables: what an instance publishes and to whom, and what the national
instance harvests from whom.

Publishing side: the instance's identity and feed epoch, what its administrators share (per
municipality and kind), the harvesters allowed to read (each with its keys), the nonces of
requests already served (a replayed token is refused), the reports harvesters send back, and
the aggregates it publishes (suppressed counts). Harvesting side: the peers, their keys, a
cursor per peer and kind, every harvested item, and a report per run and peer.

Timestamps follow the core's one convention (``core.clock``): aware UTC in Python, UTC in the
database, on SQLite and PostgreSQL alike.
"""
from __future__ import annotations

from peewee import (BigIntegerField, BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField,
                    TextField)

from core import clock
from core.db import BaseModel
from core.models.changes import Shareable
from core.scope import InstanceOnly


class InstanceWide:
    """Rows of the instance as a whole, no municipality's or organisation's: only an
    instance-wide grant (the platform administrator) reaches them (``core.scope``)."""

    scope_rule = InstanceOnly()


# --- publishing ------------------------------------------------------------------------------

class FederationIdentity(InstanceWide, BaseModel):
    """This instance as harvesters know it: a stable id and the current feed epoch. A new epoch
    (after restoring a backup, say) tells harvesters to read everything again."""

    instance_id = CharField(max_length=32)
    epoch = CharField(max_length=32)
    epoch_started_at = DateTimeField(default=clock.now)

    class Meta:
        table_name = "federation_identity"


class ShareSetting(InstanceWide, BaseModel):
    """Whether one kind is shared for one scope: ``municipality:<id>`` or ``instance`` (the
    organisations that belong to no municipality). No row means not shared."""

    scope = CharField(max_length=40)
    kind = CharField(max_length=40)
    shared = BooleanField(default=False)
    changed_at = DateTimeField(default=clock.now)
    changed_by = CharField(max_length=200, default="")

    class Meta:
        table_name = "federation_share_setting"
        indexes = ((("scope", "kind"), True),)


class Harvester(InstanceWide, BaseModel):
    """A harvester allowed to read this instance's feeds (the national coordinator's instance)."""

    name = CharField(max_length=100, unique=True)
    created_at = DateTimeField(default=clock.now)
    created_by = CharField(max_length=200, default="")
    revoked_at = DateTimeField(null=True)

    class Meta:
        table_name = "federation_harvester"


class HarvesterKey(InstanceWide, BaseModel):
    """One key of a harvester. Only the key id is stored: the key itself is derived from the
    instance's secret key and the id (``signing.publisher_secret``), so a copy of the database
    holds no usable key."""

    client = ForeignKeyField(Harvester, backref="keys", on_delete="CASCADE")
    kid = CharField(max_length=16, unique=True)
    created_at = DateTimeField(default=clock.now)
    revoked_at = DateTimeField(null=True)
    last_used_at = DateTimeField(null=True)

    class Meta:
        table_name = "federation_client_key"


class UsedNonce(InstanceWide, BaseModel):
    """The nonce of a request already served, kept until its token has expired anyway."""

    nonce = CharField(max_length=64, primary_key=True)
    expires_at = DateTimeField(index=True)

    class Meta:
        table_name = "federation_used_nonce"


class ReceivedReport(InstanceWide, BaseModel):
    """A harvester's report of a run against this instance, sent back signed after the run."""

    client = ForeignKeyField(Harvester, backref="reports", on_delete="CASCADE")
    received_at = DateTimeField(default=clock.now, index=True)
    started_at = DateTimeField(null=True)
    finished_at = DateTimeField(null=True)
    status = CharField(max_length=20)
    summary = TextField(default="")

    class Meta:
        table_name = "federation_received_report"


class PublishedAggregate(Shareable):
    """A published count (suppressed where small): one row per kind and key, with its own change
    number taken when its value changes, and a tombstone when it disappears."""

    kind = CharField(max_length=40)
    key = CharField(max_length=200)
    municipality_id = IntegerField(null=True)
    data = TextField()

    class Meta:
        table_name = "federation_published_aggregate"
        indexes = ((("kind", "key"), True),)


class AggregateSource(InstanceWide, BaseModel):
    """What a kind of published aggregate was last computed from: a fingerprint of its sources
    (``aggregates.aggregate_kind``). While the sources' fingerprint stays the same, serving a feed
    page does not compute the aggregate again (a GROUP BY over every yearly count at national size)."""

    kind = CharField(max_length=40, primary_key=True)
    fingerprint = TextField()
    computed_at = DateTimeField(default=clock.now)

    class Meta:
        table_name = "federation_aggregate_source"


# --- harvesting ------------------------------------------------------------------------------

class Peer(InstanceWide, BaseModel):
    """An instance the national instance harvests."""

    name = CharField(max_length=100, unique=True)
    base_url = CharField(max_length=300)
    instance_id = CharField(max_length=32, default="")
    instance_name = CharField(max_length=200, default="")
    epoch = CharField(max_length=32, default="")
    generation = IntegerField(default=0)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=clock.now)
    last_run_at = DateTimeField(null=True)
    last_success_at = DateTimeField(null=True)
    last_status = CharField(max_length=20, default="")
    last_message = TextField(default="")

    class Meta:
        table_name = "federation_peer"


class PeerKey(InstanceWide, BaseModel):
    """A key the peer's administrator gave us; the newest one not revoked signs requests."""

    peer = ForeignKeyField(Peer, backref="keys", on_delete="CASCADE")
    kid = CharField(max_length=16)
    secret = CharField(max_length=100)
    created_at = DateTimeField(default=clock.now)
    revoked_at = DateTimeField(null=True)

    class Meta:
        table_name = "federation_peer_key"
        indexes = ((("peer", "kid"), True),)


class HarvestCursor(InstanceWide, BaseModel):
    """How far the harvest of one peer's kind got: committed with the items it covers."""

    peer = ForeignKeyField(Peer, backref="cursors", on_delete="CASCADE")
    kind = CharField(max_length=40)
    after = BigIntegerField(default=0)
    generation = IntegerField(default=0)
    complete = BooleanField(default=False)
    updated_at = DateTimeField(default=clock.now)

    class Meta:
        table_name = "federation_harvest_cursor"
        indexes = ((("peer", "kind"), True),)


class HarvestedItem(InstanceWide, BaseModel):
    """One item as a peer last published it, with the facets dashboards group by."""

    peer = ForeignKeyField(Peer, backref="items", on_delete="CASCADE")
    kind = CharField(max_length=40)
    item_id = CharField(max_length=100)
    modified = BigIntegerField()
    generation = IntegerField(default=0)
    data = TextField()
    municipality_code = CharField(max_length=4, default="", index=True)
    municipality_name = CharField(max_length=100, default="")
    programme_type = CharField(max_length=80, default="", index=True)
    category = CharField(max_length=40, default="")
    year = IntegerField(null=True)
    value = BigIntegerField(null=True)
    suppressed = BooleanField(default=False)
    first_harvested_at = DateTimeField(default=clock.now)
    changed_at = DateTimeField(default=clock.now)

    class Meta:
        table_name = "federation_harvested_item"
        indexes = ((("peer", "kind", "item_id"), True), (("kind", "municipality_code"), False))


class HarvestRun(InstanceWide, BaseModel):
    """The report of one run against one peer: visible here and sent back to the peer."""

    peer = ForeignKeyField(Peer, backref="runs", on_delete="CASCADE")
    started_at = DateTimeField(default=clock.now, index=True)
    finished_at = DateTimeField(null=True)
    status = CharField(max_length=20, default="running")
    updated = IntegerField(default=0)
    deleted = IntegerField(default=0)
    pages = IntegerField(default=0)
    message = TextField(default="")
    detail = TextField(default="")
    delivered = BooleanField(default=False)

    class Meta:
        table_name = "federation_harvest_run"


PUBLISHING_MODELS = [FederationIdentity, ShareSetting, Harvester, HarvesterKey, UsedNonce, ReceivedReport,
                     PublishedAggregate, AggregateSource]
HARVESTING_MODELS = [Peer, PeerKey, HarvestCursor, HarvestedItem, HarvestRun]
MODELS = PUBLISHING_MODELS + HARVESTING_MODELS
