"""Personal access tokens: made (the secret shown once), checked on each API request, revoked.

A secret is ``psk_`` followed by 43 random URL-safe characters (256 bits). The database keeps
its SHA-256 and a short prefix for display. ``actor_for_token`` builds the request's actor
from the token's account exactly as a login session does (``core.auth.web.actor_for``, with
the same rule that a role requiring two-factor authentication grants nothing until it is set
up), so the API answers to the same permission table and tenancy rules as the pages.
"""
from __future__ import annotations

import datetime
import hashlib
import logging
import secrets

from core import authz, clock, inputs
from core.db import database
from core.models.account import Account
from core.models.api_token import ApiToken
from core.models.audit import record
from core.rules.errors import Collector, RuleViolation

log = logging.getLogger("partnerskab.security")

SECRET_PREFIX = "psk_"
PREFIX_LENGTH = 12  # "psk_" and the first 8 random characters: enough to tell tokens apart
MAX_NAME = 100
MAX_SECRET_LENGTH = 200
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)  # at most one write per token and minute
EXPIRY_CHOICES = (0, 30, 90, 365)  # days; 0 means never


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def create_token(account: Account, *, name: str, actor: str, expires_in_days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for ``account``; returns the row and the secret (which is never stored)."""
    name = str(name or "").strip()
    problems = Collector()
    if not name:
        problems.add("name", "Give the token a name, so you can recognise it later")
    elif len(name) > MAX_NAME:
        problems.add("name", "At most %(max)s characters", max=MAX_NAME)
    if expires_in_days not in (None, 0) and (not isinstance(expires_in_days, int) or not 0 < expires_in_days <= 3650):
        problems.add("expires_in_days", "Choose how long the token lasts")
    if not account.active:
        problems.add("account", "The account is not active")
    problems.raise_if_any()
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    expires_at = now + datetime.timedelta(days=expires_in_days) if expires_in_days else None
    with database.atomic():
        token = ApiToken.create(account=account.id, name=name, token_hash=hash_secret(secret),
                                prefix=secret[:PREFIX_LENGTH], created_at=now, expires_at=expires_at)
        record(actor, "api_token.create", token, scope=f"account:{account.id}",
               after={"name": name, "prefix": token.prefix, "expires_at": expires_at})
    return token, secret


def revoke_token(account: Account, token_id, *, actor: str) -> ApiToken:
    """Revoke one of ``account``'s tokens (revoking twice changes nothing)."""
    tid = inputs.parse_id(token_id)
    if tid is None:
        raise RuleViolation.one("token", "There is no such token")
    token = ApiToken.get_or_none(ApiToken.id == tid, ApiToken.account == account.id)
    if token is None:
        raise RuleViolation.one("token", "There is no such token")
    if token.revoked_at is None:
        with database.atomic():
            token.revoked_at = clock.now()
            token.save()
            record(actor, "api_token.revoke", token, scope=f"account:{account.id}",
                   before={"revoked_at": None}, after={"name": token.name, "prefix": token.prefix,
                                                       "revoked_at": token.revoked_at})
    return token


def active_tokens(account: Account) -> list[ApiToken]:
    now = clock.now()
    return [token for token in ApiToken.select().where(ApiToken.account == account.id,
                                                       ApiToken.revoked_at.is_null())
            if token.is_active(now)]


def revoke_all(account: Account, *, actor: str) -> int:
    """Revoke every active token of ``account`` (offered when two-factor login is turned on:
    a token never asks for the second factor). Returns how many were revoked."""
    tokens = active_tokens(account)
    with database.atomic():
        for token in tokens:
            revoke_token(account, token.id, actor=actor)
    return len(tokens)


def tokens_of(account: Account) -> list[ApiToken]:
    return list(ApiToken.select().where(ApiToken.account == account.id)
                .order_by(ApiToken.revoked_at.is_null(False), ApiToken.created_at.desc(), ApiToken.id.desc()))


def find_active(secret: str) -> ApiToken | None:
    """The active token with this secret, its account loaded, or None."""
    if not secret or len(secret) > MAX_SECRET_LENGTH or not secret.startswith(SECRET_PREFIX):
        return None
    token = (ApiToken.select(ApiToken, Account).join(Account)
             .where(ApiToken.token_hash == hash_secret(secret)).first())
    if token is None or not token.is_active() or not token.account.active:
        return None
    return token


def actor_for_token(platform, secret: str) -> authz.Actor | None:
    """The actor a bearer token stands for (as a session would build it), or None if it is not valid."""
    from core.auth import two_factor
    from core.auth.web import actor_for
    token = find_active(secret)
    if token is None:
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.update(last_used_at=now).where(ApiToken.id == token.id).execute()
    account = token.account
    actor = actor_for(platform, account)
    settings = platform.settings
    if settings.require_two_factor_roles and two_factor.setup_required(settings, account.id, actor.roles):
        actor = authz.Actor(platform.permissions, account, ())  # as for a session: no grants until set up
    return actor


def bearer_from_headers(headers) -> str | None:
    """The secret of an ``Authorization: Bearer …`` header, '' for a malformed one, None if absent."""
    value = headers.get("authorization")
    if value is None:
        return None
    scheme, _, secret = value.strip().partition(" ")
    if scheme.lower() != "bearer":
        return ""
    return secret.strip()
