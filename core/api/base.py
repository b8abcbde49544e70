"""One declaration per API operation, from which both the route and its OpenAPI entry come.

``operation(method, path, handler, permission=..., ...)`` returns a Starlette ``Route`` that:

* authenticates in the worker thread holding the database connection: with a bearer token
  (``Authorization: Bearer psk_…``, and then *only* the token — cookies are ignored, which is
  what makes the CSRF exemption of ``core.auth.csrf.bearer_api_request`` safe) or else as a
  page would (the session cookie, ``core.auth.web.authenticate``; a state-changing request
  then needs the ``X-CSRF-Token`` header like any form);
* checks the declared permission with ``core.authz.can`` (401 without a login, 403 without
  the permission), exactly like ``core.web.routing.page``;
* parses and validates path and query parameters and the JSON body against the declared
  schemas, answering bad input with an RFC 9457 problem (``application/problem+json``, 4xx,
  ``errors`` per field) — never a 5xx;
* turns a ``RuleViolation`` from the rules into a problem as well.

The route carries ``permission`` (the test that every route declares one sees it) and
``operation`` (``core.api.openapi`` builds the document from it).
"""
from __future__ import annotations

import dataclasses
import json
import logging
import re
from typing import Any, Callable
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from core import authz, db, inputs
from core.i18n import Message, gettext
from core.rules.errors import Collector, RuleViolation

log = logging.getLogger("partnerskab.api")

MAX_ID = 2**53 - 1  # ids beyond this are unknown (and JSON numbers stay exact)
MAX_INT = 2**53 - 1
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "urn:partnerskab:problem:"


class ApiProblem(Exception):
    """An RFC 9457 problem: raise it from a handler to answer with it."""

    def __init__(self, status: int, title: str, detail: str | None = None, *, slug: str | None = None,
                 errors: dict[str, list[str]] | None = None, headers: dict[str, str] | None = None):
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.slug = status, title, detail, slug
        self.errors, self.headers = errors, headers or {}


def problem_response(request, problem: ApiProblem) -> JSONResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + problem.slug if problem.slug else "about:blank",
        "title": gettext(problem.title), "status": problem.status,
        "detail": problem.detail or gettext(problem.title),
        "instance": request.url.path,
        "request_id": getattr(request.state, "request_id", ""),
    }
    if problem.errors:
        body["errors"] = problem.errors
    response = JSONResponse(body, status_code=problem.status, media_type=PROBLEM_MEDIA_TYPE,
                            headers=problem.headers)
    response.headers["Cache-Control"] = "no-store"
    return response


def not_found(what: str = "resource") -> ApiProblem:
    return ApiProblem(404, "Not found", gettext("Not found, or you may not see it"), slug="not-found")


def invalid(errors: dict[str, list[str]], detail: str | None = None) -> ApiProblem:
    return ApiProblem(400, "Invalid request", detail or gettext("The request has invalid fields: see errors"),
                      slug="validation-error", errors=errors)


def from_rule_violation(exc: RuleViolation) -> ApiProblem:
    """A refusal by the rules: permission → 403, a state conflict → 409, anything else → 422."""
    errors = exc.by_field()
    detail = " ".join(exc.messages())
    if "permission" in errors:
        return ApiProblem(403, "Forbidden", detail, slug="forbidden", errors=errors)
    if set(errors) <= {"status", "approved_by"}:
        return ApiProblem(409, "Conflict", detail, slug="conflict", errors=errors)
    return ApiProblem(422, "Refused by the rules", detail, slug="rule-violation", errors=errors)


# --- declarations -------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Param:
    """A path or query parameter: ``kind`` is 'int', 'str' or 'enum' (with ``choices``)."""

    name: str
    location: str = "query"  # or "path"
    kind: str = "int"
    description: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: int = 0
    maximum: int = MAX_INT
    max_length: int = 200

    def schema(self) -> dict:
        if self.kind == "int":
            return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}
        if self.kind == "enum":
            return {"type": "string", "enum": list(self.choices)}
        return {"type": "string", "maxLength": self.max_length}

    def parse(self, raw: str, errors: dict[str, list[str]]):
        if self.kind == "int":
            text = raw.strip()
            if not re.fullmatch(r"[0-9]{1,20}", text):
                errors.setdefault(self.name, []).append(str(Message("'%(value)s' is not a whole number",
                                                                    value=raw[:40])))
                return None
            value = int(text)
            if not self.minimum <= value <= self.maximum:
                errors.setdefault(self.name, []).append(str(Message(
                    "Give a number from %(min)s to %(max)s", min=self.minimum, max=self.maximum)))
                return None
            return value
        if self.kind == "enum":
            if raw not in self.choices:
                errors.setdefault(self.name, []).append(str(Message(
                    "'%(value)s' is not one of: %(choices)s", value=raw[:40], choices=", ".join(self.choices))))
                return None
            return raw
        if len(raw) > self.max_length:
            errors.setdefault(self.name, []).append(str(Message("At most %(max)s characters", max=self.max_length)))
            return None
        return raw


