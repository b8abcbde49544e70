"""Opening calls for applications and adding extra questions to them.

A call belongs to a programme whose type a plugin registers; its eligibility criteria are the
type's own (``ProgrammeType.criteria``), so a call only adds dates, words and extra questions.
"""
from __future__ import annotations

import datetime
from typing import Any

from peewee import fn

from core.db import database
from core.models import audit
from core.models.call import Call, CallQuestion
from core.models.programme import Programme
from core.rules.errors import Collector, RuleViolation
from core.rules.registry import parse_date

MAX_QUESTIONS = 20


def programme_type_of(platform, programme: Programme):
    programme_type = platform.programme_types.get(programme.programme_type)
    if programme_type is None:
        raise RuleViolation.one("programme", "The programme's type '%(value)s' is not available: is its plugin enabled?",
                                value=programme.programme_type)
    return programme_type


def _question_texts(questions: Any) -> list[str]:
    if isinstance(questions, str):
        questions = questions.splitlines()
    return [str(q).strip() for q in (questions or []) if str(q).strip()]


def create_call(platform, *, programme: Programme, data: dict[str, Any], actor: str) -> Call:
    """Open a call: a title, the dates it is open (both included) and optional extra
    questions (one per line). Everything is checked first; nothing is written on a problem."""
    programme_type_of(platform, programme)
    problems = Collector()
    title = str(data.get("title") or "").strip()
    if not title:
        problems.add("title", "Give the call a title")
    elif len(title) > 200:
        problems.add("title", "The title can be at most 200 characters")
    opens_on = parse_date(data.get("opens_on"), "opens_on", problems)
    closes_on = parse_date(data.get("closes_on"), "closes_on", problems)
    if opens_on and closes_on and closes_on < opens_on:
        problems.add("closes_on", "The closing date is before the opening date")
    if opens_on and programme.end_date and opens_on > programme.end_date:
        problems.add("opens_on", "The programme ends on %(date)s, before the call would open",
                     date=programme.end_date)
    questions = _question_texts(data.get("questions"))
    if len(questions) > MAX_QUESTIONS:
        problems.add("questions", "At most %(max)s extra questions", max=MAX_QUESTIONS)
    if any(len(q) > 500 for q in questions):
        problems.add("questions", "A question can be at most 500 characters")
    description = str(data.get("description") or "").strip()[:5000]
    problems.raise_if_any()
    with database.atomic():
        call = Call.create(programme=programme.id, title=title, description=description, opens_on=opens_on,
                           closes_on=closes_on, created_by=actor[:200])
        for position, text in enumerate(questions, 1):
            CallQuestion.create(call=call, position=position, text=text)
        audit.record(actor, "call.create", call, scope=f"programme:{programme.id}",
                     after={"title": title, "opens_on": opens_on, "closes_on": closes_on, "questions": questions})
    return call


def add_question(call: Call, *, text: str, required: bool = True, actor: str,
                 today: datetime.date | None = None) -> CallQuestion:
    """An extra question, while nobody has applied yet (answers must match the questions asked)."""
    text = str(text or "").strip()
    problems = Collector()
    if not text:
        problems.add("text", "Write the question")
    elif len(text) > 500:
        problems.add("text", "A question can be at most 500 characters")
    if call.state(today) == "closed":
        problems.add("text", "The call has closed: its questions can no longer change")
    problems.raise_if_any()
    with database.atomic():
        from core.models.application import Application
        if Application.select().where(Application.call == call.id, Application.status != "draft").exists():
            raise RuleViolation.one("text", "Applications have already been submitted to this call: "
                                            "its questions can no longer change")
        count = CallQuestion.select().where(CallQuestion.call == call.id).count()
        if count >= MAX_QUESTIONS:
            raise RuleViolation.one("text", "At most %(max)s extra questions", max=MAX_QUESTIONS)
        position = (CallQuestion.select(fn.MAX(CallQuestion.position)).where(CallQuestion.call == call.id)
                    .scalar() or 0) + 1
        question = CallQuestion.create(call=call.id, position=position, text=text, required=bool(required))
        audit.record(actor, "call.question.add", question, scope=f"programme:{call.programme_id}",
                     after={"call": call.id, "text": text, "required": bool(required)})
    return question
