"""Single-use links sent by mail: invitations (7 days) and password resets (30 minutes).

The link carries an itsdangerous-signed random nonce (``core.auth.tokens``); the row here is
keyed by the nonce's SHA-256, so a copy of the table is no set of working links, and
``used_at`` makes the link single-use. ``expires_at`` repeats the signature's age limit so
the database alone can tell which links are still open.
"""
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField

from core import clock
from core.db import BaseModel
from core.models.account import Account
from core.models.municipality import Municipality
from core.models.organisation import Organisation


class Invitation(BaseModel):
    """An invitation to hold ``role`` in a scope, sent to ``email`` by ``invited_by``.

    When the role-granting table asks for a second person (``needs_confirmation``), nothing is
    mailed until someone else who may grant the role confirms it (``confirmed_by``, ``confirmed_at``)."""

    token_hash = CharField(max_length=64, unique=True)
    email = CharField(max_length=254, index=True)  # stripped and lower-cased
    role = CharField(max_length=40)
    municipality = ForeignKeyField(Municipality, null=True, on_delete="CASCADE")
    organisation = ForeignKeyField(Organisation, null=True, on_delete="CASCADE")
    invited_by = ForeignKeyField(Account, null=True, backref="invitations_sent", on_delete="SET NULL")
    created_at = DateTimeField(default=clock.now)
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)
    accepted_by = ForeignKeyField(Account, null=True, backref="invitations_accepted", on_delete="SET NULL")
    needs_confirmation = BooleanField(default=False)
    confirmed_by = ForeignKeyField(Account, null=True, backref="+", on_delete="SET NULL")
    confirmed_at = DateTimeField(null=True)

    @property
    def awaiting_confirmation(self) -> bool:
        return bool(self.needs_confirmation) and self.confirmed_at is None

    class Meta:
        table_name = "invitation"


class PasswordReset(BaseModel):
    """A request to set a new password for ``account``."""

    token_hash = CharField(max_length=64, unique=True)
    account = ForeignKeyField(Account, backref="password_resets", on_delete="CASCADE")
    created_at = DateTimeField(default=clock.now, index=True)
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)

    class Meta:
        table_name = "password_reset"
