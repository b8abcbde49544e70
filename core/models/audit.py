"""The append-only audit log: who did what to which record, with before and after values."""
import datetime
import json

from peewee import BigAutoField, CharField, DateTimeField, TextField

from core.db import BaseModel


class AuditEntry(BaseModel):
    id = BigAutoField()
    at = DateTimeField(default=lambda: datetime.datetime.now(datetime.timezone.utc), index=True)
    actor = CharField(max_length=200)
    action = CharField(max_length=80, index=True)
    object_type = CharField(max_length=80)
    object_id = CharField(max_length=80)
    scope = CharField(max_length=80, default="", index=True)
    before = TextField(default="")
    after = TextField(default="")

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
