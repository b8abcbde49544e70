"""Two-factor authentication with time-based one-time codes (TOTP, RFC 6238) from an
authenticator app, and single-use recovery codes for when the phone is lost.

Setting up: the account page makes a secret (kept unconfirmed until a first valid code
proves the app has it), shows it as text, as an ``otpauth://`` URI and as a QR code drawn on
the server as SVG (segno; no JavaScript), then hands out ``RECOVERY_CODES`` recovery codes
once. Only their SHA-256 is kept.

Logging in: a correct password for an account with two-factor authentication does not start
a session. It starts a ``LoginChallenge`` (a random token in a signed cookie, the row keyed
by the token's SHA-256, valid ``CHALLENGE_MINUTES``) which grants nothing: it only lets the
browser send a code for that one account. Wrong codes are counted like failed logins, per
account (``two_factor`` attempts) and per client address, with the same limits; a challenge
that has had ``CHALLENGE_MAX_FAILURES`` wrong codes is dropped and the password is asked
again. A code is accepted in the current 30-second step or the one before or after (clock
drift), and never twice: the accepted step is stored.

Required per role: ``require_two_factor_roles`` names roles whose holders must set it up
before anything else; ``core.auth.web.authenticate`` gives such a person no grants until
they have, and ``core.web.routing.page`` sends them to the set-up page.
"""
from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from itsdangerous import BadSignature, TimestampSigner
from markupsafe import Markup

from core import clock
from core.auth import sessions, throttle
from core.models.account import Account, LoginAttempt
from core.models.two_factor import LoginChallenge, RecoveryCode, TwoFactor

RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
RECOVERY_LENGTH = 10  # 10 characters of 31: about 50 bits each
CHALLENGE_COOKIE = "login_challenge"
CHALLENGE_MINUTES = 5
CHALLENGE_MAX_FAILURES = 3
THROTTLE_KIND = "two_factor"
VALID_WINDOW = 1  # steps either side of now


def allowed_before_setup(view):
    """Mark a view that a person who must still set up two-factor authentication may use."""
    view.allowed_before_two_factor = True
    return view


# --- the secret and the codes ----------------------------------------------------------

def new_secret() -> str:
    return pyotp.random_base32(32)  # 160 bits, as RFC 4226 recommends


