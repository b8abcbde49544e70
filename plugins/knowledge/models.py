"""The knowledge plugin's tables: learnings, the comments on them, the method library, and (on a
national instance) the search index of learnings and methods harvested from other instances.

A learning and a method are ``Shareable`` (a change number taken in the write transaction and a
tombstone on delete), so the federation's feeds can publish those shared nationally and tell
harvesters when one is deleted or stops being shared. Both are governed (``LearningScope``)
where their municipality, their organisation or their programme is governed; who may *read*
one is its visibility (``plugins.knowledge.visibility``), which is wider than who governs it.

Timestamps are naive UTC, as ``core.models.account``'s.
"""
from __future__ import annotations

from peewee import (BigIntegerField, BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField,
                    TextField)

from core.clock import now
from core.db import BaseModel
from core.models.account import Account
from core.models.changes import Shareable
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.scope import NOTHING, InstanceOnly, Scope, ScopeRule, Via, condition_for, scope_of

VISIBILITIES = ("network", "municipality", "national", "public")
SHARED_NATIONALLY = ("national", "public")  # what the federation's feeds publish


def _ids(*values) -> frozenset[int]:
    return frozenset(value for value in values if value is not None)


class LearningScope(ScopeRule):
    """Governed by its municipality, by its organisation (whose own people act on it: an
    association's resource person edits the association's learnings) and by whoever governs its
    programme (the volunteer centre that runs a partnership)."""

    def scope(self, row) -> Scope:
        scope = Scope(_ids(row.municipality_id), _ids(row.organisation_id),
                      own_organisation_ids=_ids(row.organisation_id))
        if row.programme_id is not None:
            programme = Programme.get_or_none(Programme.id == row.programme_id)
            if programme is not None:
                governors = scope_of(programme)
                scope = Scope(scope.municipality_ids | governors.municipality_ids,
                              scope.organisation_ids | governors.organisation_ids,
                              own_organisation_ids=scope.own_organisation_ids)
        return scope

    def condition(self, model, municipality_ids, organisation_ids):
        governed = Programme.select(Programme.id).where(condition_for(Programme, municipality_ids, organisation_ids))
        return (model.municipality.in_(municipality_ids) | model.organisation.in_(organisation_ids)
                | model.programme.in_(governed))

    def own_condition(self, model, organisation_ids):
        return model.organisation.in_(organisation_ids) if organisation_ids else NOTHING


class Learning(Shareable):
    """An experience written up in Markdown, tagged, linked and given a visibility."""

    title = CharField(max_length=200)
    summary = TextField()                      # one or two sentences, plain text: lists and feeds show it
    body = TextField(default="")               # Markdown, rendered and sanitised when shown
    municipality = ForeignKeyField(Municipality, null=True, on_delete="RESTRICT")
    organisation = ForeignKeyField(Organisation, null=True, on_delete="RESTRICT")
    programme = ForeignKeyField(Programme, null=True, on_delete="RESTRICT")
    # a meeting of the network-life plugin, when it is enabled: a soft link (its key, words and address)
    meeting_ref = CharField(max_length=100, default="")
    meeting_label = CharField(max_length=200, default="")
    meeting_url = CharField(max_length=300, default="")
    focus_area = CharField(max_length=120, default="")   # '<programme type>:<number>' or 'general:<key>'
    target_group = CharField(max_length=40, default="")
    method = CharField(max_length=40, default="")        # a key of vocabulary.METHODS
    visibility = CharField(max_length=20, default="network", index=True)
    author = ForeignKeyField(Account, null=True, on_delete="SET NULL")
    author_name = CharField(max_length=200, default="")
    source = CharField(max_length=500, default="")       # where a quoted learning comes from
    illustrative = BooleanField(default=False)           # demo data the sources give no figure for
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    scope_rule = LearningScope()

    class Meta:
        table_name = "knowledge_learning"


class Method(Shareable):
    """A learning promoted to the method library: what it is, for whom, the steps, what it takes
    and the evidence for it (each Markdown)."""

    learning = ForeignKeyField(Learning, unique=True, on_delete="RESTRICT")
    title = CharField(max_length=200)
    method_key = CharField(max_length=40, default="other")
    what = TextField(default="")
    for_whom = TextField(default="")
    steps = TextField(default="")
    what_it_takes = TextField(default="")
    evidence = TextField(default="")
    municipality = ForeignKeyField(Municipality, null=True, on_delete="RESTRICT")
    organisation = ForeignKeyField(Organisation, null=True, on_delete="RESTRICT")
    programme = ForeignKeyField(Programme, null=True, on_delete="RESTRICT")
    focus_area = CharField(max_length=120, default="")
    target_group = CharField(max_length=40, default="")
    visibility = CharField(max_length=20, default="network", index=True)
    author = ForeignKeyField(Account, null=True, on_delete="SET NULL")   # who promoted it
    author_name = CharField(max_length=200, default="")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    scope_rule = LearningScope()

    class Meta:
        table_name = "knowledge_method"


class Comment(BaseModel):
    """A comment on a learning: the conversation of those who work where the learning was made.
    Comments stay on this instance (no feed carries them)."""

    learning = ForeignKeyField(Learning, backref="comments", on_delete="CASCADE")
    author = ForeignKeyField(Account, null=True, on_delete="SET NULL")
    author_name = CharField(max_length=200, default="")
    body = TextField()
    created_at = DateTimeField(default=now, index=True)

    scope_rule = Via("learning")

    class Meta:
        table_name = "knowledge_comment"


class HarvestedKnowledge(BaseModel):
    """A learning or method harvested from another instance, as the national search reads it.

    Kept in step with the federation's ``HarvestedItem`` rows of the kinds ``learnings`` and
    ``methods`` (``plugins.knowledge.national.sync``): the row's ``item`` is that row's id, and
    ``modified`` its change number, so a changed, deleted or swept item is noticed. Only the
    instance's own administrator governs these rows (``InstanceOnly``); the national
    coordinator reads them through the national pages."""

    item = BigIntegerField(unique=True)
    modified = BigIntegerField()
    kind = CharField(max_length=20)            # learnings | methods
    peer = CharField(max_length=100)
    remote_id = CharField(max_length=100)
    title = CharField(max_length=200)
    summary = TextField(default="")
    body = TextField(default="")               # the Markdown text(s), for the search index
    municipality_code = CharField(max_length=4, default="")
    municipality_name = CharField(max_length=100, default="")
    organisation_name = CharField(max_length=200, default="")
    programme_name = CharField(max_length=200, default="")
    focus_area = CharField(max_length=120, default="", index=True)
    focus_area_da = CharField(max_length=200, default="")
    focus_area_en = CharField(max_length=200, default="")
    target_group = CharField(max_length=40, default="")
    method_key = CharField(max_length=40, default="", index=True)
    url = CharField(max_length=300, default="")
    year = IntegerField(null=True)

    scope_rule = InstanceOnly()

    class Meta:
        table_name = "knowledge_harvested"


MODELS = [Learning, Method, Comment, HarvestedKnowledge]
