"""Inviting people (``/invitations/new``), confirming an invitation that needs a second person
(``/invitations/waiting``) and accepting an invitation (``/invitations/{token}``).

The form offers only the roles and places the person governs (``core.auth.role_grants``); the
submit checks again (``core.auth.invitations.invite``), so a forged form gets 403 and an audit
row. The link's page sets up a new account (name and password) and logs the person in, or,
when an account with that email exists, asks them to log in and then adds the role to it. The
inviter cannot take their own invitation (403), whichever way they try.
"""
from __future__ import annotations

import logging

from starlette.responses import RedirectResponse

from core import authz, clock, todo
from core.auth import csrf, invitations, sessions, tokens
from core.auth.web import actor_for, client_address
from core.db import database
from core.i18n import Message
from core.models.account import Account
from core.models.audit import record_event
from core.rules.errors import RuleViolation
from core.views.password_reset import NO_STORE, link_base, link_problem
from core.web.pages import render
from core.web.routing import page

log = logging.getLogger("partnerskab.security")


def invitations_to_confirm(platform, actor, today) -> list[todo.TodoItem]:
    """The to-do list's share of invitations: those waiting for this person's confirmation."""
    if not actor.is_authenticated or not authz.can(actor, invitations.ACTION):
        return []
    return [todo.TodoItem("invitations", Message("Invitations waiting for your confirmation"),
                          f"{row.email} – {invitations.role_label(row.role)} ({invitations.place_name(row)})",
                          "/invitations/waiting")
            for row in invitations.awaiting(actor, limit=50)]


def _invite_page(request, *, values=None, errors=None, sent=None, status_code: int = 200):
    actor = request.state.actor
    municipalities, organisations = invitations.invitable_places(actor)
    roles = [(role, invitations.role_label(role)) for role in invitations.invitable_roles(actor)]
    return render(request, "auth/invite.html", {
        "values": values or {}, "errors": errors or {}, "sent": sent, "roles": roles,
        "municipalities": municipalities, "organisations": organisations,
    }, status_code=status_code, headers=NO_STORE)


def invite_form(request):
    return _invite_page(request)


def _denied(request, exc: RuleViolation, **details) -> None:
    actor = request.state.actor
    log.warning("invitation refused: %s %s [request id %s]", actor.label, " ".join(exc.messages()),
                getattr(request.state, "request_id", ""))
    record_event(actor.label, "permission.denied", "route", f"{request.method} {request.url.path}"[:80],
                 after={"permission": invitations.ACTION, **details})


def invite_submit(request):
    form = request.state.form
    actor = request.state.actor
    values = {key: str(form.get(key, ""))[:300].strip() for key in ("email", "role", "municipality", "organisation")}
    try:
        invitation = invitations.invite(request.app.state.platform, actor, email=values["email"], role=values["role"],
                                        municipality_code=values["municipality"],
                                        organisation_ref=values["organisation"], base_url=link_base(request))
    except invitations.NotAllowed as exc:
        _denied(request, exc, role=values["role"], municipality=values["municipality"],
                organisation=values["organisation"])
        return _invite_page(request, values=values, errors=exc.by_field(), status_code=403)
    except RuleViolation as exc:
        return _invite_page(request, values=values, errors=exc.by_field(), status_code=400)
    return _invite_page(request, sent=invitation)


def _waiting_page(request, *, errors=None, confirmed=None, status_code: int = 200):
    actor = request.state.actor
    rows = invitations.awaiting(actor)
    return render(request, "auth/invitations_waiting.html", {
        "invitations": [(row, invitations.role_label(row.role), invitations.place_name(row)) for row in rows],
        "errors": errors or {}, "confirmed": confirmed,
    }, status_code=status_code, headers=NO_STORE)


def waiting(request):
    return _waiting_page(request)


