"""The pages: learnings (the list with search and filters, one learning with its comments,
writing and editing one) and the method library.

Reading is public as a route — a public learning needs no login — and every view narrows to
what the reader may read (``visibility.readable``), so another municipality's learning that is
not shared with the reader is simply not found (404). Writing, commenting and promoting have
their own permissions, checked at the route and again on the row (``core.authz.can``). Every
list reads a fixed number of queries whatever the data: the reader's reach, a capped count, one
page of rows with their municipality, organisation and programme joined, and one query for the
methods on the page.
"""
from __future__ import annotations

import dataclasses
from urllib.parse import urlencode

from peewee import JOIN
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse

from core import authz, inputs
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.rules.errors import RuleViolation
from core.views.manage_common import NO_STORE
from core.web.pages import render
from core.web.routing import page
from plugins.knowledge import rules, search, vocabulary
from plugins.knowledge.hookspecs import Meeting
from plugins.knowledge.models import VISIBILITIES, Comment, Learning, Method
from plugins.knowledge.rendering import MAX_LENGTH, to_html
from plugins.knowledge.visibility import READ, Reach, may_comment, readable, reach_for

WRITE, COMMENT, PROMOTE = "knowledge.write", "knowledge.comment", "knowledge.promote"
PAGE_SIZE = 20
COUNT_CAP = 1_000


def _platform(request):
    return request.app.state.platform


def form_values(request, fields: tuple[str, ...]) -> dict[str, str]:
    """The posted values, each bounded a little above what the rules accept (so an over-long
    Markdown text is refused with its length, never cut short without a word)."""
    form = request.state.form
    return {field: str(form.get(field, ""))[:MAX_LENGTH + 1] for field in fields}


# --- lists -----------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class ListQuery:
    q: str = ""
    focus_area: str = ""
    method: str = ""
    target_group: str = ""
    before: int = 0   # the id of the last row of the previous page (newest first)

    @classmethod
    def from_params(cls, params) -> "ListQuery":
        """Read the query string leniently: unknown values are dropped, not errors."""
        before = inputs.parse_id(params.get("before", "")) or 0
        method = str(params.get("method", ""))
        return cls(q=str(params.get("q", "")).strip()[:200], focus_area=str(params.get("focus_area", ""))[:120],
                   method=method if method in vocabulary.METHODS else "",
                   target_group=str(params.get("target_group", ""))[:40], before=before)

    def params(self, **changes) -> str:
        values = dataclasses.asdict(dataclasses.replace(self, **changes))
        return urlencode({key: value for key, value in values.items() if value})


@dataclasses.dataclass
class Result:
    items: list
    total: int
    capped: bool
    next_before: int | None


def _joined(model):
    return (model.select(model, Municipality, Organisation, Programme)
            .join_from(model, Municipality, JOIN.LEFT_OUTER)
            .join_from(model, Organisation, JOIN.LEFT_OUTER)
            .join_from(model, Programme, JOIN.LEFT_OUTER))


def _filtered(model, query: ListQuery, reach: Reach, method_field):
    selection = model.select(model.id).where(readable(model, reach))
    condition = search.match(model, query.q)
    if condition is not None:
        selection = selection.where(condition)
    if query.focus_area:
        selection = selection.where(model.focus_area == query.focus_area)
    if query.method:
        selection = selection.where(method_field == query.method)
    if query.target_group:
        selection = selection.where(model.target_group == query.target_group)
    return selection


def list_rows(model, query: ListQuery, reach: Reach, method_field, size: int = PAGE_SIZE) -> Result:
    """One page, newest first, and a count that stops at ``COUNT_CAP``: three queries."""
    ids = _filtered(model, query, reach, method_field)
    total = ids.order_by(model.id).limit(COUNT_CAP + 1).count()
    if query.before:
        ids = ids.where(model.id < query.before)
    rows = list(_joined(model).where(model.id.in_(ids.order_by(model.id.desc()).limit(size + 1)))
                .order_by(model.id.desc()))
    more = len(rows) > size
    rows = rows[:size]
    return Result(rows, min(total, COUNT_CAP), total > COUNT_CAP, rows[-1].id if more and rows else None)


