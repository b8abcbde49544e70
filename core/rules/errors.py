"""A rule said no: one or more problems, each tied to a form field, in the reader's language."""
from __future__ import annotations

import dataclasses

from core.i18n import Message, PluralMessage


@dataclasses.dataclass(frozen=True)
class Problem:
    field: str
    message: Message

    def __str__(self) -> str:
        return str(self.message)


class RuleViolation(Exception):
    """Raised before anything is written (or inside the transaction, which then rolls back)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message.msgid for p in problems))
        self.problems = problems

    @classmethod
    def one(cls, field: str, msgid: str, **params) -> "RuleViolation":
        return cls([Problem(field, Message(msgid, **params))])

    def by_field(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for problem in self.problems:
            grouped.setdefault(problem.field, []).append(str(problem.message))
        return grouped

    def messages(self) -> list[str]:
        return [str(problem.message) for problem in self.problems]


class Collector:
    """Gathers problems from several checks so a form shows them all at once."""

    def __init__(self):
        self.problems: list[Problem] = []

    def add(self, field: str, msgid: str, **params) -> None:
        self.problems.append(Problem(field, Message(msgid, **params)))

    def add_plural(self, field: str, singular: str, plural: str, n: int, **params) -> None:
        """A problem whose words depend on a number (``%(num)s``): the reader's plural forms."""
        self.problems.append(Problem(field, PluralMessage(singular, plural, n, **params)))

    def raise_if_any(self) -> None:
        if self.problems:
            raise RuleViolation(self.problems)
