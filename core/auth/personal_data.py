"""A person's own data: everything the platform keeps about them, as JSON, and deleting their
account (GDPR articles 15, 17 and 20).

What "their data" is: the account row (without the password hash), their roles and where
they hold them, their sessions (times, how they ended, the browser's user agent; not the
token's hash), whether two-factor authentication is on (not the secret), and the audit rows
they made or that are about their account.

Deleting an account removes the account row, its roles, sessions, two-factor secret,
recovery codes and counted login attempts. The audit log stays (it is the municipality's
record of who changed public money and registry data), but the person's email, name and
``account:<id>:<email>`` label in it are replaced by a pseudonym,
``deleted-account:<12 hex digits>`` — an HMAC of the account id keyed with the secret key, so
the rows of one deleted account still belong together, while nobody without the key can
test a guessed email against it.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import re
from typing import Any

from peewee import IntegrityError

from core import clock
from core.db import database
from core.models.account import Account, LoginAttempt, RoleAssignment, Session
from core.models.audit import AuditEntry, record_event
from core.models.two_factor import LoginChallenge, RecoveryCode, TwoFactor
from core.rules.errors import RuleViolation

FORMAT_VERSION = 1


def pseudonym(secret_key: str, account: Account) -> str:
    digest = hmac.new(secret_key.encode(), f"deleted-account\x00{account.id}".encode(), hashlib.sha256)
    return f"deleted-account:{digest.hexdigest()[:12]}"


def _label(account: Account) -> str:
    return f"account:{account.id}:{account.email}"


def audit_condition(account: Account):
    """Audit rows made by the person or about their account."""
    return (AuditEntry.actor.startswith(f"account:{account.id}:")
            | (AuditEntry.actor == account.email)
            | ((AuditEntry.object_type == "account") & (AuditEntry.object_id == str(account.id)))
            | AuditEntry.after.contains(account.email)
            | AuditEntry.before.contains(account.email))


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _json_or_text(text: str) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def export(account: Account, current_session_id: str | None = None) -> dict[str, Any]:
    """Everything about the person, ready for ``json.dumps``."""
    from core.auth import two_factor
    roles = []
    for assignment in (RoleAssignment.select().where(RoleAssignment.account == account.id)
                       .order_by(RoleAssignment.id)):
        roles.append({
            "role": assignment.role,
            "municipality": ({"code": assignment.municipality.code, "name": assignment.municipality.name}
                             if assignment.municipality_id else None),
            "organisation": ({"id": assignment.organisation_id, "name": assignment.organisation.name}
                             if assignment.organisation_id else None),
            "since": _iso(assignment.created_at),
        })
    session_rows = Session.select().where(Session.account == account.id).order_by(Session.created_at)
    factor = two_factor.settings_row(account.id)
    audit_rows = AuditEntry.select().where(audit_condition(account)).order_by(AuditEntry.id)
    return {
        "format": FORMAT_VERSION,
        "exported_at": _iso(clock.now()),
        "account": {
            "id": account.id, "email": account.email, "name": account.name, "active": account.active,
            "created_at": _iso(account.created_at), "last_login_at": _iso(account.last_login_at),
            "two_factor_enabled_at": _iso(factor.enabled_at) if factor is not None else None,
            "unused_recovery_codes": two_factor.unused_recovery_codes(account.id),
        },
        "roles": roles,
        "sessions": [{"created_at": _iso(row.created_at), "last_seen_at": _iso(row.last_seen_at),
                      "ended_at": _iso(row.ended_at), "end_reason": row.end_reason,
                      "user_agent": row.user_agent, "current": row.id == current_session_id}
                     for row in session_rows],
        "audit": [{"at": _iso(row.at), "actor": row.actor, "action": row.action, "object_type": row.object_type,
                   "object_id": row.object_id, "scope": row.scope, "before": _json_or_text(row.before),
                   "after": _json_or_text(row.after)} for row in audit_rows],
    }


def _scrub(value: Any, replacements: list[tuple[str, str]]) -> Any:
    """``value`` with every (case-insensitive) occurrence of each old text replaced."""
    if isinstance(value, str):
        for old, new in replacements:
            if old:
                value = re.sub(re.escape(old), lambda _match: new, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, dict):
        return {key: _scrub(item, replacements) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, replacements) for item in value]
    return value


def _scrub_text(text: str, replacements: list[tuple[str, str]]) -> str:
    if not text:
        return text
    try:
        data = json.loads(text)
    except ValueError:
        return _scrub(text, replacements)
    return json.dumps(_scrub(data, replacements), default=str, sort_keys=True)


def only_platform_admin(account: Account) -> bool:
    """True when the account is the last active platform administrator (who must stay)."""
    admins = (RoleAssignment.select(RoleAssignment.account).join(Account)
              .where(RoleAssignment.role == "platform_admin", Account.active == True)  # noqa: E712
              .distinct())
    ids = {row.account_id for row in admins}
    return ids == {account.id}


def delete_account(secret_key: str, account: Account) -> str:
    """Delete the account and pseudonymise the audit rows about it; returns the pseudonym.
    Raises ``RuleViolation`` (nothing changed) when the account must stay."""
    if only_platform_admin(account):
        raise RuleViolation.one("form", "You are the only platform administrator: make someone else platform "
                                        "administrator before you delete your account.")
    alias = pseudonym(secret_key, account)
    replacements = [(_label(account), alias), (account.email, alias)]
    name = (account.name or "").strip()
    roles = [row.role for row in RoleAssignment.select().where(RoleAssignment.account == account.id)]
    try:
        with database.atomic():
            for row in AuditEntry.select().where(audit_condition(account)):
                actor = alias if (row.actor.startswith(f"account:{account.id}:")
                                  or row.actor.lower() == account.email) else row.actor
                local = replacements + ([(name, "")] if name and (row.object_type == "account"
                                                                  and row.object_id == str(account.id)) else [])
                before, after = _scrub_text(row.before, local), _scrub_text(row.after, local)
                if (actor, before, after) != (row.actor, row.before, row.after):
                    AuditEntry.update(actor=actor, before=before, after=after).where(AuditEntry.id == row.id).execute()
            record_event(alias, "account.delete", "account", str(account.id), after={"roles": roles})
            LoginAttempt.delete().where(LoginAttempt.key_kind == "account",
                                        LoginAttempt.key_value == account.email).execute()
            LoginAttempt.delete().where(LoginAttempt.key_kind == "two_factor",
                                        LoginAttempt.key_value == str(account.id)).execute()
            LoginChallenge.delete().where(LoginChallenge.account == account.id).execute()
            RecoveryCode.delete().where(RecoveryCode.account == account.id).execute()
            TwoFactor.delete().where(TwoFactor.account == account.id).execute()
            Session.delete().where(Session.account == account.id).execute()
            RoleAssignment.delete().where(RoleAssignment.account == account.id).execute()
            Account.delete().where(Account.id == account.id).execute()
    except IntegrityError:
        raise RuleViolation.one("form", "Your account is named in records that must be kept (such as payments), "
                                        "so it cannot be deleted here. Ask your administrator to deactivate it.") from None
    return alias
