"""The catalogue's tables: offers (activities and volunteer roles) of organisations, their target
groups, sessions, co-organisers and districts, and the visit counters.

An offer belongs to the organisation that runs it; it is governed where that organisation is
(its municipality's staff), by the organisation itself (its own people keep it up to date) and,
when the organisation asks one to, by a volunteer centre of the same municipality that helps
keep it up to date (the *steward*). ``OfferScope`` says so once, for ``core.authz.can`` and
``core.tenancy.scoped`` alike; the child tables are governed where their offer is.

No table holds a person who visits: ``OfferVisit`` is one counter per offer and day. No table
holds a child: an offer says which ages it is for, never who came. A contact is a role ("the
coach", "the office"); a person's own name is kept only with their consent.

Search: ``search_text`` (the folded words of the offer and its organisation) and ``facets``
(tokens for the filters, see ``plugins.catalogue.facets``) are written by the rules on every
save; the database's own index is built from them (migration 0001), so the text people type and
the text the index holds are folded by the same Python function on both backends.
"""
from __future__ import annotations


from peewee import (BooleanField, CharField, DateField, DateTimeField, FloatField, ForeignKeyField, IntegerField,
                    TextField)

from core import clock
from core.db import BaseModel
from core.models.changes import Shareable
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.scope import NOTHING, Columns, InstanceOnly, Scope, ScopeRule, Via

KINDS = ("activity", "volunteer_role")
CATEGORIES = ("sport", "culture", "community", "learning", "health", "nature", "support", "other")
MODES = ("in_person", "online", "both")
STATUSES = ("active", "paused", "ended")
MIN_AGE, MAX_AGE = 0, 120


class OfferScope(ScopeRule):
    """An offer is governed by its municipality, its organisation and its steward (a volunteer
    centre that helps keep it up to date); it is its organisation's own, so that
    organisation's people (resource persons, board members) act on it."""

    def scope(self, row) -> Scope:
        organisations = frozenset(i for i in (row.organisation_id, row.steward_id) if i is not None)
        own = frozenset({row.organisation_id} - {None})
        municipalities = frozenset({row.municipality_id} - {None})
        return Scope(municipalities, organisations, own_organisation_ids=own)

    def condition(self, model, municipality_ids, organisation_ids):
        return (model.municipality.in_(municipality_ids) | model.organisation.in_(organisation_ids)
                | model.steward.in_(organisation_ids))

    def own_condition(self, model, organisation_ids):
        return model.organisation.in_(organisation_ids) if organisation_ids else NOTHING


class District(BaseModel):
    """A part of a municipality as its people name it ('Himmelev', 'Jyllinge'): made the first
    time an offer names it, found again by its folded name, so 'Sonderlund' and 'Sønderlund'
    are one district."""

    municipality = ForeignKeyField(Municipality, on_delete="CASCADE")
    name = CharField(max_length=80)
    key = CharField(max_length=80)  # the folded name: one district per spelling

    scope_rule = Columns(municipality="municipality")

    class Meta:
        table_name = "catalogue_district"
        indexes = ((("municipality", "key"), True),)


