"""Two-factor authentication in the browser: the second login step, and turning it on and off
from the account page (``core.auth.two_factor`` holds the rules).

``/login/two-factor`` asks for the code after a correct password. Until the code is right
there is no session: the browser holds only the signed challenge cookie, which no
permission check reads. ``/me/two-factor`` sets it up (secret as text, ``otpauth://`` URI
and an SVG QR code, confirmed with a first code), shows the recovery codes once, renews them
(with a code) and turns it off (with the password and a code). Turning it on ends the
person's other logins (they were made with the password alone) and offers to revoke their
API tokens, which never ask for the second factor. A person whose role requires
two-factor authentication reaches only these pages and logging out until it is on.
"""
from __future__ import annotations

import logging

from starlette.responses import RedirectResponse

from core.auth import csrf, passwords, sessions, throttle, two_factor
from core.auth.two_factor import allowed_before_setup
from core.auth.web import client_address, grants_of
from core.db import database
from core.i18n import Message
from core.models.account import Account
from core.models.audit import record_event
from core.views.auth import NO_STORE, complete_login
from core.web.pages import render
from core.web.routing import page

log = logging.getLogger("partnerskab.security")
FORM_ERROR = "form"


# --- the second login step -------------------------------------------------------------

def _code_page(request, *, errors=None, status_code: int = 200, expired: bool = False):
    return render(request, "auth/two_factor_login.html", {"errors": errors or {}, "expired": expired},
                  status_code=status_code, headers=NO_STORE)


def _forget_challenge(request) -> None:
    if sessions.read_cookie(request.scope, two_factor.CHALLENGE_COOKIE) is not None:
        csrf.queue_cookie(request.scope, two_factor.challenge_cookie(request.scope, delete=True))


@allowed_before_setup
def login_code_form(request):
    settings = request.app.state.platform.settings
    challenge = two_factor.load_challenge(settings, request.scope)
    if challenge is None:
        _forget_challenge(request)
        return RedirectResponse("/login", status_code=303)
    return _code_page(request)


@allowed_before_setup
def login_code_submit(request):
    settings = request.app.state.platform.settings
    code = str(request.state.form.get("code", ""))[:64]
    address = client_address(request)
    request_id = getattr(request.state, "request_id", "")
    with database.atomic():
        challenge = two_factor.load_challenge(settings, request.scope)
        if challenge is None:
            _forget_challenge(request)
            return _code_page(request, expired=True, status_code=400, errors={FORM_ERROR: [str(Message(
                "The login has expired. Log in again with your email address and password."))]})
        account = challenge.account
        label = f"account:{account.id}:{account.email}"
        if two_factor.blocked(settings, account.id, address):
            log.warning("second factor refused, too many failures: account %s from %s [request id %s]",
                        account.id, address, request_id)
            record_event(label, "login.throttled", "account", str(account.id),
                         after={"address": address, "step": "second_factor"})
            message = Message("Too many wrong codes. Wait %(minutes)s minutes and try again.",
                              minutes=settings.login_window_minutes)
            return _code_page(request, errors={FORM_ERROR: [str(message)]}, status_code=429)
        if not code.strip():
            return _code_page(request, errors={"code": [str(Message("Enter the code from your app."))]},
                              status_code=400)
        factor = two_factor.verify(account.id, code)
        if factor is None:
            two_factor.record_attempt(settings, account.id, address, success=False)
            log.warning("second factor failed for account %s from %s [request id %s]", account.id, address,
                        request_id)
            record_event(label, "login.failure", "account", str(account.id),
                         after={"address": address, "step": "second_factor"})
            if two_factor.challenge_failed(challenge):
                _forget_challenge(request)
                return _code_page(request, expired=True, status_code=400, errors={FORM_ERROR: [str(Message(
                    "Too many wrong codes for this login. Log in again with your email address and password."))]})
            return _code_page(request, errors={"code": [str(Message("The code is not right. Codes change every "
                                                                    "30 seconds; use the newest one."))]},
                              status_code=400)
        two_factor.record_attempt(settings, account.id, address, success=True)
        two_factor.end_challenge(challenge)
        if factor == "recovery":
            record_event(label, "two_factor.recovery_code_used", "account", str(account.id),
                         after={"left": two_factor.unused_recovery_codes(account.id)})
        complete_login(request, account, address, factor=f"password+{factor}")
        next_path = challenge.next_path or "/me"
    _forget_challenge(request)
    return RedirectResponse(next_path, status_code=303)


# --- turning it on and off from the account page ---------------------------------------

