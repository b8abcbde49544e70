"""Signed, single-use tokens for links sent by mail (invitations, password resets).

A token is a random nonce (32 bytes) signed with ``secret_key`` by itsdangerous's
``URLSafeTimedSerializer``, with a salt per purpose so an invitation token is no reset
token. The signature carries the time it was made, so an old link is refused as expired
before the database is asked; the database row (keyed by the nonce's SHA-256, never the
token itself) says whether it was used. Checking a token tells apart a link that is
damaged, expired or already used, so the page can say which.
"""
from __future__ import annotations

import dataclasses
import datetime
import hashlib
import secrets

from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

from core import clock


@dataclasses.dataclass(frozen=True)
class Purpose:
    name: str
    lifetime: datetime.timedelta


INVITATION = Purpose("invitation", datetime.timedelta(days=7))
PASSWORD_RESET = Purpose("password-reset", datetime.timedelta(minutes=30))

INVALID, EXPIRED, USED = "invalid", "expired", "used"
MAX_TOKEN_LENGTH = 200


class TokenProblem(Exception):
    """The link cannot be used: ``kind`` is 'invalid', 'expired' or 'used'."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def _serializer(settings, purpose: Purpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.secret_key, salt=f"partnerskab.{purpose.name}")


def token_hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def issue(settings, purpose: Purpose) -> tuple[str, str, datetime.datetime]:
    """A new token: (the token for the link, the hash for the row, when it expires)."""
    nonce = secrets.token_urlsafe(32)
    return _serializer(settings, purpose).dumps(nonce), token_hash(nonce), clock.now() + purpose.lifetime


def verify(settings, purpose: Purpose, token: str) -> str:
    """The row hash of a genuine, young enough token; raises ``TokenProblem`` otherwise."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise TokenProblem(INVALID)
    try:
        nonce = _serializer(settings, purpose).loads(token, max_age=int(purpose.lifetime.total_seconds()))
    except SignatureExpired:
        raise TokenProblem(EXPIRED) from None
    except BadData:
        raise TokenProblem(INVALID) from None
    if not isinstance(nonce, str):
        raise TokenProblem(INVALID)
    return token_hash(nonce)


def check_row(row) -> None:
    """Raise ``TokenProblem`` unless the row exists, is unused and has not expired."""
    if row is None:
        raise TokenProblem(INVALID)
    if row.used_at is not None:
        raise TokenProblem(USED)
    if row.expires_at <= clock.now():
        raise TokenProblem(EXPIRED)
