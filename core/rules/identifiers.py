"""Danish identifiers: CVR numbers (python-stdnum's modulus-11 check) and municipality codes."""
from __future__ import annotations

import re

from stdnum.dk import cvr as stdnum_cvr
from stdnum.exceptions import ValidationError

from core.rules.errors import RuleViolation

_MUNICIPALITY_CODE = re.compile(r"^\d{4}$")


def normalise_cvr(value: str | None, field: str = "cvr") -> str | None:
    """The CVR number as 8 digits, None when blank; a clear message when it is not valid."""
    if value is None or not str(value).strip():
        return None
    try:
        return stdnum_cvr.validate(str(value))
    except ValidationError:
        raise RuleViolation.one(
            field, "'%(value)s' is not a valid CVR number: it must be 8 digits with a correct check digit",
            value=str(value).strip()) from None


def normalise_municipality_code(value: str | None, field: str = "municipality") -> str:
    code = (value or "").strip()
    if code.isdecimal() and len(code) == 3:
        code = "0" + code
    if not _MUNICIPALITY_CODE.match(code):
        raise RuleViolation.one(field, "'%(value)s' is not a municipality code: it must be 4 digits",
                                value=(value or "").strip())
    return code