def provisioning_uri(secret: str, email: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def qr_svg(uri: str, title: str) -> Markup:
    """The URI as an inline SVG QR code (no script, no style attribute: the CSP allows it)."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, title=title, border=4)
    # segno escapes the title and writes the URI only as path coordinates, so this is markup we made
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # nosec B704


def settings_row(account_id: int) -> TwoFactor | None:
    return TwoFactor.get_or_none(TwoFactor.account == account_id)


def is_enabled(account_id: int) -> bool:
    return TwoFactor.select().where(TwoFactor.account == account_id, TwoFactor.enabled_at.is_null(False)).exists()


def pending_secret(account: Account) -> TwoFactor:
    """The unconfirmed secret being set up (made on first visit, kept across reloads)."""
    row = settings_row(account.id)
    if row is None:
        row = TwoFactor.create(account=account, secret=new_secret())
    return row


def _normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _totp_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step a six-digit code belongs to (now, or one step either side), else None."""
    code = _normalise_code(code)
    if len(code) != 6 or not code.isdecimal():
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    found = None
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        if hmac.compare_digest(totp.at(now, counter_offset=offset), code):
            found = int(now // totp.interval) + offset
    return found


def check_new_secret(row: TwoFactor, code: str) -> bool:
    """Confirm an unconfirmed secret with a first code; stores the step so it is not reused."""
    step = _totp_step(row.secret, code)
    if step is None:
        return False
    return (TwoFactor.update(last_step=step, enabled_at=clock.now())
            .where(TwoFactor.id == row.id, TwoFactor.enabled_at.is_null()).execute()) == 1


def hash_recovery_code(code: str) -> str:
    return hashlib.sha256(_normalise_code(code).encode()).hexdigest()


def new_recovery_codes(account: Account) -> list[str]:
    """Replace the account's recovery codes with fresh ones; the codes are returned once only."""
    RecoveryCode.delete().where(RecoveryCode.account == account.id).execute()
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    now = clock.now()
    RecoveryCode.insert_many([{"account": account.id, "code_hash": hash_recovery_code(code), "created_at": now}
                              for code in codes]).execute()
    return codes


def unused_recovery_codes(account_id: int) -> int:
    return RecoveryCode.select().where(RecoveryCode.account == account_id, RecoveryCode.used_at.is_null()).count()


def verify(account_id: int, code: str) -> str | None:
    """Check a second factor for an account with two-factor authentication switched on:
    'totp' or 'recovery' when it is accepted (and now used up), None when it is not."""
    row = TwoFactor.get_or_none(TwoFactor.account == account_id, TwoFactor.enabled_at.is_null(False))
    if row is None or not code or len(code) > 40:
        return None
    step = _totp_step(row.secret, code)
    if step is not None:
        # the conditional update refuses a step already used, also when two requests race
        used = (TwoFactor.update(last_step=step)
                .where(TwoFactor.id == row.id, TwoFactor.last_step < step).execute())
        return "totp" if used == 1 else None
    normalised = _normalise_code(code)
    if len(normalised) != RECOVERY_LENGTH:
        return None
    used = (RecoveryCode.update(used_at=clock.now())
            .where(RecoveryCode.account == account_id, RecoveryCode.code_hash == hash_recovery_code(normalised),
                   RecoveryCode.used_at.is_null()).execute())
    return "recovery" if used == 1 else None


def disable(account_id: int) -> None:
    RecoveryCode.delete().where(RecoveryCode.account == account_id).execute()
    TwoFactor.delete().where(TwoFactor.account == account_id).execute()


# --- required per role -----------------------------------------------------------------

def required_roles(settings, roles) -> list[str]:
    """Which of the person's roles require two-factor authentication in this deployment."""
    required = set(settings.require_two_factor_roles)
    return [role for role in dict.fromkeys(roles) if role in required]


def setup_required(settings, account_id: int, roles) -> bool:
    return bool(required_roles(settings, roles)) and not is_enabled(account_id)


# --- throttling wrong codes ------------------------------------------------------------

def blocked(settings, account_id: int, address: str) -> bool:
    since = clock.now() - datetime.timedelta(minutes=settings.login_window_minutes)
    return (throttle._failures(THROTTLE_KIND, str(account_id), since, after_success=True)
            >= settings.login_max_failures
            or (bool(address) and throttle._failures(throttle.ADDRESS, address, since, after_success=False)
                >= settings.login_max_failures_per_address))


def record_attempt(settings, account_id: int, address: str, success: bool) -> None:
    since = clock.now() - datetime.timedelta(minutes=settings.login_window_minutes)
    LoginAttempt.delete().where(LoginAttempt.key_kind == THROTTLE_KIND, LoginAttempt.key_value == str(account_id),
                                LoginAttempt.at < since).execute()
    LoginAttempt.create(key_kind=THROTTLE_KIND, key_value=str(account_id), at=clock.now(), success=success)
    if not success:
        throttle.record(settings, "", address, success=False)  # counts for the address only


# --- the login challenge between password and code -------------------------------------

def _signer(secret_key: str) -> TimestampSigner:
    return TimestampSigner(secret_key, salt="partnerskab.login-challenge")


def start_challenge(settings, account: Account, next_path: str) -> str:
    """A challenge for an account whose password was right: the signed cookie value."""
    LoginChallenge.delete().where(LoginChallenge.account == account.id).execute()
    LoginChallenge.delete().where(
        LoginChallenge.created_at < clock.now() - datetime.timedelta(minutes=CHALLENGE_MINUTES)).execute()
    token = secrets.token_urlsafe(32)
    LoginChallenge.create(id=sessions.session_id(token), account=account, created_at=clock.now(),
                          next_path=next_path[:500])
    return _signer(settings.secret_key).sign(token).decode()


def load_challenge(settings, scope) -> LoginChallenge | None:
    raw = sessions.read_cookie(scope, CHALLENGE_COOKIE)
    if not raw:
        return None
    try:
        token = _signer(settings.secret_key).unsign(raw, max_age=CHALLENGE_MINUTES * 60).decode()
    except (BadSignature, UnicodeDecodeError):
        return None
    row = (LoginChallenge.select(LoginChallenge, Account).join(Account)
           .where(LoginChallenge.id == sessions.session_id(token)).first())
    if row is None or not row.account.active:
        return None
    if clock.now() - row.created_at > datetime.timedelta(minutes=CHALLENGE_MINUTES):
        end_challenge(row)
        return None
    return row


def challenge_failed(row: LoginChallenge) -> bool:
    """Count a wrong code on the challenge; True when it is used up (and now gone)."""
    LoginChallenge.update(failures=LoginChallenge.failures + 1).where(LoginChallenge.id == row.id).execute()
    if row.failures + 1 >= CHALLENGE_MAX_FAILURES:
        end_challenge(row)
        return True
    return False


def end_challenge(row: LoginChallenge) -> None:
    LoginChallenge.delete().where(LoginChallenge.id == row.id).execute()


def challenge_cookie(scope, value: str = "", *, delete: bool = False) -> str:
    return sessions.cookie_header(scope, CHALLENGE_COOKIE, value, delete=delete)