class Offer(Shareable):
    organisation = ForeignKeyField(Organisation, on_delete="CASCADE", index=True)
    municipality = ForeignKeyField(Municipality, null=True, on_delete="RESTRICT", index=True)
    steward = ForeignKeyField(Organisation, null=True, on_delete="SET NULL", backref="stewarded_offers")
    kind = CharField(max_length=20, default="activity")
    title = CharField(max_length=200)
    description = TextField(default="")
    category = CharField(max_length=20, default="other")
    min_age = IntegerField(default=MIN_AGE)
    max_age = IntegerField(default=MAX_AGE)
    eligibility = TextField(default="")
    cost_ore = IntegerField(default=0)      # 0: free; money is whole øre
    cost_note = CharField(max_length=200, default="")
    schedule_note = CharField(max_length=300, default="")
    starts_on = DateField(null=True)        # the period the offer runs in, when it has one
    ends_on = DateField(null=True)
    street = CharField(max_length=200, default="")
    postcode = CharField(max_length=4, default="")
    city = CharField(max_length=100, default="")
    district = ForeignKeyField(District, null=True, on_delete="SET NULL", index=True)
    latitude = FloatField(null=True)
    longitude = FloatField(null=True)
    mode = CharField(max_length=20, default="in_person")
    online_url = CharField(max_length=300, default="")
    wheelchair = BooleanField(default=False)
    languages = CharField(max_length=200, default="")
    what_to_bring = TextField(default="")
    how_to_join = TextField(default="")
    contact_role = CharField(max_length=100, default="")
    contact_name = CharField(max_length=100, default="")   # only with the person's consent
    contact_consent = BooleanField(default=False)
    contact_email = CharField(max_length=200, default="")
    contact_phone = CharField(max_length=40, default="")
    status = CharField(max_length=20, default="active")
    published = BooleanField(default=False)
    last_checked = DateField()
    ended_on = DateField(null=True)         # when the status became 'ended' (for the yearly figures)
    created_at = DateTimeField(default=clock.now)
    updated_at = DateTimeField(default=clock.now)
    search_text = TextField(default="")     # folded words for the search index
    facets = TextField(default="")          # filter tokens for the search index
    indexed_at = DateTimeField(default=clock.now)

    scope_rule = OfferScope()

    class Meta:
        table_name = "catalogue_offer"

    @property
    def is_free(self) -> bool:
        return self.cost_ore == 0


class OfferTargetGroup(BaseModel):
    offer = ForeignKeyField(Offer, backref="target_group_rows", on_delete="CASCADE")
    target_group = CharField(max_length=40, index=True)

    scope_rule = Via("offer")

    class Meta:
        table_name = "catalogue_offer_target_group"
        indexes = ((("offer", "target_group"), True),)


class OfferSession(BaseModel):
    """When the offer meets: every week on a weekday (1 Monday … 7 Sunday), or on one date."""

    offer = ForeignKeyField(Offer, backref="session_rows", on_delete="CASCADE", index=True)
    weekday = IntegerField(null=True)
    on_date = DateField(null=True)
    starts_at = CharField(max_length=5, default="")   # 'HH:MM', Danish time
    ends_at = CharField(max_length=5, default="")

    scope_rule = Via("offer")

    class Meta:
        table_name = "catalogue_offer_session"


class OfferPartner(BaseModel):
    """Another organisation that runs the offer together with its organisation: a joint offer,
    what Roskilde's policy measures as cooperation between associations."""

    offer = ForeignKeyField(Offer, backref="partner_rows", on_delete="CASCADE", index=True)
    organisation = ForeignKeyField(Organisation, on_delete="CASCADE", index=True)

    scope_rule = Via("offer")

    class Meta:
        table_name = "catalogue_offer_partner"
        indexes = ((("offer", "organisation"), True),)


class OfferVisit(BaseModel):
    """How many times an offer's page was opened on a day: a counter, nothing about who."""

    offer = ForeignKeyField(Offer, on_delete="CASCADE")
    day = DateField(index=True)
    visits = IntegerField(default=0)

    scope_rule = Via("offer")

    class Meta:
        table_name = "catalogue_offer_visit"
        indexes = ((("offer", "day"), True),)


class CatalogueIdentity(BaseModel):
    """This instance's random 48-bit key, the first part of every open-data id it mints
    (``plugins.catalogue.hsds.uuid_for``), so two instances never publish the same id."""

    key = CharField(max_length=12)

    scope_rule = InstanceOnly()  # nobody's: only an instance-wide role reaches it

    class Meta:
        table_name = "catalogue_identity"


MODELS = (District, Offer, OfferTargetGroup, OfferSession, OfferPartner, OfferVisit, CatalogueIdentity)
