"""One declaration per API operation, from which both the route and its OpenAPI entry come.

``operation(method, path, handler, permission=..., ...)`` returns a Starlette ``Route`` that:

* authenticates in the worker thread holding the database connection
  (``core.api.authentication``: a bearer token, and then *only* the token, or else the session
  cookie as a page would);
* checks the declared permission with ``core.authz.can`` (401 without a login, 403 without
  the permission), exactly like ``core.web.routing.page``;
* parses and validates path and query parameters (``core.api.params``) and the JSON body
  against the declared schema (``core.api.validation``, with ``jsonschema``), answering bad
  input with an RFC 9457 problem (``core.api.problems``: ``application/problem+json``, 4xx,
  ``errors`` per field) — never a 5xx;
* turns a ``RuleViolation`` from the rules into a problem as well.

The route carries ``permission`` (the test that every route declares one sees it) and
``operation`` (``core.api.openapi`` builds the document from it).

This module is also the one import for writing operations — the core's and the plugins'
(``from core.api.base import operation, obj, INT, PAGINATION, page_of, not_found, ...``) — so
it re-exports the helpers that live beside it, each in the module of its concern.
"""
from __future__ import annotations

import dataclasses
import json
from typing import Any, Callable

from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from core import authz, db
from core.api.authentication import authenticate, refuse
from core.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, PAGINATION, page_of
from core.api.params import ID, MAX_ID, MAX_INT, Param
from core.api.problems import (
    PROBLEM_BASE, PROBLEM_MEDIA_TYPE, ApiProblem, from_rule_violation, invalid, not_found, problem_response,
)
from core.api.schemas import BOOL, DATE, DATETIME, INT, STR, iso, list_of, nullable, obj
from core.api.validation import body_validator, validate_body
from core.i18n import gettext
from core.rules.errors import RuleViolation


@dataclasses.dataclass
class Operation:
    method: str
    path: str
    handler: Callable
    permission: str
    summary: str
    tag: str
    params: tuple[Param, ...] = ()
    body: dict | None = None          # JSON schema of the request body (an object)
    response: dict | None = None      # JSON schema of a successful response
    status: int = 200
    extra_statuses: tuple[int, ...] = ()
    operation_id: str = ""


@dataclasses.dataclass
class Ctx:
    """What a handler gets: the request, the actor, the parsed parameters and the JSON body."""

    request: Any
    actor: authz.Actor
    params: dict[str, Any]
    body: dict | None
    row: Any = None

    @property
    def platform(self):
        return self.request.app.state.platform


def _parse_params(op: Operation, request) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for param in op.params:
        source = request.path_params if param.location == "path" else request.query_params
        raw = source.get(param.name)
        # an empty text parameter is as good as none; an empty number or choice is refused, as its schema says
        if raw is None or (raw == "" and param.location == "query" and param.kind == "str"):
            if param.required:
                errors.setdefault(param.name, []).append(gettext("This field is required"))
            values[param.name] = None
            continue
        value = param.parse(str(raw), errors)
        if value is None and param.location == "path":
            raise not_found()  # /applications/abc or an id out of range: no such thing
        values[param.name] = value
    if errors:
        raise invalid(errors)
    return values


def _parse_json(request, raw: bytes):
    """The JSON body (an empty body is an empty object); anything else is a 400 problem."""
    if not raw.strip():
        return {}
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type and content_type != "application/json" and not content_type.endswith("+json"):
        raise ApiProblem(400, "Invalid request", gettext("Send the body as JSON (Content-Type: application/json)"),
                         slug="not-json")
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiProblem(400, "Invalid JSON", gettext("The body is not valid JSON"), slug="invalid-json") from None


def _no_constant(name):
    raise ValueError(f"{name} is not JSON")


def operation(method: str, path: str, handler: Callable, *, permission: str, summary: str, tag: str,
              params: tuple[Param, ...] = (), body: dict | None = None, response: dict | None = None,
              status: int = 200, extra_statuses: tuple[int, ...] = (), loader: Callable | None = None) -> Route:
    """Declare one API operation (see the module's docstring). ``loader(call)`` finds the row
    the address names, within the actor's scope (raising a 404 problem), before the body is
    validated: another tenant's row is "not found" whatever the body says."""
    op = Operation(method, path, handler, permission, summary, tag, tuple(params), body, response, status,
                   extra_statuses, operation_id=handler.__name__)
    check_body = body_validator(op.body) if op.body is not None else None

    def in_thread(request, raw: bytes | None):
        with db.connection():
            actor = authenticate(request)
            if not authz.can(actor, permission):
                raise refuse(request, actor, permission)
            call = Ctx(request, actor, _parse_params(op, request), None)
            try:
                if loader is not None:  # the row named in the address, in the actor's scope, before the body
                    call.row = loader(call)
                if check_body is not None:
                    call.body = _parse_json(request, raw or b"")
                    errors = check_body(call.body)
                    if errors:
                        raise invalid(errors)
                result = handler(call)
            except RuleViolation as exc:
                raise from_rule_violation(exc) from None
            return result

    async def endpoint(request):
        try:
            raw = await request.body() if op.body is not None else None
            result = await run_in_threadpool(in_thread, request, raw)
        except ApiProblem as problem:
            return problem_response(request, problem)
        if isinstance(result, Response):
            return result
        code = op.status
        if isinstance(result, tuple):
            code, result = result
        response = JSONResponse(result, status_code=code)
        response.headers["Cache-Control"] = "no-store"
        return response

    endpoint.__name__ = handler.__name__
    route = Route(path, endpoint, name=f"api_{handler.__name__}", methods=[method])
    route.permission = permission
    route.operation = op
    return route


__all__ = ["operation", "Operation", "Ctx", "authenticate", "refuse",
           "ApiProblem", "problem_response", "not_found", "invalid", "from_rule_violation",
           "PROBLEM_MEDIA_TYPE", "PROBLEM_BASE", "Param", "ID", "MAX_ID", "MAX_INT",
           "PAGINATION", "DEFAULT_LIMIT", "MAX_LIMIT", "page_of", "body_validator", "validate_body",
           "obj", "nullable", "list_of", "iso", "INT", "STR", "DATE", "DATETIME", "BOOL"]