def methods_of(learning_ids: list[int]) -> dict[int, Method]:
    """The library's method made of each learning, in one query."""
    if not learning_ids:
        return {}
    return {m.learning_id: m for m in Method.select().where(Method.learning.in_(learning_ids),
                                                            Method.deleted_at.is_null())}


def _labels(platform) -> dict:
    return {"focus_area_title": lambda key: vocabulary.focus_area_title(platform.programme_types, key) or "",
            "method_label": vocabulary.method_label, "visibility_labels": vocabulary.VISIBILITY_LABELS,
            "target_group_label": platform.target_group_label, "methods_vocabulary": vocabulary.METHODS,
            "visibility_hints": vocabulary.VISIBILITY_HINTS, "markdown": to_html}


def learning_list(request):
    platform = _platform(request)
    reach = reach_for(request)
    query = ListQuery.from_params(request.query_params)
    result = list_rows(Learning, query, reach, Learning.method)
    return render(request, "knowledge/learnings.html", {
        "query": query, "result": result, "methods": methods_of([row.id for row in result.items]),
        "focus_areas": vocabulary.focus_area_choices(platform.programme_types),
        "target_groups": platform.target_groups, "may_write": authz.can(request.state.actor, WRITE),
        **_labels(platform)})


def method_list(request):
    platform = _platform(request)
    reach = reach_for(request)
    query = ListQuery.from_params(request.query_params)
    result = list_rows(Method, query, reach, Method.method_key)
    return render(request, "knowledge/methods.html", {
        "query": query, "result": result, "focus_areas": vocabulary.focus_area_choices(platform.programme_types),
        "target_groups": platform.target_groups, **_labels(platform)})


# --- one learning ------------------------------------------------------------------------------

def load_learning(request, param: str = "knowledge_learning_id") -> Learning:
    """The learning the address names, if the reader may read it; else 404."""
    learning = _joined(Learning).where(Learning.id == request.path_params[param],
                                       readable(Learning, reach_for(request))).first()
    if learning is None:
        raise HTTPException(404)
    return learning


def _learning_context(request, learning: Learning, errors=None, form=None) -> dict:
    platform = _platform(request)
    reach = reach_for(request)
    actor = request.state.actor
    commenting = may_comment(reach, learning)
    comments = list(Comment.select().where(Comment.learning == learning.id).order_by(Comment.created_at, Comment.id)
                    .limit(500)) if commenting else []
    method = Method.select().where(Method.learning == learning.id, Method.deleted_at.is_null()).first()
    may_edit = actor.is_authenticated and authz.can(actor, WRITE) and authz.can(actor, WRITE, learning)
    return {"learning": learning, "comments": comments, "may_comment": commenting, "method": method,
            "may_edit": may_edit,
            "may_promote": method is None and actor.is_authenticated and authz.can(actor, PROMOTE)
            and authz.can(actor, PROMOTE, learning),
            "may_delete_comment": lambda comment: rules.may_delete_comment(reach, learning, comment),
            "errors": errors or {}, "form": form or {}, **_labels(platform)}


def learning_detail(request):
    learning = load_learning(request)
    return render(request, "knowledge/learning.html", _learning_context(request, learning),
                  headers=NO_STORE if learning.visibility != "public" else None)


# --- writing -----------------------------------------------------------------------------------