def _settings_page(request, *, errors=None, status_code: int = 200, recovery_codes=None, ended: int | None = None):
    platform = request.app.state.platform
    account = request.state.actor.account
    roles = [grant.role for grant in grants_of(account)]
    row = two_factor.settings_row(account.id)
    context = {"account": account, "errors": errors or {}, "recovery_codes": recovery_codes,
               "required_roles": two_factor.required_roles(platform.settings, roles),
               "enabled": row is not None and row.enabled_at is not None, "row": row}
    if ended is not None:  # just turned on
        from core.auth import api_tokens
        context.update(ended_sessions=ended, active_tokens=len(api_tokens.active_tokens(account)))
    if not context["enabled"]:
        with database.atomic():
            row = two_factor.pending_secret(account)
        uri = two_factor.provisioning_uri(row.secret, account.email, platform.settings.site_name)
        context.update(row=row, secret=row.secret, uri=uri,
                       qr=two_factor.qr_svg(uri, str(Message("QR code for your authenticator app"))))
    else:
        context["unused_codes"] = two_factor.unused_recovery_codes(account.id)
    return render(request, "account/two_factor.html", context, status_code=status_code, headers=NO_STORE)


@allowed_before_setup
def settings_page(request):
    return _settings_page(request)


@allowed_before_setup
def enable(request):
    actor = request.state.actor
    account = actor.account
    code = str(request.state.form.get("code", ""))[:64]
    with database.atomic():
        row = two_factor.settings_row(account.id)
        if row is not None and row.enabled_at is not None:
            return RedirectResponse("/me/two-factor", status_code=303)
        if row is None or not two_factor.check_new_secret(row, code):
            error = Message("The code is not right. Check that the clock on your phone is correct and use the "
                            "newest code.")
            return _settings_page(request, errors={"code": [str(error)]}, status_code=400)
        codes = two_factor.new_recovery_codes(account)
        ended = sessions.end_others(account, actor.session_id, "two_factor")
        record_event(actor.label, "two_factor.enable", "account", str(account.id),
                     after={"recovery_codes": len(codes), "ended_sessions": ended})
    log.info("two-factor authentication on for account %s; %s other session(s) ended", account.id, ended)
    return _settings_page(request, recovery_codes=codes, ended=ended)


def _check_password_and_code(request, account, password: str, code: str, *, need_password: bool):
    """Errors by field, or None when the password (if asked) and the code are right.
    Wrong passwords and codes count towards the login throttles."""
    settings = request.app.state.platform.settings
    address = client_address(request)
    key = throttle.account_key(account.email)
    if throttle.blocked(settings, key, address) or two_factor.blocked(settings, account.id, address):
        return {FORM_ERROR: [str(Message("Too many failed tries. Wait %(minutes)s minutes and try again.",
                                         minutes=settings.login_window_minutes))]}, 429
    errors = {}
    if need_password:
        current = Account.get_by_id(account.id)
        if not passwords.verify(current.password_hash, password):
            throttle.record(settings, key, address, success=False)
            errors["password"] = [str(Message("The password is not right."))]
    if two_factor.verify(account.id, code) is None:
        two_factor.record_attempt(settings, account.id, address, success=False)
        errors["code"] = [str(Message("The code is not right."))]
    return (errors, 400) if errors else (None, 200)


def disable(request):
    actor = request.state.actor
    account = actor.account
    form = request.state.form
    password = str(form.get("password", ""))[:passwords.MAX_LENGTH * 4]
    code = str(form.get("code", ""))[:64]
    with database.atomic():
        if not two_factor.is_enabled(account.id):
            return RedirectResponse("/me/two-factor", status_code=303)
        errors, status = _check_password_and_code(request, account, password, code, need_password=True)
        if errors:
            record_event(actor.label, "two_factor.disable_refused", "account", str(account.id),
                         after={"fields": sorted(errors)})
            return _settings_page(request, errors=errors, status_code=status)
        two_factor.disable(account.id)
        record_event(actor.label, "two_factor.disable", "account", str(account.id))
    log.info("two-factor authentication off for account %s", account.id)
    return RedirectResponse("/me/two-factor", status_code=303)


def renew_codes(request):
    actor = request.state.actor
    account = actor.account
    code = str(request.state.form.get("renew_code", ""))[:64]
    with database.atomic():
        if not two_factor.is_enabled(account.id):
            return RedirectResponse("/me/two-factor", status_code=303)
        errors, status = _check_password_and_code(request, account, "", code, need_password=False)
        if errors:
            renew_errors = {("renew_" + field if field != FORM_ERROR else field): messages
                            for field, messages in errors.items()}
            return _settings_page(request, errors=renew_errors, status_code=status)
        codes = two_factor.new_recovery_codes(account)
        record_event(actor.label, "two_factor.recovery_codes_renewed", "account", str(account.id),
                     after={"recovery_codes": len(codes)})
    return _settings_page(request, recovery_codes=codes)


def routes():
    return [
        page("/login/two-factor", login_code_form, name="login_two_factor"),
        page("/login/two-factor", login_code_submit, name="login_two_factor_submit", methods=("POST",)),
        page("/me/two-factor", settings_page, name="two_factor", permission="account.self"),
        page("/me/two-factor/enable", enable, name="two_factor_enable", methods=("POST",),
             permission="account.self"),
        page("/me/two-factor/disable", disable, name="two_factor_disable", methods=("POST",),
             permission="account.self"),
        page("/me/two-factor/recovery-codes", renew_codes, name="two_factor_recovery_codes", methods=("POST",),
             permission="account.self"),
    ]
