"""Path and query parameters of an API operation: declared once, documented and parsed from it.

A ``Param`` gives both the OpenAPI schema (``schema()``) and the parsing of the raw text
(``parse()``), so the document cannot promise what the route does not check. Ids are bounded
(``MAX_ID``): beyond it a path's id is simply unknown, and JSON numbers stay exact.
"""
from __future__ import annotations

import dataclasses
import re

from core.i18n import Message

MAX_ID = 2**53 - 1  # ids beyond this are unknown (and JSON numbers stay exact)
MAX_INT = 2**53 - 1


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