def ID(name: str, what: str) -> Param:
    return Param(name, "path", "int", f"The {what}'s id", required=True, minimum=1, maximum=MAX_ID)


PAGINATION = (
    Param("limit", kind="int", description="How many items per page (default 50)", minimum=1, maximum=MAX_LIMIT),
    Param("after", kind="int", description="Continue after this id (from the `next` link)", minimum=0,
          maximum=MAX_ID),
)


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


def _json_type_ok(value, schema: dict) -> bool:
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    for k in kinds:
        if k == "null" and value is None:
            return True
        if k == "string" and isinstance(value, str):
            return True
        if k == "integer" and isinstance(value, int) and not isinstance(value, bool):
            return True
        if k == "integer" and isinstance(value, float) and value.is_integer():
            return True  # JSON Schema: 381.0 is an integer (``validate_body`` makes it 381)
        if k == "boolean" and isinstance(value, bool):
            return True
        if k == "object" and isinstance(value, dict):
            return True
        if k == "array" and isinstance(value, list):
            return True
        if k == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return value == value and value not in (float("inf"), float("-inf"))
    return False


_TYPE_WORDS = {"string": "a string", "integer": "a whole number", "boolean": "true or false",
               "object": "an object", "array": "a list", "number": "a number", "null": "null"}


def _validate_items(name: str, prop: dict, value: list, errors: dict[str, list[str]]) -> None:
    """An array's length (``maxItems``) and each item against ``items``: an object
    item as a body of its own, any other through a one-property body; the errors are named
    ``<name>.<position>[.<field>]``."""
    if len(value) > prop.get("maxItems", 10**6):
        errors.setdefault(name, []).append(str(Message("At most %(max)s entries", max=prop.get("maxItems"))))
        return
    inner = prop.get("items") or {}
    for index, item in enumerate(value):
        if inner.get("type") == "object":
            found = validate_body(inner, item) if isinstance(item, dict) else {
                "": [gettext("The value has the wrong form")]}
        else:
            wrapper = {"value": item}
            found = validate_body({"properties": {"value": inner}}, wrapper)
            value[index] = wrapper["value"]
            found = {"" if key == "value" else key: messages for key, messages in found.items()}
        for key, messages in found.items():
            errors.setdefault(f"{name}.{index}" + (f".{key}" if key else ""), []).extend(messages)


def validate_body(schema: dict, body) -> dict[str, list[str]]:
    """Check a JSON body against the small subset of JSON Schema the declarations use."""
    errors: dict[str, list[str]] = {}
    if not isinstance(body, dict):
        return {"body": [gettext("The body must be a JSON object")]}
    properties = schema.get("properties", {})
    for name in schema.get("required", []):
        if name not in body:
            errors.setdefault(name, []).append(gettext("This field is required"))
    if schema.get("additionalProperties") is False:
        for name in body:
            if name not in properties:
                errors.setdefault(str(name)[:100], []).append(gettext("Unknown field"))
    for name, prop in properties.items():
        if name not in body:
            continue
        value = body[name]
        if isinstance(value, float) and value.is_integer() and _json_type_ok(value, prop):
            value = body[name] = int(value)  # a whole number written with a decimal point
        if not _json_type_ok(value, prop):
            kind = prop.get("type")
            kinds = kind if isinstance(kind, list) else [kind]
            words = " or ".join(_TYPE_WORDS.get(k, str(k)) for k in kinds)
            errors.setdefault(name, []).append(str(Message("Must be %(kind)s", kind=words)))
            continue
        if isinstance(value, str):
            if "enum" in prop and value not in prop["enum"]:
                errors.setdefault(name, []).append(str(Message(
                    "'%(value)s' is not one of: %(choices)s", value=value[:40], choices=", ".join(prop["enum"]))))
            if len(value) > prop.get("maxLength", 10**9) or len(value) < prop.get("minLength", 0):
                errors.setdefault(name, []).append(str(Message(
                    "Give from %(min)s to %(max)s characters", min=prop.get("minLength", 0),
                    max=prop.get("maxLength", "∞"))))
            if "pattern" in prop and not re.search(prop["pattern"], value):
                errors.setdefault(name, []).append(gettext("The value has the wrong form"))
            if prop.get("format") == "date":  # the API keeps ISO dates, within core.inputs' years
                problems = Collector()
                inputs.parse_date(value, name, problems, iso_only=True)
                for problem in problems.problems:
                    errors.setdefault(name, []).append(str(problem))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            if not prop.get("minimum", -MAX_INT) <= value <= prop.get("maximum", MAX_INT):
                errors.setdefault(name, []).append(str(Message(
                    "Give a number from %(min)s to %(max)s", min=prop.get("minimum", -MAX_INT),
                    max=prop.get("maximum", MAX_INT))))
        elif isinstance(value, list):
            _validate_items(name, prop, value, errors)
        elif isinstance(value, dict) and "additionalProperties" in prop:
            inner = prop["additionalProperties"]
            if len(value) > prop.get("maxProperties", 10**6):
                errors.setdefault(name, []).append(str(Message("At most %(max)s entries",
                                                               max=prop.get("maxProperties"))))
            for key, item in value.items():
                if not _json_type_ok(item, inner) or (isinstance(item, str)
                                                      and len(item) > inner.get("maxLength", 10**9)):
                    errors.setdefault(f"{name}.{str(key)[:100]}", []).append(gettext("The value has the wrong form"))
    return errors