def _form_context(request, values: dict, errors: dict, learning: Learning | None) -> dict:
    platform = _platform(request)
    offered = rules.choices(platform, reach_for(request))
    if learning is not None:
        for rows, row in ((offered.organisations, learning.organisation if learning.organisation_id else None),
                          (offered.programmes, learning.programme if learning.programme_id else None),
                          (offered.municipalities, learning.municipality if learning.municipality_id else None)):
            if row is not None and all(existing.id != row.id for existing in rows):
                rows.append(row)
        if learning.meeting_ref and all(m.ref != learning.meeting_ref for m in offered.meetings):
            offered.meetings.append(Meeting(learning.meeting_ref, learning.meeting_label, learning.meeting_url))
    return {"values": values, "errors": errors, "learning": learning, "offered": offered,
            "focus_areas": vocabulary.focus_area_choices(platform.programme_types),
            "target_groups": platform.target_groups, "visibilities": VISIBILITIES, **_labels(platform)}


def _values_of(learning: Learning) -> dict:
    return {"title": learning.title, "summary": learning.summary, "body": learning.body,
            "visibility": learning.visibility, "organisation": learning.organisation_id or "",
            "programme": learning.programme_id or "",
            "municipality": learning.municipality.code if learning.municipality_id else "",
            "focus_area": learning.focus_area, "target_group": learning.target_group, "method": learning.method,
            "meeting": learning.meeting_ref}


def learning_new(request):
    if request.method == "GET":
        params = request.query_params
        values = {"visibility": "network", "programme": params.get("programme", ""),
                  "organisation": params.get("organisation", "")}
        return render(request, "knowledge/form.html", _form_context(request, values, {}, None), headers=NO_STORE)
    values = form_values(request, rules.LEARNING_FIELDS)
    try:
        learning = rules.save_learning(_platform(request), reach_for(request), values)
    except RuleViolation as exc:
        return render(request, "knowledge/form.html", _form_context(request, values, exc.by_field(), None),
                      status_code=422, headers=NO_STORE)
    return RedirectResponse(f"/learnings/{learning.id}?saved=created", status_code=303)


def _editable(request) -> Learning:
    learning = load_learning(request)
    if not authz.can(request.state.actor, WRITE, learning):
        raise HTTPException(404)
    return learning


def learning_edit(request):
    learning = _editable(request)
    if request.method == "GET":
        return render(request, "knowledge/form.html", _form_context(request, _values_of(learning), {}, learning),
                      headers=NO_STORE)
    values = form_values(request, rules.LEARNING_FIELDS)
    try:
        rules.save_learning(_platform(request), reach_for(request), values, learning)
    except RuleViolation as exc:
        return render(request, "knowledge/form.html", _form_context(request, values, exc.by_field(), learning),
                      status_code=422, headers=NO_STORE)
    return RedirectResponse(f"/learnings/{learning.id}?saved=updated", status_code=303)


def learning_delete(request):
    learning = _editable(request)
    rules.delete_learning(reach_for(request), learning)
    return RedirectResponse("/learnings?deleted=1", status_code=303)


def comment_add(request):
    learning = load_learning(request)
    reach = reach_for(request)
    if not may_comment(reach, learning):
        raise HTTPException(404)
    values = form_values(request, ("comment",))
    try:
        rules.add_comment(reach, learning, values)
    except RuleViolation as exc:
        return render(request, "knowledge/learning.html",
                      _learning_context(request, learning, exc.by_field(), values), status_code=422, headers=NO_STORE)
    return RedirectResponse(f"/learnings/{learning.id}?saved=comment#comments", status_code=303)


def comment_delete(request):
    learning = load_learning(request)
    reach = reach_for(request)
    comment = Comment.get_or_none(Comment.id == request.path_params["knowledge_comment_id"],
                                  Comment.learning == learning.id)
    if comment is None or not may_comment(reach, learning) or not rules.may_delete_comment(reach, learning, comment):
        raise HTTPException(404)
    rules.delete_comment(reach, learning, comment)
    return RedirectResponse(f"/learnings/{learning.id}?saved=comment-deleted#comments", status_code=303)


# --- methods -------------------------------------------------------------------------------------

