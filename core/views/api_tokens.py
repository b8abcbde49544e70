"""Personal access tokens for the JSON API on the person's own page (``/me/tokens``): the
list, making one (its secret shown once, on the page that answers the form) and revoking."""
from __future__ import annotations

from starlette.responses import RedirectResponse

from core import inputs
from core.auth import api_tokens
from core.rules.errors import Collector, RuleViolation
from core.views.auth import NO_STORE
from core.web.pages import render
from core.web.routing import page


def _page(request, *, errors=None, values=None, secret=None, created=None, status_code=200):
    actor = request.state.actor
    return render(request, "account/tokens.html", {
        "tokens": api_tokens.tokens_of(actor.account), "errors": errors or {},
        "values": {"name": "", "expires_in_days": "90", **(values or {})}, "secret": secret, "created": created,
        "expiry_choices": api_tokens.EXPIRY_CHOICES,
    }, status_code=status_code, headers=NO_STORE)


def tokens_page(request):
    return _page(request)


def token_create(request):
    actor = request.state.actor
    form = request.state.form
    values = {"name": str(form.get("name", ""))[:200], "expires_in_days": str(form.get("expires_in_days", ""))}
    days = inputs.parse_int(values["expires_in_days"], "expires_in_days", Collector(), required=False)
    days = -1 if days is None and values["expires_in_days"].strip() else (days or 0)
    try:
        if days not in api_tokens.EXPIRY_CHOICES:
            raise RuleViolation.one("expires_in_days", "Choose how long the token lasts")
        token, secret = api_tokens.create_token(actor.account, name=values["name"], actor=actor.label,
                                                expires_in_days=days or None)
    except RuleViolation as exc:
        return _page(request, errors=exc.by_field(), values=values, status_code=400)
    return _page(request, secret=secret, created=token)


def token_revoke(request):
    actor = request.state.actor
    try:
        api_tokens.revoke_token(actor.account, request.path_params["api_token_id"], actor=actor.label)
    except RuleViolation as exc:
        return _page(request, errors=exc.by_field(), status_code=404)
    return RedirectResponse("/me/tokens", status_code=303)


def tokens_revoke_all(request):
    actor = request.state.actor
    api_tokens.revoke_all(actor.account, actor=actor.label)
    return RedirectResponse("/me/tokens", status_code=303)


def routes():
    return [
        page("/me/tokens", tokens_page, name="api_tokens", permission="account.self"),
        page("/me/tokens", token_create, name="api_token_create", methods=("POST",), permission="account.self"),
        page("/me/tokens/revoke-all", tokens_revoke_all, name="api_tokens_revoke_all", methods=("POST",),
             permission="account.self"),
        page("/me/tokens/{api_token_id:id}/revoke", token_revoke, name="api_token_revoke", methods=("POST",),
             permission="account.self"),
    ]
