"""Password reset: a single-use link by mail, valid 30 minutes.

Asking for a reset gives the same answer, with the same status, whether the address has an
account or not, and does the same work before answering: it writes one audit row and looks
the address up either way. Making the token and sending the mail (which over SMTP takes a
noticeable while) happen only for a real, active account, so they run after the answer has
been sent (``send_link``, a background task of the response), and the answer's timing tells
nothing. At most ``MAX_OPEN`` links per account are made per 30 minutes, so nobody can fill a
person's mailbox; further requests get the same answer and no mail.

Setting the new password uses the link up (and every other open link of the account) and
ends every session of the account: whoever was logged in with the old password is out.
"""
from __future__ import annotations

import logging

from core import clock, i18n, mail
from core.auth import accounts, passwords, sessions, tokens
from core.db import database, is_postgres
from core.i18n import gettext as _
from core.models.account import Account, RoleAssignment
from core.models.audit import AuditEntry, record, record_event
from core.models.municipality import Municipality
from core.models.tokens import PasswordReset
from core.rules.errors import Collector

log = logging.getLogger("partnerskab.security")
MAX_OPEN = 3


def request_reset(email: str, *, address: str) -> int | None:
    """Record the request; the id of the account to send a link to, or None (unknown,
    inactive, or too many links lately). Call inside the request's connection."""
    key = accounts.normalise_email(email)[:254]
    with database.atomic():
        query = Account.select().where(Account.email == key)
        if is_postgres():  # requests for one account queue here (SQLite's writers already do)
            query = query.for_update()
        account = query.first()
        links_lately = 0
        if account is not None:
            # counted from this transaction's own record of links promised, not from the links
            # themselves: those are made after the answer, so a quick burst would not see them yet
            links_lately = AuditEntry.select().where(
                AuditEntry.action == "password_reset.requested", AuditEntry.object_id == str(account.id),
                AuditEntry.at > clock.now() - tokens.PASSWORD_RESET.lifetime,
                AuditEntry.after.contains('"link_sent": true')).count()
        send = account is not None and account.active and links_lately < MAX_OPEN
        record_event(key, "password_reset.requested", "account", str(account.id) if account else "",
                     after={"address": address, "link_sent": send})
    return account.id if send else None


def send_link(platform, account_id: int, *, base_url: str, locale: str) -> None:
    """Make the token and mail the link (run after the answer; opens its own connection)."""
    from core import db
    with db.connection():
        account = Account.get_by_id(account_id)
        token, token_hash, expires_at = tokens.issue(platform.settings, tokens.PASSWORD_RESET)
        with database.atomic():
            PasswordReset.create(token_hash=token_hash, account=account.id, expires_at=expires_at)
        link = f"{base_url.rstrip('/')}/password-reset/{token}"
        with i18n.locale_context(locale):
            subject = _("Set a new password for %(site)s") % {"site": platform.settings.site_name}
            body = _("Hello,\n\nSomeone (probably you) asked to set a new password for your account at "
                     "%(site)s.\n\nOpen this link to choose a new password:\n%(link)s\n\n"
                     "The link can be used once and works for 30 minutes. If you did not ask for it, "
                     "ignore this mail: your password stays as it is.\n") % {
                "site": platform.settings.site_name, "link": link}
        try:
            mail.send(platform, to=account.email, subject=subject, body=body)
        except mail.MailError:
            log.error("the password-reset link for account %s could not be mailed", account.id)


def load(settings, token: str) -> PasswordReset:
    """The open reset a link names; raises ``tokens.TokenProblem`` (invalid, expired, used)."""
    token_hash = tokens.verify(settings, tokens.PASSWORD_RESET, token)
    reset = (PasswordReset.select(PasswordReset, Account).join(Account)
             .where(PasswordReset.token_hash == token_hash).first())
    tokens.check_row(reset)
    if not reset.account.active:
        raise tokens.TokenProblem(tokens.INVALID)
    return reset


def _municipality_name(account: Account) -> str:
    row = (Municipality.select(Municipality.name).join(RoleAssignment)
           .where(RoleAssignment.account == account.id).first())
    return row.name if row else ""


def complete(reset: PasswordReset, *, password: str, password_again: str, address: str) -> int:
    """Set the new password; returns how many sessions were ended. Raises ``RuleViolation``
    (the policy, or the two fields differ) or ``tokens.TokenProblem`` (used meanwhile)."""
    account = reset.account
    problems = Collector()
    if password != password_again:
        problems.add("password_again", "The two passwords are not the same.")
    problems.raise_if_any()
    passwords.check_policy(password, email=account.email, name=account.name,
                           municipality_name=_municipality_name(account))
    password_hash = passwords.hash_password(password)
    with database.atomic():
        now = clock.now()
        claimed = (PasswordReset.update(used_at=now)
                   .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_null()).execute())
        if claimed != 1:
            raise tokens.TokenProblem(tokens.USED)
        PasswordReset.update(used_at=now).where(PasswordReset.account == account.id,
                                                PasswordReset.used_at.is_null()).execute()
        Account.update(password_hash=password_hash).where(Account.id == account.id).execute()
        ended = sessions.end_all(account, "password_reset")
        record(f"account:{account.id}:{account.email}", "password_reset.completed", account,
               after={"address": address, "sessions_ended": ended})
    log.info("password reset completed for account %s; %s session(s) ended", account.id, ended)
    return ended