def _method_form(request, learning: Learning, method: Method | None, values: dict, errors: dict, status: int = 200):
    return render(request, "knowledge/method_form.html", {
        "learning": learning, "method": method, "values": values, "errors": errors,
        "visibilities": VISIBILITIES, **_labels(_platform(request))}, status_code=status, headers=NO_STORE)


def learning_promote(request):
    learning = load_learning(request)
    actor = request.state.actor
    if not authz.can(actor, PROMOTE, learning):
        raise HTTPException(404)
    existing = _joined(Method).where(Method.learning == learning.id).first()
    if existing is not None:  # made a method already: the method's page (a form posted again changes nothing)
        return _method_page(request, existing, learning)
    if request.method == "GET":
        return _method_form(request, learning, None, rules.method_defaults(learning), {})
    values = form_values(request, rules.METHOD_FIELDS)
    try:
        method = rules.promote(reach_for(request), learning, values)
    except RuleViolation as exc:
        return _method_form(request, learning, None, values, exc.by_field(), 422)
    return RedirectResponse(f"/methods/{method.id}?saved=created", status_code=303)


def load_method(request) -> Method:
    method = _joined(Method).where(Method.id == request.path_params["knowledge_method_id"],
                                   readable(Method, reach_for(request))).first()
    if method is None:
        raise HTTPException(404)
    return method


def method_detail(request):
    method = load_method(request)
    learning = Learning.select().where(Learning.id == method.learning_id,
                                       readable(Learning, reach_for(request))).first()
    return _method_page(request, method, learning)


def _method_page(request, method: Method, learning: Learning | None):
    actor = request.state.actor
    return render(request, "knowledge/method.html", {
        "method": method, "learning": learning,
        "may_edit": actor.is_authenticated and authz.can(actor, PROMOTE) and authz.can(actor, PROMOTE, method),
        **_labels(_platform(request))}, headers=NO_STORE if method.visibility != "public" else None)


def method_edit(request):
    method = load_method(request)
    if not authz.can(request.state.actor, PROMOTE, method):
        raise HTTPException(404)
    learning = Learning.get_by_id(method.learning_id)
    if request.method == "GET":
        values = {field: getattr(method, field) for field in rules.METHOD_FIELDS}
        return _method_form(request, learning, method, values, {})
    values = form_values(request, rules.METHOD_FIELDS)
    try:
        rules.update_method(reach_for(request), method, values)
    except RuleViolation as exc:
        return _method_form(request, learning, method, values, exc.by_field(), 422)
    return RedirectResponse(f"/methods/{method.id}?saved=updated", status_code=303)


def routes() -> list:
    learning = "/learnings/{knowledge_learning_id:id}"
    return [
        page("/learnings", learning_list, name="knowledge_learnings"),
        page("/learnings/new", learning_new, name="knowledge_learning_new", methods=("GET", "POST"), permission=WRITE),
        page(learning, learning_detail, name="knowledge_learning"),
        page(learning + "/edit", learning_edit, name="knowledge_learning_edit", methods=("GET", "POST"),
             permission=WRITE),
        page(learning + "/delete", learning_delete, name="knowledge_learning_delete", methods=("POST",),
             permission=WRITE),
        page(learning + "/comments", comment_add, name="knowledge_comment_add", methods=("POST",), permission=COMMENT),
        page(learning + "/comments/{knowledge_comment_id:id}/delete", comment_delete, name="knowledge_comment_delete",
             methods=("POST",), permission=COMMENT),
        page(learning + "/promote", learning_promote, name="knowledge_learning_promote", methods=("GET", "POST"),
             permission=PROMOTE),
        page("/methods", method_list, name="knowledge_methods"),
        page("/methods/{knowledge_method_id:id}", method_detail, name="knowledge_method"),
        page("/methods/{knowledge_method_id:id}/edit", method_edit, name="knowledge_method_edit",
             methods=("GET", "POST"), permission=PROMOTE),
    ]


__all__ = ["routes", "READ"]
