"""Writing learnings, comments and methods: every value checked before anything is written, one
transaction per change, the audit log told in the same transaction.

Where a learning may be written is decided by ``core.authz.can(actor, "knowledge.write", row)``
on the row as it would be saved (its municipality, organisation and programme): the same rule
that governs editing it later. The form offers only what passes (``choices``); a forged form
naming anything else is refused field by field, nothing written.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from core import authz, inputs, tenancy
from core.db import database
from core.clock import now
from core.models.audit import record
from core.models.membership import Membership
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.rules.errors import Collector, RuleViolation
from plugins.knowledge import vocabulary
from plugins.knowledge.hookspecs import meetings_for
from plugins.knowledge.models import VISIBILITIES, Comment, Learning, Method
from plugins.knowledge.rendering import MAX_LENGTH
from plugins.knowledge.visibility import Reach

WRITE = "knowledge.write"
PROMOTE = "knowledge.promote"
MAX_CHOICES = 500
LEARNING_FIELDS = ("title", "summary", "body", "visibility", "organisation", "programme", "municipality",
                   "focus_area", "target_group", "method", "meeting")
METHOD_FIELDS = ("title", "method_key", "what", "for_whom", "steps", "what_it_takes", "evidence", "visibility")
SECTIONS = ("what", "for_whom", "steps", "what_it_takes", "evidence")


@dataclasses.dataclass
class Choices:
    """What the learning form offers this person."""

    organisations: list[Organisation]
    programmes: list[Programme]
    municipalities: list[Municipality]
    meetings: list


def choices(platform, reach: Reach) -> Choices:
    """Organisations, programmes and municipalities the actor may write a learning for, in a
    fixed number of queries: their own organisations and the members of programmes they
    govern; programmes they govern or take part in; municipalities they govern."""
    actor = reach.actor
    governed_programmes = tenancy.scoped(Programme.select(Programme.id), Programme, actor, WRITE)
    programmes = list(Programme.select().where(
        Programme.deleted_at.is_null(),
        Programme.id.in_(governed_programmes) | Programme.id.in_(sorted(reach.programme_ids) or [0]))
        .order_by(Programme.name).limit(MAX_CHOICES))
    members = Membership.select(Membership.organisation).where(Membership.programme.in_(governed_programmes),
                                                               Membership.deleted_at.is_null())
    own = tenancy.scoped(Organisation.select(Organisation.id), Organisation, actor, WRITE)
    organisations = list(Organisation.select().where(
        Organisation.deleted_at.is_null(), Organisation.id.in_(own) | Organisation.id.in_(members))
        .order_by(Organisation.name).limit(MAX_CHOICES))
    municipalities = list(tenancy.scoped(Municipality.select(), Municipality, actor, WRITE)
                          .order_by(Municipality.name).limit(MAX_CHOICES))
    meetings = meetings_for(platform, actor, [p.id for p in programmes])
    return Choices(organisations, programmes, municipalities, meetings)


def _text(values: dict, field: str, problems: Collector, limit: int) -> str:
    """The field's text, trimmed; too long is a problem. (Whether it may be empty is the caller's
    check, with its message written out there, so Babel and the rule-message test find it.)"""
    text = str(values.get(field) or "").replace("\r\n", "\n").strip()
    if len(text) > limit:
        problems.add(field, "Write at most %(max)s characters (you wrote %(count)s)", max=limit, count=len(text))
    return text[:limit]


def _pick(values: dict, field: str, rows: list) -> tuple[Any, bool]:
    """The row the field names among those offered, and whether the field named one not offered."""
    raw = str(values.get(field) or "").strip()
    if not raw:
        return None, False
    wanted = inputs.parse_id(raw)
    found = next((row for row in rows if row.id == wanted), None) if wanted is not None else None
    return found, found is None


def _learning_values(platform, reach: Reach, values: dict, offered: Choices) -> tuple[dict, Collector]:
    problems = Collector()
    cleaned: dict[str, Any] = {
        "title": _text(values, "title", problems, 200),
        "summary": _text(values, "summary", problems, 500),
        "body": _text(values, "body", problems, MAX_LENGTH),
    }
    if not cleaned["title"]:
        problems.add("title", "Give the learning a title")
    if not cleaned["summary"]:
        problems.add("summary", "Say in a sentence or two what you learned")
    visibility = str(values.get("visibility") or "")
    if visibility not in VISIBILITIES:
        problems.add("visibility", "Choose who may read the learning")
    cleaned["visibility"] = visibility
    organisation, wrong = _pick(values, "organisation", offered.organisations)
    if wrong:
        problems.add("organisation", "Choose an organisation you work for or with")
    programme, wrong = _pick(values, "programme", offered.programmes)
    if wrong:
        problems.add("programme", "Choose a programme you work in")
    code = str(values.get("municipality") or "").strip()
    municipality = None
    if code:
        municipality = next((m for m in offered.municipalities if m.code == code), None)
        if municipality is None:
            problems.add("municipality", "Choose a municipality you work for")
    municipality_id = (municipality.id if municipality else None) or (programme.municipality_id if programme else None) \
        or (organisation.municipality_id if organisation else None)
    if municipality_id is None and len(offered.municipalities) == 1:
        municipality_id = offered.municipalities[0].id
    if programme is not None and organisation is None and municipality is None:
        municipality_id = programme.municipality_id
    cleaned.update(organisation=organisation.id if organisation else None,
                   programme=programme.id if programme else None, municipality=municipality_id)
    focus_area = str(values.get("focus_area") or "").strip()
    if focus_area:
        if vocabulary.focus_area_title(platform.programme_types, focus_area) is None:
            problems.add("focus_area", "Choose a focus area from the list")
        elif programme is not None and vocabulary.focus_area_type(focus_area) not in ("", programme.programme_type):
            problems.add("focus_area", "That focus area belongs to another kind of programme: choose one of "
                                       "the programme's own or a general theme")
    cleaned["focus_area"] = focus_area[:120]
    target_group = str(values.get("target_group") or "").strip()
    if target_group and target_group not in platform.target_groups:
        problems.add("target_group", "Choose a target group from the list")
    cleaned["target_group"] = target_group[:40]
    method = str(values.get("method") or "").strip()
    if method and method not in vocabulary.METHODS:
        problems.add("method", "Choose a method from the list")
    cleaned["method"] = method[:40]
    meeting_ref = str(values.get("meeting") or "").strip()
    cleaned.update(meeting_ref="", meeting_label="", meeting_url="")
    if meeting_ref:
        meeting = next((m for m in offered.meetings if m.ref == meeting_ref), None)
        if meeting is None:
            problems.add("meeting", "Choose a meeting from the list")
        else:
            cleaned.update(meeting_ref=meeting.ref[:100], meeting_label=str(meeting.label)[:200],
                           meeting_url=meeting.url[:300] if meeting.url.startswith("/") else "")
    return cleaned, problems


def _scope_text(row) -> str:
    if row.municipality_id is not None:
        return f"municipality:{row.municipality_id}"
    if row.organisation_id is not None:
        return f"organisation:{row.organisation_id}"
    return ""


def _audit_values(row, fields) -> dict:
    return {field: getattr(row, field + "_id", None) if field in ("organisation", "programme", "municipality")
            else getattr(row, field) for field in fields}


AUDITED = ("title", "summary", "visibility", "organisation", "programme", "municipality", "focus_area",
           "target_group", "method", "meeting_ref")


def save_learning(platform, reach: Reach, values: dict, learning: Learning | None = None) -> Learning:
    """Create a learning (``learning`` None) or change one; ``RuleViolation`` when a value is
    wrong or the result would lie outside where the person may write."""
    actor = reach.actor
    offered = choices(platform, reach)
    if learning is not None:
        # what the learning is already linked to stays allowed for whoever may edit it
        from plugins.knowledge.hookspecs import Meeting
        offered = Choices(
            offered.organisations + ([learning.organisation] if learning.organisation_id else []),
            offered.programmes + ([learning.programme] if learning.programme_id else []),
            offered.municipalities + ([learning.municipality] if learning.municipality_id else []),
            offered.meetings + ([Meeting(learning.meeting_ref, learning.meeting_label, learning.meeting_url)]
                                if learning.meeting_ref else []))
    cleaned, problems = _learning_values(platform, reach, values, offered)
    if cleaned["municipality"] is None and cleaned["organisation"] is None and cleaned["programme"] is None \
            and not any(p.field in ("organisation", "programme", "municipality") for p in problems.problems):
        problems.add("organisation", "Say whose learning it is: choose an organisation, a programme or a "
                                     "municipality")
    problems.raise_if_any()
    with database.atomic():
        before = _audit_values(learning, AUDITED) if learning is not None else None
        row = learning or Learning(author=actor.account.id, author_name=(actor.account.name or "")[:200])
        row.title, row.summary, row.body = cleaned["title"], cleaned["summary"], cleaned["body"]
        row.visibility = cleaned["visibility"]
        row.organisation, row.programme, row.municipality = (cleaned["organisation"], cleaned["programme"],
                                                             cleaned["municipality"])
        row.focus_area, row.target_group, row.method = cleaned["focus_area"], cleaned["target_group"], cleaned["method"]
        row.meeting_ref, row.meeting_label, row.meeting_url = (cleaned["meeting_ref"], cleaned["meeting_label"],
                                                               cleaned["meeting_url"])
        row.updated_at = now()
        if not authz.can(actor, WRITE, row):
            raise RuleViolation.one("organisation", "You may not write a learning there: choose an organisation "
                                                    "or programme you work for")
        row.save()
        record(actor.label, "knowledge.learning.update" if learning is not None else "knowledge.learning.create",
               row, _scope_text(row), before=before, after=_audit_values(row, AUDITED))
    return row


def delete_learning(reach: Reach, learning: Learning) -> None:
    """A tombstone (``deleted_at``): its page is gone, and the feeds tell harvesters to drop it."""
    with database.atomic():
        learning.soft_delete()
        record(reach.actor.label, "knowledge.learning.delete", learning, _scope_text(learning),
               before={"title": learning.title, "visibility": learning.visibility})


def add_comment(reach: Reach, learning: Learning, values: dict) -> Comment:
    problems = Collector()
    body = _text(values, "comment", problems, 2000)
    if not body:
        problems.add("comment", "Write your comment")
    problems.raise_if_any()
    account = reach.actor.account
    with database.atomic():
        comment = Comment.create(learning=learning.id, author=account.id, author_name=(account.name or "")[:200],
                                 body=body)
        record(reach.actor.label, "knowledge.comment.create", comment, _scope_text(learning),
               after={"learning": learning.id, "length": len(body)})
    return comment


def may_delete_comment(reach: Reach, learning: Learning, comment: Comment) -> bool:
    """The comment's author, or someone who governs the learning (moderation)."""
    if not reach.authenticated:
        return False
    return comment.author_id == reach.account_id or authz.can(reach.actor, WRITE, learning)


