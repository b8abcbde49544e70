"""Login throttling, counted in the database so every worker sees the same numbers.

Two counters: failed logins for one account key (the typed email, stripped and lower-cased,
whether or not such an account exists, so the answer reveals nothing) and failed logins
from one client address. When either passes its limit within ``login_window_minutes``,
further tries are refused with 429 before the password is even checked; tries while
refused are not counted, so the block lifts when the window slides past the failures.

The per-account limit (``login_max_failures``, 5) stops guessing one person's password. The
per-address limit (``login_max_failures_per_address``) stops one client trying many
accounts; it is higher because a town hall or a school sends everybody through one
address, and one person's typos must not lock out their colleagues. A successful login
clears the account's count (the owner is back) but not the address's.
"""
from __future__ import annotations

import datetime

from peewee import fn

from core import clock
from core.models.account import LoginAttempt

ACCOUNT, ADDRESS = "account", "address"


def account_key(email: str) -> str:
    return email.strip().lower()[:254]


def _since(settings) -> datetime.datetime:
    return clock.now() - datetime.timedelta(minutes=settings.login_window_minutes)


def _failures(kind: str, value: str, since: datetime.datetime, after_success: bool) -> int:
    query = LoginAttempt.select().where(LoginAttempt.key_kind == kind, LoginAttempt.key_value == value,
                                        LoginAttempt.at >= since)
    if after_success:
        last_success = (LoginAttempt.select(fn.MAX(LoginAttempt.at))
                        .where(LoginAttempt.key_kind == kind, LoginAttempt.key_value == value,
                               LoginAttempt.success == True).scalar())  # noqa: E712
        if last_success is not None and last_success > since:
            query = query.where(LoginAttempt.at > last_success)
    return query.where(LoginAttempt.success == False).count()  # noqa: E712


def blocked(settings, key: str, address: str) -> bool:
    since = _since(settings)
    return (_failures(ACCOUNT, key, since, after_success=True) >= settings.login_max_failures
            or (bool(address) and _failures(ADDRESS, address, since, after_success=False)
                >= settings.login_max_failures_per_address))


def record(settings, key: str, address: str, success: bool) -> None:
    """Count one try; rows older than the window are dropped for these keys on the way."""
    now = clock.now()
    for kind, value in ((ACCOUNT, key), (ADDRESS, address)):
        if not value:
            continue
        LoginAttempt.delete().where(LoginAttempt.key_kind == kind, LoginAttempt.key_value == value,
                                    LoginAttempt.at < _since(settings)).execute()
        LoginAttempt.create(key_kind=kind, key_value=value[:254], at=now, success=success)
