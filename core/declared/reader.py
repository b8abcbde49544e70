"""Reading a declaration field by field: each check names the dotted path of the value it
refuses (``programme_type.criteria.1.min``), so the same problem can point at a line of a
TOML file or at a field of the first-run form."""
from __future__ import annotations

import datetime
from typing import Any

from core.i18n import Localised
from core.rules.errors import Collector

LANGUAGES = ("da", "en")


class Reader:
    """Reads one table field by field, collecting every problem under its dotted path."""

    def __init__(self, problems: Collector):
        self.problems = problems

    def add(self, path: tuple, msgid: str, **params) -> None:
        self.problems.add(".".join(map(str, path)), msgid, **params)

    def table(self, data: Any, path: tuple, known: tuple[str, ...], required: bool = True) -> dict | None:
        if data is None:
            if required:
                self.add(path, "This table is required: [%(table)s]", table=".".join(map(str, path)))
            return None
        if not isinstance(data, dict):
            self.add(path, "Must be a table of fields")
            return None
        for name in data:
            if name not in known:
                self.add((*path, name), "Unknown field %(name)s; the known fields are %(known)s",
                         name=name, known=", ".join(known))
        return data

    def text(self, data: dict, key: str, path: tuple, required: bool = False, limit: int = 200) -> str:
        raw = data.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if required:
                self.add((*path, key), "This field is required")
            return ""
        if not isinstance(raw, str):
            self.add((*path, key), "Must be a text, not %(value)s", value=_shown(raw))
            return ""
        if len(raw.strip()) > limit:
            self.add((*path, key), "Can be at most %(max)s characters", max=str(limit))
        return raw.strip()[:limit]

    def texts(self, data: dict, key: str, path: tuple, required: bool = False, limit: int = 500) -> Localised | None:
        """A text in Danish and English side by side: ``key.da`` and ``key.en``."""
        return self.texts_value(data.get(key), (*path, key), required, limit)

    def texts_value(self, raw: Any, path: tuple, required: bool = False, limit: int = 500) -> Localised | None:
        if raw is None:
            if required:
                for language in LANGUAGES:
                    self.add((*path, language), "This field is required")
            return None
        if not isinstance(raw, dict):
            self.add(path, "Write the text in Danish and in English: %(name)s.da and %(name)s.en",
                     name=str(path[-1]))
            return None
        for language in raw:
            if language not in LANGUAGES:
                self.add((*path, language), "Unknown language %(value)s; write da and en", value=str(language))
        return Localised({language: self.text(raw, language, path, required=True, limit=limit)
                          for language in LANGUAGES})

    def integer(self, data: dict, key: str, path: tuple, low: int, high: int, required: bool = False) -> int | None:
        raw = data.get(key)
        if raw is None:
            if required:
                self.add((*path, key), "This field is required")
            return None
        return self.integer_value(raw, (*path, key), low, high)

    def integer_value(self, raw: Any, path: tuple, low: int, high: int) -> int | None:
        if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
            self.add(path, "Must be a whole number from %(min)s to %(max)s, not %(value)s",
                     min=str(low), max=str(high), value=_shown(raw))
            return None
        return raw

    def boolean(self, data: dict, key: str, path: tuple) -> bool:
        raw = data.get(key, False)
        if not isinstance(raw, bool):
            self.add((*path, key), "Must be true or false, not %(value)s", value=_shown(raw))
            return False
        return raw

    def date(self, data: dict, key: str, path: tuple, required: bool = False) -> datetime.date | None:
        raw = data.get(key)
        if raw is None:
            if required:
                self.add((*path, key), "This field is required")
            return None
        if isinstance(raw, str):
            try:
                raw = datetime.date.fromisoformat(raw.strip())
            except ValueError:
                pass
        if not isinstance(raw, datetime.date) or isinstance(raw, datetime.datetime):
            self.add((*path, key), "Must be a date (YYYY-MM-DD), not %(value)s", value=_shown(raw))
            return None
        return raw

    def choices(self, data: dict, key: str, path: tuple, known, default: tuple = ()) -> tuple[str, ...]:
        raw = data.get(key)
        if raw is None:
            return default
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            self.add((*path, key), "Must be a list of texts, e.g. [\"%(example)s\"]", example=next(iter(known), ""))
            return default
        unknown = [item for item in raw if item not in known]
        if unknown:
            self.add((*path, key), "Unknown: %(value)s; choose from %(known)s", value=", ".join(unknown),
                     known=", ".join(known))
        return tuple(dict.fromkeys(item for item in raw if item in known))

    def pair(self, data: dict, key: str, path: tuple, kind: str) -> tuple | None:
        raw = data.get(key)
        if raw is None:
            return None
        items = None
        if isinstance(raw, list) and len(raw) == 2:
            if kind == "date":
                items = [item if isinstance(item, datetime.date) and not isinstance(item, datetime.datetime)
                         else None for item in raw]
            else:
                items = [item if isinstance(item, int) and not isinstance(item, bool) and 0 <= item <= 120
                         else None for item in raw]
        if items is None or None in items:
            self.add((*path, key), "Must be a list of two %(kind)s: [first, last]",
                     kind={"date": "dates (YYYY-MM-DD)", "age": "ages from 0 to 120"}[kind])
            return None
        if items[0] > items[1]:
            self.add((*path, key), "The first is after the last")
            return None
        return tuple(items)


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text[:60]