def delete_comment(reach: Reach, learning: Learning, comment: Comment) -> None:
    with database.atomic():
        Comment.delete().where(Comment.id == comment.id).execute()
        record(reach.actor.label, "knowledge.comment.delete", comment, _scope_text(learning),
               before={"learning": learning.id, "by_author": comment.author_id == reach.account_id})


def _method_values(values: dict) -> tuple[dict, Collector]:
    problems = Collector()
    cleaned = {"title": _text(values, "title", problems, 200)}
    if not cleaned["title"]:
        problems.add("title", "Give the method a name")
    key = str(values.get("method_key") or "").strip()
    if key not in vocabulary.METHODS:
        problems.add("method_key", "Choose what kind of method it is")
    cleaned["method_key"] = key
    cleaned["what"] = _text(values, "what", problems, 10_000)
    if not cleaned["what"]:
        problems.add("what", "Say what the method is")
    cleaned["for_whom"] = _text(values, "for_whom", problems, 10_000)
    cleaned["steps"] = _text(values, "steps", problems, 10_000)
    if not cleaned["steps"]:
        problems.add("steps", "Write the steps")
    cleaned["what_it_takes"] = _text(values, "what_it_takes", problems, 10_000)
    cleaned["evidence"] = _text(values, "evidence", problems, 10_000)
    visibility = str(values.get("visibility") or "")
    if visibility not in VISIBILITIES:
        problems.add("visibility", "Choose who may read the method")
    cleaned["visibility"] = visibility
    return cleaned, problems


