"""Two-factor authentication: a person's TOTP secret, their recovery codes, and the short
half-way state between the password and the code at login.

``TwoFactor`` holds one account's secret. While ``enabled_at`` is empty the secret is only
being set up (shown on the account page, waiting for a first valid code) and login does not
ask for it. ``last_step`` is the time step of the last accepted code, so a code seen over
someone's shoulder cannot be used a second time.

``RecoveryCode`` rows keep the SHA-256 of each code, never the code: the codes are 50 random
bits each, so a fast hash is enough (no dictionary to try) and checking one costs nothing.

``LoginChallenge`` is the state after a correct password when a code is still due. It is not
a session: nothing in the permission code reads it, it grants nothing, the browser holds only
a signed random token for it, and it is gone after the code, a few wrong codes, or
``CHALLENGE_MINUTES``.
"""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from core import clock
from core.db import BaseModel
from core.models.account import Account


class TwoFactor(BaseModel):
    account = ForeignKeyField(Account, unique=True, backref="two_factor", on_delete="CASCADE")
    secret = CharField(max_length=64)  # base32, as authenticator apps take it
    created_at = DateTimeField(default=clock.now)
    enabled_at = DateTimeField(null=True)
    last_step = IntegerField(default=0)

    class Meta:
        table_name = "two_factor"


class RecoveryCode(BaseModel):
    account = ForeignKeyField(Account, backref="recovery_codes", on_delete="CASCADE")
    code_hash = CharField(max_length=64, index=True)  # sha256 hex of the normalised code
    created_at = DateTimeField(default=clock.now)
    used_at = DateTimeField(null=True)

    class Meta:
        table_name = "recovery_code"


class LoginChallenge(BaseModel):
    id = CharField(max_length=64, primary_key=True)  # sha256 hex of the browser's token
    account = ForeignKeyField(Account, backref="login_challenges", on_delete="CASCADE")
    created_at = DateTimeField(default=clock.now)
    next_path = CharField(max_length=500, default="/me")
    failures = IntegerField(default=0)

    class Meta:
        table_name = "login_challenge"
