"""Login sessions: an opaque random token in a signed cookie, the session itself in the database.

The cookie holds only a random token (32 bytes), signed with ``secret_key`` by itsdangerous's
``TimestampSigner`` so a tampered or forged cookie is refused before the database is asked,
and so the signature itself stops working after the absolute lifetime. The database row,
keyed by the token's SHA-256, is the truth: every worker sees a logout or a revocation at
once, and a replayed cookie of an ended session finds an ended row.

A session ends when the person logs out, when an operator revokes it, after
``session_idle_minutes`` without a request, and ``session_max_hours`` after login however
active. Each login gets a new token (no session fixation).

The cookie is HttpOnly and SameSite=Lax; over HTTPS it is also Secure and named with the
``__Host-`` prefix, which browsers accept only from a secure origin, for path ``/`` and
without a Domain, so no sibling subdomain can plant or overwrite it.
"""
from __future__ import annotations

import datetime
import hashlib
import secrets
from http.cookies import SimpleCookie

from itsdangerous import BadSignature, TimestampSigner
from starlette.responses import Response

from core import clock
from core.models.account import Account, Session

SESSION_COOKIE = "session"
TOUCH_EVERY = datetime.timedelta(seconds=60)  # last_seen_at is written at most once a minute


def is_https(scope) -> bool:
    return scope.get("scheme") == "https"


def cookie_name(base: str, https: bool) -> str:
    return f"__Host-{base}" if https else base


_JAR = "cookie_jar"  # the request state's parsed Cookie header


def cookie_jar(scope) -> SimpleCookie:
    """The request's cookies, parsed once per request (a parse costs some 40 µs, and the
    language, the session and the CSRF check each ask); a malformed header is no cookies."""
    state = scope.setdefault("state", {})
    jar = state.get(_JAR)
    if jar is None:
        jar = SimpleCookie()
        header = next((value for name, value in scope.get("headers", ()) if name == b"cookie"), b"")
        if header:
            try:
                jar.load(header.decode("latin-1"))
            except Exception:  # a malformed Cookie header counts as no cookie
                jar = SimpleCookie()
        state[_JAR] = jar
    return jar


def read_cookie(scope, base: str) -> str | None:
    """The raw value of one of our cookies, under the name the request's scheme implies."""
    morsel = cookie_jar(scope).get(cookie_name(base, is_https(scope)))
    return morsel.value if morsel else None


def cookie_header(scope, base: str, value: str, *, delete: bool = False) -> str:
    """A Set-Cookie header value with our attributes (HttpOnly, Lax; Secure and __Host- on HTTPS)."""
    https = is_https(scope)
    response = Response()
    response.set_cookie(cookie_name(base, https), "" if delete else value, path="/", httponly=True,
                        samesite="lax", secure=https, max_age=0 if delete else None,
                        expires=0 if delete else None)
    return response.headers["set-cookie"]


def _signer(secret_key: str) -> TimestampSigner:
    return TimestampSigner(secret_key, salt="partnerskab.session")


def session_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_from_scope(scope, settings) -> str | None:
    """The token in the request's session cookie if its signature holds and is young enough."""
    raw = read_cookie(scope, SESSION_COOKIE)
    if not raw:
        return None
    try:
        return _signer(settings.secret_key).unsign(raw, max_age=settings.session_max_hours * 3600).decode()
    except (BadSignature, UnicodeDecodeError):
        return None


def start(settings, account: Account, user_agent: str = "") -> tuple[str, Session]:
    """A new session for a fresh login: (signed cookie value, row)."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    row = Session.create(id=session_id(token), account=account, created_at=now, last_seen_at=now,
                         user_agent=user_agent[:200])
    return _signer(settings.secret_key).sign(token).decode(), row


def load(settings, token: str | None) -> Session | None:
    """The open session for a token, or None; a session past its limits is ended here."""
    if not token:
        return None
    row = (Session.select(Session, Account).join(Account)
           .where(Session.id == session_id(token)).first())
    if row is None or row.ended_at is not None:
        return None
    now = clock.now()
    if not row.account.active:
        end(row, "deactivated")
        return None
    if now - row.last_seen_at > datetime.timedelta(minutes=settings.session_idle_minutes):
        end(row, "idle")
        return None
    if now - row.created_at > datetime.timedelta(hours=settings.session_max_hours):
        end(row, "expired")
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        Session.update(last_seen_at=now).where(Session.id == row.id).execute()
        row.last_seen_at = now
    return row


def end(row: Session, reason: str) -> None:
    Session.update(ended_at=clock.now(), end_reason=reason).where(
        Session.id == row.id, Session.ended_at.is_null()).execute()


def end_others(account: Account, keep_id: str | None, reason: str) -> int:
    """End every open session of an account but ``keep_id`` (the one making the change)."""
    query = Session.update(ended_at=clock.now(), end_reason=reason).where(Session.account == account.id,
                                                                       Session.ended_at.is_null())
    if keep_id:
        query = query.where(Session.id != keep_id)
    return query.execute()


def end_all(account: Account, reason: str) -> int:
    """End every open session of an account (revocation, password change, deactivation)."""
    return (Session.update(ended_at=clock.now(), end_reason=reason)
            .where(Session.account == account.id, Session.ended_at.is_null()).execute())