# --- authentication and the route ------------------------------------------------------------

def authenticate(request) -> authz.Actor:
    """The actor: from the bearer token when one is sent (never falling back to cookies), else
    from the session cookie as for a page."""
    from core.auth import api_tokens, web
    platform = request.app.state.platform
    secret = api_tokens.bearer_from_headers(request.headers)
    if secret is None:
        return web.authenticate(request)
    actor = api_tokens.actor_for_token(platform, secret)
    if actor is None:
        log.warning("API token refused for %s %s [request id %s]", request.method, request.url.path,
                    getattr(request.state, "request_id", ""))
        raise ApiProblem(401, "Unauthorized", gettext("The access token is not valid: it is unknown, revoked "
                                                      "or expired"), slug="invalid-token",
                         headers={"WWW-Authenticate": 'Bearer realm="partnerskab", error="invalid_token"'})
    request.state.actor = actor
    request.state.no_store = True
    return actor


def _refuse(request, actor, permission: str) -> ApiProblem:
    from core.models.audit import record_event
    if not actor.is_authenticated:
        return ApiProblem(401, "Unauthorized", gettext("Send a personal access token: Authorization: Bearer <token>"),
                          slug="unauthorized", headers={"WWW-Authenticate": 'Bearer realm="partnerskab"'})
    log.warning("API permission denied: %s lacks '%s' for %s %s", actor.label, permission, request.method,
                request.url.path)
    record_event(actor.label, "permission.denied", "route", f"{request.method} {request.url.path}"[:80],
                 after={"permission": permission})
    return ApiProblem(403, "Forbidden", str(Message("You do not have the permission '%(permission)s'",
                                                    permission=permission)), slug="forbidden")


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
        if raw is None or (raw == "" and param.location == "query"):
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

    def in_thread(request, raw: bytes | None):
        with db.connection():
            actor = authenticate(request)
            if not authz.can(actor, permission):
                raise _refuse(request, actor, permission)
            call = Ctx(request, actor, _parse_params(op, request), None)
            try:
                if loader is not None:  # the row named in the address, in the actor's scope, before the body
                    call.row = loader(call)
                if op.body is not None:
                    call.body = _parse_json(request, raw or b"")
                    errors = validate_body(op.body, call.body)
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


# --- lists ---------------------------------------------------------------------------------

def page_of(call: "Ctx", query, id_field, serialize: Callable[[Any], dict], extra: dict | None = None) -> dict:
    """One page of ``query`` in id order after ``after``, and the link to the next page."""
    limit = call.params.get("limit") or DEFAULT_LIMIT
    after = call.params.get("after") or 0
    rows = list(query.where(id_field > after).order_by(id_field).limit(limit + 1))
    more = len(rows) > limit
    rows = rows[:limit]
    next_link = None
    if more:
        kept = {key: value for key, value in call.request.query_params.items() if key not in ("after", "limit")}
        next_link = f"{call.request.url.path}?{urlencode({**kept, 'limit': limit, 'after': rows[-1].id})}"
    return {"items": [serialize(row) for row in rows], "next": next_link, **(extra or {})}


def iso(value) -> str | None:
    return value.isoformat() if value is not None else None


# --- schema helpers for declarations -------------------------------------------------------

def obj(properties: dict, required: list[str] | None = None) -> dict:
    return {"type": "object", "properties": properties, "required": required or list(properties)}


def nullable(schema: dict) -> dict:
    kind = schema.get("type")
    return {**schema, "type": [kind, "null"]}


INT = {"type": "integer"}
STR = {"type": "string"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string"}
BOOL = {"type": "boolean"}


def list_of(item: dict) -> dict:
    return obj({"items": {"type": "array", "items": item}, "next": {"type": ["string", "null"]}})
