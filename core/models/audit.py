"""The append-only audit log: who did what to which record, with before and after values."""
import json

from peewee import BigAutoField, CharField, DateTimeField, TextField, Value

from core import clock
from core.db import BaseModel
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.scope import Scope, ScopeRule, condition_for, scope_of


class ByScopeText(ScopeRule):
    """Audit rows name where they happened as text ('municipality:1', 'programme:3',
    'organisation:7'); a row is governed where that record is governed, deleted records too
    (their history stays readable by those who governed them)."""

    MODELS = {"municipality": Municipality, "organisation": Organisation, "programme": Programme}

    def scope(self, row) -> Scope:
        kind, _, number = (row.scope or "").partition(":")
        model = self.MODELS.get(kind)
        if model is None or not number.isdecimal():
            return Scope()
        found = model.get_or_none(model.id == int(number))
        if found is not None:
            return scope_of(found)
        # a record gone for good is governed by the municipality or organisation it was
        return {"municipality": Scope(frozenset({int(number)})),
                "organisation": Scope(organisation_ids=frozenset({int(number)}),
                                      own_organisation_ids=frozenset({int(number)}))}.get(kind, Scope())

    def condition(self, model, municipality_ids, organisation_ids):
        def named(kind, governed):
            return governed.select(Value(f"{kind}:").concat(governed.id.cast("TEXT"))).where(
                condition_for(governed, municipality_ids, organisation_ids))
        return (model.scope.in_([f"municipality:{m}" for m in municipality_ids])
                | model.scope.in_([f"organisation:{o}" for o in organisation_ids])
                | model.scope.in_(named("programme", Programme))
                | model.scope.in_(named("organisation", Organisation)))

    def own_condition(self, model, organisation_ids):
        """An organisation's own people read what happened to their organisation itself."""
        return model.scope.in_([f"organisation:{o}" for o in organisation_ids])


class AuditEntry(BaseModel):
    id = BigAutoField()
    at = DateTimeField(default=clock.now, index=True)
    actor = CharField(max_length=200)
    action = CharField(max_length=80, index=True)
    object_type = CharField(max_length=80)
    object_id = CharField(max_length=80)
    scope = CharField(max_length=80, default="", index=True)
    before = TextField(default="")
    after = TextField(default="")

    scope_rule = ByScopeText()

    class Meta:
        table_name = "audit_entry"


def record(actor: str, action: str, obj, scope: str = "", before=None, after=None) -> AuditEntry:
    """Write one audit row; call inside the transaction that made the change."""
    return AuditEntry.create(
        actor=actor, action=action, object_type=type(obj).__name__.lower(),
        object_id=str(obj.get_id()), scope=scope,
        before=json.dumps(before, default=str, sort_keys=True) if before is not None else "",
        after=json.dumps(after, default=str, sort_keys=True) if after is not None else "",
    )


def record_event(actor: str, action: str, object_type: str, object_id: str = "", scope: str = "",
                 after=None) -> AuditEntry:
    """Write one audit row about something that is not a stored record (a login, a refused
    request): ``object_type`` names what was acted on, e.g. 'account' or 'route'."""
    return AuditEntry.create(
        actor=actor[:200], action=action, object_type=object_type[:80], object_id=str(object_id)[:80],
        scope=scope[:80], after=json.dumps(after, default=str, sort_keys=True) if after is not None else "",
    )
