"""Surveys of a programme's associations: the survey and its questions, the invitations (who
was asked, and whether they answered) and the responses (what was answered) — kept apart.

In an anonymous survey nothing links a response to an invitation: the response has no
organisation, no timestamp and no running number (its key is random; on SQLite its table has
no rowid either, so even the storage order is the random key's), and the invitation records
only *that* its organisation answered, not when. The survey knows who answered, never what.
In a named survey (``anonymous`` off) the response names its organisation.

Question keys (``key``) stay the same from year to year, so a question of the 2022 survey and
the same question of the 2023 survey are compared by key (``results.compare``).
"""
from __future__ import annotations

import json
import secrets

from peewee import (BooleanField, CharField, CompositeKey, DateField, DateTimeField, ForeignKeyField, IntegerField,
                    TextField)

from core import clock
from core.db import BaseModel
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.scope import Via

STATUSES = ("draft", "open", "closed")



def random_key() -> str:
    return secrets.token_hex(16)


class Survey(BaseModel):
    """One year's survey of a series (``series``: the yearly survey's stable key)."""

    programme = ForeignKeyField(Programme, on_delete="CASCADE")
    series = CharField(max_length=60)
    year = IntegerField()
    title = CharField(max_length=200)
    introduction = TextField(default="")
    anonymous = BooleanField(default=True)
    status = CharField(max_length=10, default="draft")
    opened_on = DateField(null=True)
    closes_on = DateField(null=True)
    closed_on = DateField(null=True)
    created_at = DateTimeField(default=clock.now)

    scope_rule = Via("programme")

    class Meta:
        table_name = "survey"
        indexes = ((("programme", "series", "year"), True),)


class SurveyQuestion(BaseModel):
    """A question. ``options`` and ``rows`` are JSON lists of ``[key, label]`` pairs (choices;
    a matrix's rows); a scale runs from ``scale_min`` to ``scale_max``."""

    survey = ForeignKeyField(Survey, backref="questions", on_delete="CASCADE")
    key = CharField(max_length=40)
    position = IntegerField(default=0)
    kind = CharField(max_length=20)
    text = CharField(max_length=500)
    help = TextField(default="")
    options = TextField(default="[]")
    rows = TextField(default="[]")
    scale_min = IntegerField(null=True)
    scale_max = IntegerField(null=True)
    scale_low = CharField(max_length=100, default="")
    scale_high = CharField(max_length=100, default="")
    focus_area = IntegerField(null=True)
    required = BooleanField(default=False)

    scope_rule = Via("survey")

    class Meta:
        table_name = "survey_question"
        indexes = ((("survey", "key"), True),)

    @property
    def option_pairs(self) -> list[tuple[str, str]]:
        return [tuple(pair) for pair in json.loads(self.options or "[]")]

    @property
    def row_pairs(self) -> list[tuple[str, str]]:
        return [tuple(pair) for pair in json.loads(self.rows or "[]")]


class SurveyInvitation(BaseModel):
    """An organisation asked to answer: whether it answered, never when nor what."""

    survey = ForeignKeyField(Survey, backref="invitations", on_delete="CASCADE")
    organisation = ForeignKeyField(Organisation, on_delete="CASCADE")
    invited_on = DateField()
    answered = BooleanField(default=False)

    scope_rule = Via("survey", organisation="organisation")

    class Meta:
        table_name = "survey_invitation"
        indexes = ((("survey", "organisation"), True),)


class SurveyResponse(BaseModel):
    """One response: a random key, its survey, and (only in a named survey) its organisation."""

    id = CharField(max_length=32, primary_key=True, default=random_key)
    survey = ForeignKeyField(Survey, backref="responses", on_delete="CASCADE")
    organisation = ForeignKeyField(Organisation, null=True, on_delete="CASCADE")

    scope_rule = Via("survey")

    class Meta:
        table_name = "survey_response"


class SurveyAnswer(BaseModel):
    """One answer of a response to a question: ``item`` is the chosen option of a multiple
    choice (one row each) or a matrix's row; ``choice`` an option key, ``number`` a scale or
    number answer, ``text`` a free text."""

    response = ForeignKeyField(SurveyResponse, backref="answers", on_delete="CASCADE")
    question = ForeignKeyField(SurveyQuestion, on_delete="CASCADE")
    item = CharField(max_length=40, default="")
    choice = CharField(max_length=40, default="")
    number = IntegerField(null=True)
    text = TextField(default="")

    scope_rule = Via("response")

    class Meta:
        table_name = "survey_answer"
        primary_key = CompositeKey("response", "question", "item")


MODELS = [Survey, SurveyQuestion, SurveyInvitation, SurveyResponse, SurveyAnswer]
