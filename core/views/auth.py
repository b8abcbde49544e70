"""Logging in and out, and the logged-in person's own page.

``/login`` shows a form with an email and a password field; a failed try says only that the
email or the password is wrong (nothing tells whether an account exists), is counted for
throttling (``core.auth.throttle``) and written to the audit log. A successful login ends any
session the browser still had, starts a new one (a new token, so a planted cookie is
useless) and goes to ``next`` (a path on this site) or ``/me``. ``/logout`` is a POST, so a
link or an image on another site cannot log anybody out, and ends the session on the server.
"""
from __future__ import annotations

import logging

from peewee import JOIN
from starlette.responses import RedirectResponse

from core import clock
from core.auth import csrf, passwords, sessions, throttle, two_factor
from core.auth.web import actor_for, client_address
from core.db import database
from core.i18n import Message
from core.models.account import Account
from core.models.audit import record_event
from core.models.membership import Membership
from core.models.municipality import Municipality
from core.models.programme import Programme
from core.rules.errors import Collector
from core.views.language import safe_next
from core.web.pages import page_blocks, render
from core.web.routing import page

log = logging.getLogger("partnerskab.security")
NO_STORE = {"Cache-Control": "no-store"}
FORM_ERROR = "form"


def _next(value: str | None) -> str:
    """Where to go after logging in: a path on this site, never back to /login or /logout."""
    target = safe_next(value or "/me")
    return "/me" if target.split("?")[0] in ("/login", "/logout") else target


def _login_page(request, *, email: str = "", next_path: str = "/me", errors=None, status_code: int = 200):
    return render(request, "auth/login.html",
                  {"email": email, "next": next_path, "errors": errors or {}},
                  status_code=status_code, headers=NO_STORE)


def login_form(request):
    next_path = _next(request.query_params.get("next"))
    if request.state.actor.is_authenticated:
        return RedirectResponse(next_path, status_code=303)
    return _login_page(request, next_path=next_path)


def login_submit(request):
    settings = request.app.state.platform.settings
    form = request.state.form
    email = str(form.get("email", ""))[:300]
    password = str(form.get("password", ""))[:passwords.MAX_LENGTH * 4]
    next_path = _next(str(form.get("next", "")))
    problems = Collector()
    if not email.strip():
        problems.add("email", "Enter your email address.")
    if not password:
        problems.add("password", "Enter your password.")
    if problems.problems:
        errors = {p.field: [str(p.message)] for p in problems.problems}
        return _login_page(request, email=email, next_path=next_path, errors=errors, status_code=400)

    key = throttle.account_key(email)
    address = client_address(request)
    request_id = getattr(request.state, "request_id", "")
    with database.atomic():
        if throttle.blocked(settings, key, address):
            log.warning("login refused, too many failures: %r from %s [request id %s]", key, address, request_id)
            record_event(key, "login.throttled", "account", after={"address": address})
            message = Message("Too many failed logins. Wait %(minutes)s minutes and try again, "
                              "or ask your administrator for a new password.", minutes=settings.login_window_minutes)
            return _login_page(request, email=email, next_path=next_path, errors={FORM_ERROR: [str(message)]},
                               status_code=429)
        account = Account.get_or_none(Account.email == key)
        ok = passwords.verify(account.password_hash if account else None, password)
        if not ok or not account.active:
            throttle.record(settings, key, address, success=False)
            log.warning("login failed for %r from %s [request id %s]", key, address, request_id)
            record_event(key, "login.failure", "account", str(account.id) if account else "",
                         after={"address": address})
            message = Message("The email address or the password is not right.")
            return _login_page(request, email=email, next_path=next_path, errors={FORM_ERROR: [str(message)]},
                               status_code=400)
        throttle.record(settings, key, address, success=True)
        if passwords.needs_rehash(account.password_hash):
            Account.update(password_hash=passwords.hash_password(password)).where(Account.id == account.id).execute()
        if two_factor.is_enabled(account.id):
            # the password was right, but this is not a session yet: a code is still due
            challenge = two_factor.start_challenge(settings, account, next_path)
            record_event(actor_for(request.app.state.platform, account).label, "login.password_ok", "account",
                         str(account.id), after={"address": address, "second_factor": "due"})
            csrf.queue_cookie(request.scope, two_factor.challenge_cookie(request.scope, challenge))
            return RedirectResponse("/login/two-factor", status_code=303)
        complete_login(request, account, address, factor="password")
    return RedirectResponse(next_path, status_code=303)


