"""What a real (non-demo) deployment refuses to start with.

The demo accounts (``core.demo``: every email ends ``@partnerskab.test``) have a password
printed in the README. On a deployment with ``demo = false`` they would be open doors, so
``create_app`` and ``partnerskab serve`` refuse to start while any exists, and say which
and how to remove them. (The other refusal, a missing ``secret_key``, is in
``core.settings.load``: only a demo deployment generates its own.)
"""
from __future__ import annotations

from core import db
from core.settings import ConfigError

DEMO_EMAIL_SUFFIX = "@partnerskab.test"


def demo_account_emails() -> list[str]:
    """Emails of the demo accounts in the database (none when the table is not there yet)."""
    from core.models.account import Account
    with db.connection():
        if not db.database.table_exists(Account._meta.table_name):
            return []
        query = Account.select(Account.email).where(Account.email.endswith(DEMO_EMAIL_SUFFIX)).order_by(Account.email)
        return [row.email for row in query]


def check(settings) -> None:
    """Raise ``ConfigError`` when a non-demo deployment has demo accounts."""
    if settings.demo:
        return
    emails = demo_account_emails()
    if emails:
        shown = ", ".join(emails[:5]) + (f" and {len(emails) - 5} more" if len(emails) > 5 else "")
        raise ConfigError(
            f"this deployment is not a demo (demo = false) but its database has {len(emails)} demo "
            f"account(s) with the public demo password: {shown}. Refusing to start. Use a database "
            f"without demo data, or delete the accounts ending in {DEMO_EMAIL_SUFFIX} first.")
