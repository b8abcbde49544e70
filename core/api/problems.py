"""Problem responses: how the API says no (RFC 9457, ``application/problem+json``).

Every refusal — bad input, a missing login or permission, an unknown row, a rule's "no" —
answers with the same shape: a ``type`` naming the kind of problem, a translated ``title`` and
``detail``, the ``instance`` path, the request id, and for bad input ``errors`` per field. A
handler raises ``ApiProblem``; the route (``core.api.base.operation``) turns it into the
response, so no handler builds an error body of its own and nothing answers with a 5xx.
"""
from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

from core.i18n import gettext
from core.rules.errors import RuleViolation

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