def promote(reach: Reach, learning: Learning, values: dict) -> Method:
    """Make a learning a method of the library (once per learning)."""
    cleaned, problems = _method_values(values)
    if Method.select().where(Method.learning == learning.id).exists():
        problems.add("title", "This learning is already a method in the library")
    problems.raise_if_any()
    actor = reach.actor
    with database.atomic():
        method = Method(learning=learning.id, municipality=learning.municipality_id,
                        organisation=learning.organisation_id, programme=learning.programme_id,
                        focus_area=learning.focus_area, target_group=learning.target_group,
                        author=actor.account.id, author_name=(actor.account.name or "")[:200], **cleaned)
        method.save()
        record(actor.label, "knowledge.method.create", method, _scope_text(method),
               after={"learning": learning.id, "title": method.title, "method_key": method.method_key,
                      "visibility": method.visibility})
    return method


def update_method(reach: Reach, method: Method, values: dict) -> Method:
    cleaned, problems = _method_values(values)
    problems.raise_if_any()
    with database.atomic():
        before = {"title": method.title, "method_key": method.method_key, "visibility": method.visibility}
        for field, value in cleaned.items():
            setattr(method, field, value)
        method.updated_at = now()
        method.save()
        record(reach.actor.label, "knowledge.method.update", method, _scope_text(method), before=before,
               after={"title": method.title, "method_key": method.method_key, "visibility": method.visibility})
    return method


def method_defaults(learning: Learning) -> dict[str, str]:
    """The promotion form, filled from the learning."""
    return {"title": learning.title, "method_key": learning.method or "", "what": learning.summary,
            "for_whom": "", "steps": learning.body, "what_it_takes": "", "evidence": "",
            "visibility": learning.visibility}
