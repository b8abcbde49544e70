"""Amounts as people type them: kroner in, integer øre out.

Every amount the platform keeps is integer øre, so nothing is lost to floating point; what a
person types ('30.000', '30000,50', '30 000 kr.') is read here once, in the reader's locale, and
refused with a message naming the field when it is not a positive amount with at most two
decimals. Forms, the API and the CLI all parse through ``parse_amount``.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, parse_decimal

from core.i18n import babel_locale
from core.rules.errors import RuleViolation

MAX_AMOUNT_ORE = 10**13  # 100 billion kroner: beyond any programme, below 64-bit limits
_PLAIN_AMOUNT = re.compile(r"^\d+(?:[.,]\d{1,2})?$")


def parse_amount(text: str | int | None, field: str = "amount") -> int:
    """Kroner as typed by a person ('30.000', '30000,50', '30 000 kr.') -> øre.

    Refuses what is not a positive amount with at most two decimals, naming the field.
    """
    raw = "" if text is None else str(text).strip()
    cleaned = re.sub(r"(?i)\s*(kr\.?|dkk)\s*", "", raw).replace("\u00a0", "").replace(" ", "")
    if not cleaned:
        raise RuleViolation.one(field, "Enter an amount in kroner")
    if cleaned.startswith("-"):
        raise RuleViolation.one(field, "The amount must be positive, not %(value)s", value=raw)
    if not re.fullmatch(r"\+?[0-9.,]+", cleaned):  # no exponents (1e5), underscores or non-ASCII digits
        raise RuleViolation.one(field, "'%(value)s' is not an amount in kroner", value=raw)
    value: Decimal | None = None
    if _PLAIN_AMOUNT.match(cleaned) and cleaned.count(".") + cleaned.count(",") <= 1 \
            and not re.match(r"^\d{1,3}[.,]\d{3}$", cleaned):
        value = Decimal(cleaned.replace(",", "."))
    else:
        try:
            value = parse_decimal(cleaned, locale=babel_locale(), strict=True)
        except (NumberFormatError, InvalidOperation, ValueError):
            value = None
    if value is None or not value.is_finite():
        raise RuleViolation.one(field, "'%(value)s' is not an amount in kroner", value=raw)
    ore = value * 100
    if ore != ore.to_integral_value():
        raise RuleViolation.one(field, "An amount can have at most two decimals (øre): %(value)s", value=raw)
    ore_int = int(ore)
    if ore_int <= 0:
        raise RuleViolation.one(field, "The amount must be positive, not %(value)s", value=raw)
    if ore_int > MAX_AMOUNT_ORE:
        raise RuleViolation.one(field, "The amount %(value)s is too large", value=raw)
    return ore_int
