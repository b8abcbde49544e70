"""Forgotten password: ask for a link at ``/password-reset``, set a new password at the link.

The request page answers every address the same way (same status, same words; see
``core.auth.resets`` for the timing), so it cannot be used to find out who has an account.
"""
from __future__ import annotations

from starlette.background import BackgroundTask

from core import i18n
from core.auth import csrf, resets, sessions, tokens
from core.auth.web import client_address
from core.rules.errors import RuleViolation
from core.web.pages import render
from core.web.routing import page

NO_STORE = {"Cache-Control": "no-store"}


def link_base(request) -> str:
    """Where links in mails point: always the configured ``base_url`` (a demo derives it from its
    own host and port), never the request's Host header, which the sender of a request chooses."""
    return request.app.state.platform.settings.base_url


def link_problem(request, problem: tokens.TokenProblem, kind: str):
    """The page for a link that cannot be used: it says whether it is damaged, expired or used."""
    return render(request, "auth/link_problem.html", {"problem": problem.kind, "kind": kind},
                  status_code=410 if problem.kind in (tokens.EXPIRED, tokens.USED) else 400, headers=NO_STORE)


def request_form(request):
    return render(request, "auth/password_reset_request.html", {"email": "", "sent": False, "errors": {}},
                  headers=NO_STORE)


def request_submit(request):
    email = str(request.state.form.get("email", ""))[:300]
    if not email.strip():
        return render(request, "auth/password_reset_request.html",
                      {"email": email, "sent": False,
                       "errors": {"email": [i18n.gettext("Enter your email address.")]}},
                      status_code=400, headers=NO_STORE)
    platform = request.app.state.platform
    account_id = resets.request_reset(email, address=client_address(request))
    background = None
    if account_id is not None:
        background = BackgroundTask(resets.send_link, platform, account_id, base_url=link_base(request),
                                    locale=i18n.current_locale())
    response = render(request, "auth/password_reset_request.html", {"email": "", "sent": True, "errors": {}},
                      headers=NO_STORE)
    response.background = background
    return response


def set_form(request):
    settings = request.app.state.platform.settings
    try:
        resets.load(settings, request.path_params["token"])
    except tokens.TokenProblem as problem:
        return link_problem(request, problem, "reset")
    return render(request, "auth/password_reset_set.html", {"errors": {}}, headers=NO_STORE)


def set_submit(request):
    settings = request.app.state.platform.settings
    form = request.state.form
    try:
        reset = resets.load(settings, request.path_params["token"])
        resets.complete(reset, password=str(form.get("password", "")), address=client_address(request),
                        password_again=str(form.get("password_again", "")))
    except tokens.TokenProblem as problem:
        return link_problem(request, problem, "reset")
    except RuleViolation as exc:
        return render(request, "auth/password_reset_set.html", {"errors": exc.by_field()},
                      status_code=400, headers=NO_STORE)
    if sessions.read_cookie(request.scope, sessions.SESSION_COOKIE) is not None:  # its session has ended too
        csrf.queue_cookie(request.scope, sessions.cookie_header(request.scope, sessions.SESSION_COOKIE, "",
                                                                delete=True))
    return render(request, "auth/password_reset_done.html", {"actor": None}, headers=NO_STORE)


def routes():
    return [
        page("/password-reset", request_form, name="password_reset"),
        page("/password-reset", request_submit, name="password_reset_submit", methods=("POST",)),
        page("/password-reset/{token:str}", set_form, name="password_reset_set"),
        page("/password-reset/{token:str}", set_submit, name="password_reset_set_submit", methods=("POST",)),
    ]
