"""Question kinds: what the editor's form says about a question, and what an answer to each kind
may be. One module for both, so the form that writes a question and the form that answers it
can never disagree.

Kinds: single choice, multiple choice, a scale (e.g. 1–5), yes / no / don't know, a whole
number, a free text, and a matrix (one choice per row: "how much success per focus area").
Choices are written one per line, ``key = Label`` or just ``Label`` (the key is made from it);
keys stay put from year to year so answers can be compared by key.
"""
from __future__ import annotations

import json
import re
from typing import Any

from slugify import slugify

from core import inputs
from core.i18n import lazy_gettext as _
from core.rules.errors import Collector

KINDS = ("single", "multiple", "scale", "yes_no", "number", "text", "matrix")
KIND_LABELS = {
    "single": _("Single choice"), "multiple": _("Multiple choice"), "scale": _("Scale"),
    "yes_no": _("Yes, no or don't know"), "number": _("Whole number"), "text": _("Free text"),
    "matrix": _("Matrix (one choice per row)"),
}
YES_NO = (("yes", _("Yes")), ("no", _("No")), ("dont_know", _("Don't know")))
WITH_OPTIONS = ("single", "multiple", "matrix")
CHOICE_KINDS = ("single", "yes_no")      # what a breakdown can group respondents by
KEY = re.compile(r"^[a-z0-9][a-z0-9_]{1,39}$")
OPTION_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
MAX_OPTIONS = 30
MAX_NUMBER = 10_000_000
TEXT_LIMIT = 4000
SCALE_BOUNDS = (0, 10)


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def parse_pairs(text: str, field: str, problems: Collector) -> list[list[str]]:
    """Lines ``key = Label`` (or ``Label``) as ``[key, label]`` pairs: keys unique, labels given."""
    pairs: list[list[str]] = []
    for number, line in enumerate(str(text or "").splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        key, sep, label = line.partition("=")
        if not sep:
            key, label = slugify(line, separator="_")[:40], line
        key, label = key.strip(), label.strip()
        if not OPTION_KEY.match(key):
            problems.add(field, "Line %(line)s: the key '%(value)s' is not lower-case letters, digits, - and _",
                         line=str(number), value=key[:40])
            continue
        if not label or len(label) > 200:
            problems.add(field, "Line %(line)s: write a label of at most 200 characters after the key",
                         line=str(number))
            continue
        if any(existing == key for existing, _label in pairs):
            problems.add(field, "Line %(line)s: the key '%(value)s' is used twice", line=str(number), value=key)
            continue
        pairs.append([key, label])
    if len(pairs) > MAX_OPTIONS:
        problems.add(field, "At most %(max)s lines", max=str(MAX_OPTIONS))
    return pairs


def pairs_text(pairs: list) -> str:
    """``[key, label]`` pairs as the editor writes them."""
    return "\n".join(f"{key} = {label}" for key, label in pairs)


def parse_question(data: dict[str, Any], focus_areas: set[int], problems: Collector) -> dict[str, Any]:
    """The editor's form as a question's fields (problems collected per field)."""
    key = str(data.get("key") or "").strip().lower()
    if not KEY.match(key):
        problems.add("key", "A key is 2 to 40 lower-case letters, digits and _, and stays the same every year")
    kind = str(data.get("kind") or "").strip()
    if kind not in KINDS:
        problems.add("kind", "Choose the kind of question from the list")
    text = str(data.get("text") or "").strip()
    if not text:
        problems.add("text", "Write the question")
    elif len(text) > 500:
        problems.add("text", "Can be at most %(max)s characters", max="500")
    help_text = str(data.get("help") or "").strip()[:2000]
    options = parse_pairs(data.get("options", ""), "options", problems) if kind in WITH_OPTIONS else []
    rows = parse_pairs(data.get("rows", ""), "rows", problems) if kind == "matrix" else []
    if kind in WITH_OPTIONS and len(options) < 2:
        problems.add("options", "Give at least two choices, one per line")
    if kind == "matrix" and not rows:
        problems.add("rows", "Give the matrix's rows, one per line")
    scale_min = scale_max = None
    if kind == "scale":
        scale_min = inputs.parse_int(data.get("scale_min") or "1", "scale_min", problems, minimum=SCALE_BOUNDS[0],
                                     maximum=SCALE_BOUNDS[1])
        scale_max = inputs.parse_int(data.get("scale_max") or "5", "scale_max", problems, minimum=SCALE_BOUNDS[0],
                                     maximum=SCALE_BOUNDS[1])
        if scale_min is not None and scale_max is not None and scale_max <= scale_min:
            problems.add("scale_max", "The scale's top must be above its bottom")
    focus_area = None
    raw_focus = str(data.get("focus_area") or "").strip()
    if raw_focus:
        focus_area = inputs.parse_id(raw_focus)
        if focus_area not in focus_areas:
            problems.add("focus_area", "Choose a focus area from the list")
            focus_area = None
    return {"key": key, "kind": kind, "text": text, "help": help_text, "options": json.dumps(options, ensure_ascii=False),
            "rows": json.dumps(rows, ensure_ascii=False), "scale_min": scale_min, "scale_max": scale_max,
            "scale_low": str(data.get("scale_low") or "").strip()[:100] if kind == "scale" else "",
            "scale_high": str(data.get("scale_high") or "").strip()[:100] if kind == "scale" else "",
            "focus_area": focus_area, "required": str(data.get("required") or "") in ("1", "on", "true", "yes")}


def choices(question) -> list[tuple[str, str]]:
    """The choices of a question (yes/no/don't know in the reader's language)."""
    if question.kind == "yes_no":
        return [(key, str(label)) for key, label in YES_NO]
    if question.kind == "scale":
        return [(str(n), str(n)) for n in range(question.scale_min, question.scale_max + 1)]
    return question.option_pairs


def field_name(question, row: str | None = None) -> str:
    """The form field of a question (``q-<key>``; a matrix row ``q-<key>-<row>``)."""
    return f"q-{question.key}" + (f"-{row}" if row else "")


def parse_answers(question, form, problems: Collector) -> list[dict[str, Any]]:
    """The answer rows (``item``, ``choice``, ``number``, ``text``) a form gives one question;
    ``form`` has ``get`` and ``getlist``. Nothing answered is [] (a problem when required)."""
    name = field_name(question)
    keys = {key for key, _label in question.option_pairs}
    rows: list[dict[str, Any]] = []
    if question.kind in ("single", "yes_no"):
        value = str(form.get(name) or "").strip()
        allowed = {key for key, _label in choices(question)}
        if value and value not in allowed:
            problems.add(name, "Choose one of the answers")
        elif value:
            rows.append({"item": "", "choice": value})
    elif question.kind == "multiple":
        chosen = list(dict.fromkeys(str(value) for value in form.getlist(name)))[:MAX_OPTIONS]
        if any(value not in keys for value in chosen):
            problems.add(name, "Choose among the answers given")
        else:
            rows += [{"item": value, "choice": value} for value in chosen]
    elif question.kind in ("scale", "number"):
        raw = str(form.get(name) or "").strip()
        if raw:
            low, high = ((question.scale_min, question.scale_max) if question.kind == "scale" else (0, MAX_NUMBER))
            number = inputs.parse_int(raw, name, problems, minimum=low, maximum=high)
            if number is not None:
                rows.append({"item": "", "number": number})
    elif question.kind == "text":
        text = str(form.get(name) or "").strip()
        if len(text) > TEXT_LIMIT:
            problems.add(name, "Can be at most %(max)s characters", max=str(TEXT_LIMIT))
        elif text:
            rows.append({"item": "", "text": text})
    elif question.kind == "matrix":
        for row_key, _label in question.row_pairs:
            value = str(form.get(field_name(question, row_key)) or "").strip()
            if value and value not in keys:
                problems.add(field_name(question, row_key), "Choose one of the answers")
            elif value:
                rows.append({"item": row_key, "choice": value})
        if question.required and len(rows) < len(question.row_pairs):
            problems.add(name, "Answer every row of this question")
            return rows
    if question.required and not rows:
        problems.add(name, "Answer this question")
    return rows


class JsonForm:
    """A JSON object of answers (the API's) read like a form: ``{"key": "a"}``, a list for a
    multiple choice, an object ``{row: choice}`` for a matrix, a number for a scale or number."""

    def __init__(self, questions, answers: dict):
        self.values: dict[str, Any] = {}
        by_key = {question.key: question for question in questions}
        for key, value in answers.items():
            question = by_key.get(str(key))
            if question is None:
                continue
            if question.kind == "matrix" and isinstance(value, dict):
                for row, choice in value.items():
                    self.values[field_name(question, str(row))] = choice
            else:
                self.values[field_name(question)] = value

    def get(self, name, default=None):
        value = self.values.get(name, default)
        if isinstance(value, (list, dict)):
            return "?"
        if isinstance(value, bool):
            return "?"
        return value

    def getlist(self, name) -> list:
        value = self.values.get(name)
        if value is None:
            return []
        return [str(item) for item in value] if isinstance(value, list) else [str(value)]


def unknown_keys(questions, answers: dict) -> list[str]:
    keys = {question.key for question in questions}
    return [str(key)[:40] for key in answers if key not in keys]
