"""What the management forms share: loading a row the actor may act on (404 otherwise),
checking the permission on that row (403), rendering a form with its per-field messages,
and the redirect that tells the next page what was saved (``manage/_flash.html`` shows it).

Every form view follows the same path: the route has already checked the permission
"anywhere" (``core.web.routing.page``); the view loads its row through
``core.tenancy.get_scoped`` — a row in another tenant is simply not found, so the answer is
the same 404 as for a row that does not exist — and asks ``core.authz.can`` again on that row.
A GET shows the form; a POST hands the raw values to a rule in ``core.rules``, which checks
everything before it writes anything. A refusal shows the form again with status 422, the
values as typed and a message per field; success is a 303 redirect with a ``saved`` flag the
next page turns into a confirmation.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse

from core import authz, tenancy
from core.models.municipality import Municipality
from core.rules.errors import RuleViolation
from core.web.pages import render

NO_STORE = {"Cache-Control": "no-store"}

def actor_of(request) -> authz.Actor:
    return request.state.actor


def load_or_404(request, model, action: str, *conditions: Any):
    """The row the actor may ``action`` matching ``conditions``, else 404; then ``can`` on it, else 403."""
    actor = actor_of(request)
    row = tenancy.get_scoped(model, actor, action, *conditions)
    if row is None:
        raise HTTPException(404)
    require(request, action, row)
    return row


def require(request, action: str, resource: Any) -> None:
    """403 (logged, audited) unless the actor may ``action`` on ``resource``."""
    actor = actor_of(request)
    if not authz.can(actor, action, resource):
        from core.auth import web
        web.refuse(request, actor, action)


def form_values(request, fields: tuple[str, ...], multi: tuple[str, ...] = ()) -> dict[str, Any]:
    """The posted values of ``fields`` as strings (lists for ``multi``), each bounded in length."""
    form = request.state.form
    values: dict[str, Any] = {}
    for field in fields:
        if field in multi:
            values[field] = [str(v)[:100] for v in form.getlist(field)][:50]
        else:
            values[field] = str(form.get(field, ""))[:6000]
    return values


def errors_of(exc: RuleViolation) -> dict[str, list[str]]:
    return exc.by_field()


def show_form(request, template: str, context: dict[str, Any], errors: dict[str, list[str]] | None = None):
    """The form page: 200 when first shown, 422 when it comes back with problems."""
    errors = errors or {}
    return render(request, template, {**context, "errors": errors, "error_fields": list(errors)},
                  status_code=422 if errors else 200, headers=NO_STORE)


def saved(path: str, flag: str) -> RedirectResponse:
    return RedirectResponse(f"{path}?{urlencode({'saved': flag})}", status_code=303)


def municipality_choices(actor: authz.Actor, action: str) -> list[Municipality]:
    """The municipalities in which the actor may ``action``, by name."""
    return list(tenancy.scoped(Municipality.select(), Municipality, actor, action).order_by(Municipality.name))


def scoped_municipality(request, code: str, action: str) -> Municipality | None:
    """The municipality with ``code`` if the actor may ``action`` there. A municipality that
    exists but lies outside the actor's scope is a forged form: 403, nothing saved. None
    when there is no such municipality (the rule then says so on the field)."""
    code = code.strip()
    if not code:
        return None
    found = tenancy.get_scoped(Municipality, actor_of(request), action, Municipality.code == code)
    if found is None and Municipality.select().where(Municipality.code == code).exists():
        from core.auth import web
        web.refuse(request, actor_of(request), action)
    return found
