"""The knowledge plugin's API operations (``/api/v1/knowledge/...``, in ``/api/openapi.json``):
read the learnings and methods you may read (a public one without a token), and write a
learning where you may write one. The same rules as the pages: ``visibility.readable`` narrows
every read, ``rules.save_learning`` checks every write (422 with a message per field)."""
from __future__ import annotations

from core.api.base import (BOOL, ID, INT, PAGINATION, STR, Param, list_of, not_found, nullable, obj, operation,
                           page_of)
from plugins.knowledge import rules, search, vocabulary
from plugins.knowledge.models import VISIBILITIES, Learning, Method
from plugins.knowledge.visibility import readable, reach_of

TAG = "knowledge"
LEARNING = obj({"id": INT, "title": STR, "summary": STR, "body": STR, "visibility": STR,
                "organisation_id": nullable(INT), "programme_id": nullable(INT), "municipality_id": nullable(INT),
                "focus_area": STR, "target_group": STR, "method": STR, "illustrative": BOOL, "created_at": STR,
                "updated_at": STR})
METHOD = obj({"id": INT, "learning_id": INT, "title": STR, "method_key": STR, "what": STR, "for_whom": STR,
              "steps": STR, "what_it_takes": STR, "evidence": STR, "visibility": STR,
              "municipality_id": nullable(INT), "programme_id": nullable(INT)})
SEARCH = (Param("q", kind="str", description="Words to search for (each as a prefix, Danish letters folded)",
                max_length=200),
          Param("method", kind="enum", description="Only this kind of method", choices=tuple(vocabulary.METHODS)))
WRITE_BODY = {
    "type": "object", "additionalProperties": False, "required": ["title", "summary", "visibility"],
    "properties": {
        "title": {"type": "string", "minLength": 1, "maxLength": 200},
        "summary": {"type": "string", "minLength": 1, "maxLength": 500},
        "body": {"type": "string", "maxLength": 20_000},
        "visibility": {"type": "string", "enum": list(VISIBILITIES)},
        "organisation_id": {"type": ["integer", "null"], "minimum": 1, "maximum": 2**53 - 1},
        "programme_id": {"type": ["integer", "null"], "minimum": 1, "maximum": 2**53 - 1},
        "municipality_code": {"type": "string", "maxLength": 4},
        "focus_area": {"type": "string", "maxLength": 120},
        "target_group": {"type": "string", "maxLength": 40},
        "method": {"type": "string", "maxLength": 40},
    }}


def learning_json(row: Learning) -> dict:
    return {"id": row.id, "title": row.title, "summary": row.summary, "body": row.body, "visibility": row.visibility,
            "organisation_id": row.organisation_id, "programme_id": row.programme_id,
            "municipality_id": row.municipality_id, "focus_area": row.focus_area, "target_group": row.target_group,
            "method": row.method, "illustrative": row.illustrative, "created_at": row.created_at.isoformat(),
            "updated_at": row.updated_at.isoformat()}


def method_json(row: Method) -> dict:
    return {"id": row.id, "learning_id": row.learning_id, "title": row.title, "method_key": row.method_key,
            "what": row.what, "for_whom": row.for_whom, "steps": row.steps, "what_it_takes": row.what_it_takes,
            "evidence": row.evidence, "visibility": row.visibility, "municipality_id": row.municipality_id,
            "programme_id": row.programme_id}


def _narrowed(model, call, method_field):
    query = model.select().where(readable(model, reach_of(call.actor)))
    condition = search.match(model, call.params.get("q") or "")
    if condition is not None:
        query = query.where(condition)
    if call.params.get("method"):
        query = query.where(method_field == call.params["method"])
    return query


def knowledge_list_learnings(call):
    return page_of(call, _narrowed(Learning, call, Learning.method), Learning.id, learning_json)


def knowledge_get_learning(call):
    row = Learning.select().where(Learning.id == call.params["learning_id"],
                                  readable(Learning, reach_of(call.actor))).first()
    if row is None:
        raise not_found("learning")
    return learning_json(row)


def knowledge_write_learning(call):
    body = call.body
    values = {"title": body.get("title", ""), "summary": body.get("summary", ""), "body": body.get("body", ""),
              "visibility": body.get("visibility", ""), "organisation": body.get("organisation_id") or "",
              "programme": body.get("programme_id") or "", "municipality": body.get("municipality_code", ""),
              "focus_area": body.get("focus_area", ""), "target_group": body.get("target_group", ""),
              "method": body.get("method", "")}
    row = rules.save_learning(call.platform, reach_of(call.actor), values)
    return 201, learning_json(row)


def knowledge_list_methods(call):
    return page_of(call, _narrowed(Method, call, Method.method_key), Method.id, method_json)


def operations() -> list:
    return [
        operation("GET", "/api/v1/knowledge/learnings", knowledge_list_learnings, permission="public", tag=TAG,
                  summary="The learnings you may read (public ones without a token)", params=(*PAGINATION, *SEARCH),
                  response=list_of(LEARNING)),
        operation("GET", "/api/v1/knowledge/learnings/{learning_id}", knowledge_get_learning, permission="public",
                  tag=TAG, summary="One learning you may read", params=(ID("learning_id", "learning"),),
                  response=LEARNING),
        operation("POST", "/api/v1/knowledge/learnings", knowledge_write_learning, permission="knowledge.write",
                  tag=TAG, summary="Write a learning for an organisation, programme or municipality you work for",
                  body=WRITE_BODY, response=LEARNING, status=201, extra_statuses=(422,)),
        operation("GET", "/api/v1/knowledge/methods", knowledge_list_methods, permission="public", tag=TAG,
                  summary="The methods of the library you may read", params=(*PAGINATION, *SEARCH),
                  response=list_of(METHOD)),
    ]
