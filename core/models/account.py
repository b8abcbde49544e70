"""People who log in, the roles they hold, their sessions and the login attempts counted
for throttling.

Timestamps follow the one convention (``core.clock``): aware UTC in Python, UTC in the database.

A role is held *in a scope* (``RoleAssignment``): a municipality administrator of 0101 is
not one of 0330. Sessions live in the database, not in the cookie, so every worker sees a
logout at once; the row's key is the SHA-256 of the browser's token, so a copy of the table
cannot be replayed as cookies.
"""
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from core import clock
from core.db import BaseModel
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.scope import RoleHolder

ROLES = (
    "platform_admin", "municipality_admin", "consultant", "volunteer_centre_coordinator",
    "resource_person", "board_member", "national_coordinator",
)


class Account(BaseModel):
    email = CharField(max_length=254, unique=True)  # always stored stripped and lower-cased
    name = CharField(max_length=200, default="")
    password_hash = CharField(max_length=255)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=clock.now)
    last_login_at = DateTimeField(null=True)

    # governed where it holds its roles, and by the person themselves
    scope_rule = RoleHolder("role_assignments")

    class Meta:
        table_name = "account"

    def __str__(self) -> str:
        return self.name or self.email


class RoleAssignment(BaseModel):
    """One role held in one scope: a municipality, an organisation, or the whole instance.

    ``granted_by`` is the account whose invitation made it and ``confirmed_by`` the second
    person who confirmed it (``core.auth.role_grants``); both are empty for an operator's
    grant (the command line, the demo data). The money rules read them: nobody approves a
    payment with a grant that the payment's requester issued or confirmed."""

    account = ForeignKeyField(Account, backref="role_assignments", on_delete="CASCADE")
    role = CharField(max_length=40, index=True)
    municipality = ForeignKeyField(Municipality, null=True, backref="role_assignments", on_delete="RESTRICT")
    organisation = ForeignKeyField(Organisation, null=True, backref="role_assignments", on_delete="RESTRICT")
    created_at = DateTimeField(default=clock.now)
    # Account ids, kept as plain numbers here so that joins between accounts and their roles stay
    # unambiguous; the database holds them as foreign keys (RESTRICT: an account that granted or
    # confirmed roles stays, deactivated if need be, so no chain of grants can be laundered).
    granted_by_id = IntegerField(null=True)
    confirmed_by_id = IntegerField(null=True)

    class Meta:
        table_name = "role_assignment"


class Session(BaseModel):
    """A login: open while ``ended_at`` is empty and neither the idle nor the absolute limit passed."""

    id = CharField(max_length=64, primary_key=True)  # sha256 hex of the cookie's token
    account = ForeignKeyField(Account, backref="sessions", on_delete="CASCADE")
    created_at = DateTimeField(default=clock.now)
    last_seen_at = DateTimeField(default=clock.now)
    ended_at = DateTimeField(null=True)
    end_reason = CharField(max_length=20, default="")
    user_agent = CharField(max_length=200, default="")

    class Meta:
        table_name = "login_session"


class LoginAttempt(BaseModel):
    """One try at logging in, counted per account key and per client address."""

    key_kind = CharField(max_length=10)  # 'account' or 'address'
    key_value = CharField(max_length=254)
    at = DateTimeField(default=clock.now)
    success = BooleanField(default=False)

    class Meta:
        table_name = "login_attempt"
        indexes = ((("key_kind", "key_value", "at"), False),)
