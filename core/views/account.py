"""The logged-in person's own account: changing the password, seeing and downloading their
data, deleting the account.

Changing the password asks for the current one (wrong tries count towards the login
throttle, so a borrowed session cannot guess it), applies the same policy as everywhere
(``core.auth.passwords``) and ends every other session of the account on the server: a
browser left logged in elsewhere, or a stolen cookie, stops working at once.

Deleting the account asks for the password; ``core.auth.personal_data`` removes the account
and pseudonymises the audit log. Each of these, and each download, leaves an audit row.
"""
from __future__ import annotations

import json
import logging

from starlette.responses import Response

from core import clock
from core.auth import csrf, passwords, personal_data, sessions, throttle
from core.auth.web import client_address, grants_of
from core.db import database
from core.i18n import Message
from core.models.account import Account, Session
from core.models.audit import AuditEntry, record_event
from core.rules.errors import Collector, RuleViolation
from core.views.auth import NO_STORE
from core.web.pages import render
from core.web.routing import page

log = logging.getLogger("partnerskab.security")
FORM_ERROR = "form"


def _throttled(request, account) -> dict | None:
    settings = request.app.state.platform.settings
    if throttle.blocked(settings, throttle.account_key(account.email), client_address(request)):
        return {FORM_ERROR: [str(Message("Too many failed tries. Wait %(minutes)s minutes and try again.",
                                         minutes=settings.login_window_minutes))]}
    return None


def _wrong_password(request, account) -> None:
    settings = request.app.state.platform.settings
    throttle.record(settings, throttle.account_key(account.email), client_address(request), success=False)


# --- password ---------------------------------------------------------------------------

def _password_page(request, *, errors=None, changed: bool = False, ended: int = 0, status_code: int = 200):
    return render(request, "account/password.html", {"errors": errors or {}, "changed": changed, "ended": ended},
                  status_code=status_code, headers=NO_STORE)


def password_form(request):
    return _password_page(request)


def password_submit(request):
    actor = request.state.actor
    form = request.state.form
    limit = passwords.MAX_LENGTH * 4
    current = str(form.get("current_password", ""))[:limit]
    new = str(form.get("new_password", ""))[:limit]
    again = str(form.get("new_password_again", ""))[:limit]
    with database.atomic():
        account = Account.get_by_id(actor.account.id)
        refused = _throttled(request, account)
        if refused:
            return _password_page(request, errors=refused, status_code=429)
        problems = Collector()
        if not passwords.verify(account.password_hash, current):
            _wrong_password(request, account)
            record_event(actor.label, "password.change_refused", "account", str(account.id),
                         after={"address": client_address(request)})
            problems.add("current_password", "The current password is not right.")
        if new != again:
            problems.add("new_password_again", "The two new passwords are not the same.")
        elif new and new == current:
            problems.add("new_password", "The new password must differ from the current one.")
        municipality = next((grant.municipality_name for grant in grants_of(account) if grant.municipality_name), "")
        try:
            passwords.check_policy(new, email=account.email, name=account.name, municipality_name=municipality,
                                   field="new_password")
        except RuleViolation as exc:
            problems.problems.extend(exc.problems)
        if problems.problems:
            return _password_page(request, errors=RuleViolation(problems.problems).by_field(), status_code=400)
        Account.update(password_hash=passwords.hash_password(new)).where(Account.id == account.id).execute()
        ended = (Session.update(ended_at=clock.now(), end_reason="password")
                 .where(Session.account == account.id, Session.ended_at.is_null(),
                        Session.id != (actor.session_id or "")).execute())
        record_event(actor.label, "password.change", "account", str(account.id), after={"ended_sessions": ended})
    log.info("password changed for account %s; %s other session(s) ended", account.id, ended)
    return _password_page(request, changed=True, ended=ended)


# --- personal data ----------------------------------------------------------------------

def data_page(request):
    actor = request.state.actor
    data = personal_data.export(actor.account, actor.session_id)
    return render(request, "account/data.html", {"data": data, "account": actor.account}, headers=NO_STORE)


def data_download(request):
    actor = request.state.actor
    with database.atomic():
        data = personal_data.export(actor.account, actor.session_id)
        record_event(actor.label, "personal_data.download", "account", str(actor.account.id),
                     after={"audit_rows": len(data["audit"]), "sessions": len(data["sessions"])})
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    filename = f"partnerskab-account-{actor.account.id}.json"
    return Response(body, media_type="application/json; charset=utf-8",
                    headers={**NO_STORE, "Content-Disposition": f'attachment; filename="{filename}"'})


def _delete_page(request, *, errors=None, status_code: int = 200):
    account = request.state.actor.account
    return render(request, "account/delete.html",
                  {"errors": errors or {}, "account": account,
                   "audit_rows": AuditEntry.select().where(personal_data.audit_condition(account)).count()},
                  status_code=status_code, headers=NO_STORE)


def delete_form(request):
    return _delete_page(request)


def delete_submit(request):
    actor = request.state.actor
    platform = request.app.state.platform
    password = str(request.state.form.get("password", ""))[:passwords.MAX_LENGTH * 4]
    with database.atomic():
        account = Account.get_by_id(actor.account.id)
        refused = _throttled(request, account)
        if refused:
            return _delete_page(request, errors=refused, status_code=429)
        if not passwords.verify(account.password_hash, password):
            _wrong_password(request, account)
            record_event(actor.label, "account.delete_refused", "account", str(account.id),
                         after={"address": client_address(request)})
            return _delete_page(request, errors={"password": [str(Message("The password is not right."))]},
                                status_code=400)
    try:
        alias = personal_data.delete_account(platform.settings.secret_key, account)
    except RuleViolation as exc:
        return _delete_page(request, errors=exc.by_field(), status_code=400)
    log.info("account %s deleted by its owner; audit rows now name %s", account.id, alias)
    csrf.queue_cookie(request.scope, sessions.cookie_header(request.scope, sessions.SESSION_COOKIE, "", delete=True))
    csrf.ensure_browser_binding(request.scope)
    request.state.actor = None
    return render(request, "account/deleted.html", {}, headers=NO_STORE)


def routes():
    return [
        page("/me/password", password_form, name="password", permission="account.self"),
        page("/me/password", password_submit, name="password_submit", methods=("POST",), permission="account.self"),
        page("/me/data", data_page, name="personal_data", permission="account.self"),
        page("/me/data.json", data_download, name="personal_data_download", permission="account.self"),
        page("/me/delete", delete_form, name="delete_account", permission="account.self"),
        page("/me/delete", delete_submit, name="delete_account_submit", methods=("POST",), permission="account.self"),
    ]
