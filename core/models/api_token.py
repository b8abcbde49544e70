"""Personal access tokens for the JSON API (``/api/v1/``).

A token belongs to one account and carries that account's permissions: the API builds the
actor from the account exactly as a login session does (``core.auth.api_tokens``). Only the
SHA-256 of the secret is stored, so a copy of the table is no set of working tokens; the
``prefix`` (the first characters of the secret) lets the owner tell their tokens apart.
A token stops working when revoked, when it expires, or when the account is deactivated.
"""
from peewee import CharField, DateTimeField, ForeignKeyField

from core import clock
from core.db import BaseModel
from core.models.account import Account
from core.scope import Personal


class ApiToken(BaseModel):
    account = ForeignKeyField(Account, backref="api_tokens", on_delete="CASCADE")
    name = CharField(max_length=100)
    token_hash = CharField(max_length=64, unique=True)
    prefix = CharField(max_length=16)
    created_at = DateTimeField(default=clock.now)
    last_used_at = DateTimeField(null=True)
    revoked_at = DateTimeField(null=True)
    expires_at = DateTimeField(null=True)

    # a token is its account's: only the account itself may see or revoke it
    scope_rule = Personal("account")

    class Meta:
        table_name = "api_token"

    def is_active(self, now=None) -> bool:
        now = now or clock.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