def complete_login(request, account, address: str, factor: str) -> None:
    """Start the session of a person who has proved who they are (call inside the transaction):
    any session the browser still had ends, a new token is made, the cookie is queued."""
    settings = request.app.state.platform.settings
    Account.update(last_login_at=clock.now()).where(Account.id == account.id).execute()
    previous = sessions.load(settings, sessions.token_from_scope(request.scope, settings))
    if previous is not None:
        sessions.end(previous, "replaced")
    cookie_value, row = sessions.start(settings, account, request.headers.get("user-agent", ""))
    record_event(actor_for(request.app.state.platform, account).label, "login.success", "account",
                 str(account.id), after={"address": address, "session": row.id[:12], "factor": factor})
    log.info("login: account %s from %s [request id %s]", account.id, address,
             getattr(request.state, "request_id", ""))
    csrf.queue_cookie(request.scope, sessions.cookie_header(request.scope, sessions.SESSION_COOKIE, cookie_value))
    request.state.no_store = True


def logout(request):
    actor = request.state.actor
    if actor.is_authenticated:
        with database.atomic():
            from core.models.account import Session
            sessions.end(Session(id=actor.session_id), "logout")
            record_event(actor.label, "logout", "account", str(actor.account.id))
    if sessions.read_cookie(request.scope, sessions.SESSION_COOKIE) is not None:
        csrf.queue_cookie(request.scope, sessions.cookie_header(request.scope, sessions.SESSION_COOKIE, "",
                                                                delete=True))
    return RedirectResponse("/", status_code=303)


def waiting_for(actor) -> list[Programme]:
    """What waits for the person: for now, the programmes in their scopes (a placeholder until
    tasks such as status meetings and action plans exist)."""
    municipality_ids = {g.municipality_id for g in actor.grants if g.municipality_id}
    organisation_ids = {g.organisation_id for g in actor.grants if g.organisation_id}
    instance_wide = any(g.municipality_id is None and g.organisation_id is None for g in actor.grants)
    query = (Programme.select(Programme, Municipality).join(Municipality)
             .switch(Programme).join(Membership, JOIN.LEFT_OUTER)
             .where(Programme.deleted_at.is_null()).distinct().order_by(Municipality.name, Programme.name))
    if not instance_wide:
        condition = Programme.municipality.in_(list(municipality_ids) or [0])
        if organisation_ids:
            condition |= Programme.owner_organisation.in_(list(organisation_ids))
            condition |= Membership.organisation.in_(list(organisation_ids))
        query = query.where(condition)
    return list(query.limit(50))


def me(request):
    from core import todo
    actor = request.state.actor
    sections = todo.grouped(todo.items_for(request.app.state.platform, actor))
    context = {"account": actor.account, "grants": actor.grants, "programmes": waiting_for(actor),
               "todo_sections": sections}
    context["blocks"] = page_blocks(request, "me", context)
    return render(request, "auth/me.html", context, headers=NO_STORE)


def routes():
    return [
        page("/login", two_factor.allowed_before_setup(login_form), name="login"),
        page("/login", two_factor.allowed_before_setup(login_submit), name="login_submit", methods=("POST",)),
        page("/logout", two_factor.allowed_before_setup(logout), name="logout", methods=("POST",)),
        page("/me", me, name="me", permission="account.self"),
    ]