def confirm_submit(request):
    actor = request.state.actor
    try:
        invitation = invitations.confirm(request.app.state.platform, actor, request.path_params["invitation_id"],
                                         base_url=link_base(request))
    except invitations.NotAllowed as exc:
        _denied(request, exc, invitation=str(request.path_params["invitation_id"]))
        return _waiting_page(request, errors=exc.by_field(), status_code=403)
    except RuleViolation as exc:
        return _waiting_page(request, errors=exc.by_field(), status_code=404)
    return _waiting_page(request, confirmed=invitation)


def _accept_page(request, invitation, *, errors=None, name: str = "", status_code: int = 200):
    actor = request.state.actor
    existing = Account.get_or_none(Account.email == invitation.email)
    return render(request, "auth/invitation.html", {
        "invitation": invitation, "role_label": invitations.role_label(invitation.role),
        "place": invitations.place_name(invitation), "existing": existing is not None, "name": name,
        "errors": errors or {}, "token": request.path_params["token"],
        "is_invitee": actor.is_authenticated and actor.account.email == invitation.email,
        "is_inviter": actor.is_authenticated and actor.account.id == invitation.invited_by_id,
    }, status_code=status_code, headers=NO_STORE)


def accept_form(request):
    try:
        invitation = invitations.load(request.app.state.platform.settings, request.path_params["token"])
    except tokens.TokenProblem as problem:
        return link_problem(request, problem, "invitation")
    return _accept_page(request, invitation)


def accept_submit(request):
    platform = request.app.state.platform
    settings = platform.settings
    form = request.state.form
    actor = request.state.actor
    name = str(form.get("name", ""))[:200]
    try:
        invitation = invitations.load(settings, request.path_params["token"])
        invitations.refuse_inviter(invitation, actor.account if actor.is_authenticated else None)
        if Account.select().where(Account.email == invitation.email).exists():
            if not (actor.is_authenticated and actor.account.email == invitation.email):
                return _accept_page(request, invitation, status_code=403)
            invitations.accept_existing(invitation, actor.account)
            return RedirectResponse("/me", status_code=303)
        account = invitations.accept_new(invitation, name=name, password=str(form.get("password", "")),
                                         password_again=str(form.get("password_again", "")),
                                         logged_in=actor.account if actor.is_authenticated else None)
    except tokens.TokenProblem as problem:
        return link_problem(request, problem, "invitation")
    except invitations.NotAllowed as exc:
        _denied(request, exc, invitation=str(invitation.id))
        return _accept_page(request, invitation, errors=exc.by_field(), name=name, status_code=403)
    except RuleViolation as exc:
        return _accept_page(request, invitation, errors=exc.by_field(), name=name, status_code=400)
    # Logged in as the new account, in a new session (whatever session the browser had ends).
    with database.atomic():
        previous = sessions.load(settings, sessions.token_from_scope(request.scope, settings))
        if previous is not None:
            sessions.end(previous, "replaced")
        cookie_value, row = sessions.start(settings, account, request.headers.get("user-agent", ""))
        Account.update(last_login_at=clock.now()).where(Account.id == account.id).execute()
        record_event(actor_for(platform, account).label, "login.success", "account", str(account.id),
                     after={"address": client_address(request), "session": row.id[:12], "via": "invitation"})
    csrf.queue_cookie(request.scope, sessions.cookie_header(request.scope, sessions.SESSION_COOKIE, cookie_value))
    request.state.no_store = True
    return RedirectResponse("/me", status_code=303)


def routes():
    return [
        page("/invitations/new", invite_form, name="invite", permission=invitations.ACTION),
        page("/invitations/new", invite_submit, name="invite_submit", methods=("POST",),
             permission=invitations.ACTION),
        page("/invitations/waiting", waiting, name="invitations_waiting", permission=invitations.ACTION),
        page("/invitations/{invitation_id:id}/confirm", confirm_submit, name="invitation_confirm",
             methods=("POST",), permission=invitations.ACTION),
        page("/invitations/{token:str}", accept_form, name="invitation"),
        page("/invitations/{token:str}", accept_submit, name="invitation_accept", methods=("POST",)),
    ]
