"""Numbers and dates that arrive as text (a path, a query string, a form, the command line),
bounded in one place.

Why one place: an id of 2**63 in a path, or a start date in year 9999, used to travel as far as
the database (an integer it cannot hold) or date arithmetic (an agreement ending in year
10003) and answer 500. Everything read from outside goes through these functions instead, so
anything out of range is refused at the door with a message in the reader's language:

* ``IdConvertor`` (registered as ``{name:id}`` for routes by ``core.web.routing``): a path id
  of 1 to 18 digits; anything else does not match the route (Starlette answers 404).
* ``parse_id``: the same rule for ids in forms and query strings (``None`` when out of range).
* ``parse_int``: a whole number within bounds the caller gives, ASCII digits only (Python's
  ``int`` also takes ``'١٢'``, ``'1_000'`` and ``' 12 '``).
* ``parse_date``: dates as Danes type them — ``1.12.2026``, ``01.12.2026``, ``1/12/2026``,
  ``1-12-2026`` — and ISO ``2026-12-01``; years from ``MIN_YEAR`` to ``MAX_YEAR``. The API
  passes ``iso_only=True``: it keeps ISO dates, which is what its OpenAPI document declares.
* ``parse_amount`` (kroner to øre) lives with the money rules, ``core.rules.money``, and is
  re-exported here so a view finds every parser in this module.
"""
from __future__ import annotations

import datetime
import re
from typing import Any

from starlette.convertors import Convertor

from core.rules.errors import Collector, RuleViolation

MAX_ID = 10**18 - 1  # 18 digits: inside a signed 64-bit integer (2**63 - 1) on SQLite and PostgreSQL
MIN_YEAR = 1900
MAX_YEAR = 2200
MAX_INT = 2**31 - 1  # a form's whole numbers (hours, scores, days) never come near

_ID = re.compile(r"[1-9][0-9]{0,17}")
_INT = re.compile(r"[+-]?[0-9]{1,18}")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DANISH_DATE = re.compile(r"([0-9]{1,2})\s*([./-])\s*([0-9]{1,2})\s*\2\s*([0-9]{4})")


class IdConvertor(Convertor):
    """``{name:id}`` in a route: a positive id that fits a 64-bit column, else no match (404)."""

    regex = _ID.pattern

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        value = int(value)
        if not 0 < value <= MAX_ID:
            raise ValueError(f"an id is from 1 to {MAX_ID}")
        return str(value)


def parse_id(value: Any) -> int | None:
    """An id from a form or a query string, or None when it is not one (not digits, out of range)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else None
    text = str(value if value is not None else "").strip()
    return int(text) if _ID.fullmatch(text) else None


def parse_int(value: Any, field: str, problems: Collector | None = None, *, minimum: int = 0,
              maximum: int = MAX_INT, required: bool = True) -> int | None:
    """A whole number from ``minimum`` to ``maximum``; a problem for ``field`` when it is not one.

    Without ``problems`` a refusal raises ``RuleViolation`` at once."""
    own = problems is None
    problems = Collector() if own else problems
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = str(value if value is not None else "").strip()
        if not text:
            if required:
                problems.add(field, "Enter a whole number")
        elif not _INT.fullmatch(text):
            problems.add(field, "'%(value)s' is not a whole number", value=text[:40])
        else:
            number = int(text)
    if number is not None and not minimum <= number <= maximum:
        problems.add(field, "Give a number from %(min)s to %(max)s", min=minimum, max=maximum)
        number = None
    if own:
        problems.raise_if_any()
    return number


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def parse_date(value: Any, field: str, problems: Collector | None = None, required: bool = True, *,
               iso_only: bool = False) -> datetime.date | None:
    """A date as typed (see the module's docstring), between the years ``MIN_YEAR`` and ``MAX_YEAR``.

    Without ``problems`` a refusal raises ``RuleViolation`` at once."""
    own = problems is None
    problems = Collector() if own else problems
    result: datetime.date | None = None
    if isinstance(value, datetime.datetime):
        result = value.date()
    elif isinstance(value, datetime.date):
        result = value
    else:
        text = str(value if value is not None else "").strip()
        if not text:
            if required:
                problems.add(field, "Enter a date")
        else:
            iso = _ISO_DATE.fullmatch(text)
            danish = None if iso_only else _DANISH_DATE.fullmatch(text)
            if iso and (not iso_only or re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text)):
                result = _date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
            elif danish:
                result = _date(int(danish.group(4)), int(danish.group(3)), int(danish.group(1)))
            if result is None:
                if iso_only:
                    problems.add(field, "'%(value)s' is not a date (YYYY-MM-DD)", value=text[:40])
                else:
                    problems.add(field, "'%(value)s' is not a date: write day, month and year, e.g. 1.12.2026",
                                 value=text[:40])
    if result is not None and not MIN_YEAR <= result.year <= MAX_YEAR:
        problems.add(field, "Give a date in the years %(min)s to %(max)s", min=MIN_YEAR, max=MAX_YEAR)
        result = None
    if own:
        problems.raise_if_any()
    return result


def parse_amount(text: Any, field: str = "amount") -> int:
    """Kroner as typed -> øre, bounded (``core.rules.money.parse_amount``)."""
    from core.rules.money import parse_amount as money_parse_amount
    return money_parse_amount(text, field)


def parse_year(value: Any, field: str = "year", problems: Collector | None = None,
               required: bool = True) -> int | None:
    """A year from ``MIN_YEAR`` to ``MAX_YEAR`` (budgets, grants)."""
    own = problems is None
    problems = Collector() if own else problems
    text = str(value if value is not None else "").strip()
    year = None
    if not text:
        if required:
            problems.add(field, "Enter a year")
    elif not re.fullmatch(r"[0-9]{4}", text) or not MIN_YEAR <= int(text) <= MAX_YEAR:
        problems.add(field, "'%(value)s' is not a year", value=text[:20])
    else:
        year = int(text)
    if own:
        problems.raise_if_any()
    return year


__all__ = ["IdConvertor", "MAX_ID", "MIN_YEAR", "MAX_YEAR", "parse_id", "parse_int", "parse_date", "parse_amount",
           "parse_year", "RuleViolation"]
