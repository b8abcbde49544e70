"""TOML as text: where a key stands in a file, and writing simple values back.

``tomllib`` reads TOML into dictionaries but forgets where each value stood, and the standard
library writes no TOML at all. A declared programme type must be refused with the file, the
line and the field, and the first-run page writes one: these two small helpers cover exactly
the TOML those files use (tables, arrays of tables, dotted and inline keys; strings, whole
numbers, booleans, dates and lists of them).
"""
from __future__ import annotations

import datetime
import json
import re

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")
_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _parts(dotted: str) -> tuple[str, ...]:
    parts = re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", dotted)
    return tuple(part[1:-1] if part[:1] in "\"'" else part for part in parts)


def line_of(text: str, path: tuple) -> int | None:
    """The line (from 1) where the value at ``path`` is written — ``("programme_type",
    "criteria", 1, "min")`` for the ``min`` of the second ``[[programme_type.criteria]]`` —
    or the line of the nearest enclosing key or table when the value itself is missing;
    None when nothing of the path is in the text."""
    table: tuple = ()
    counts: dict[tuple, int] = {}
    best_line, best_score = None, (0, False)
    in_multiline = None
    for number, line in enumerate(text.splitlines(), 1):
        if in_multiline:  # inside a multi-line string: no keys here
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        header = _HEADER.match(line)
        if header:
            names = _parts(header.group(2))
            if header.group(1) == "[[":
                counts[names] = counts.get(names, -1) + 1
                table = (*names, counts[names])
            else:
                table = names
            found = table
        else:
            key = _KEY.match(line)
            if not key:
                continue
            found = (*table, *_parts(key.group(1)))
            rest = line[key.end():]
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2 == 1:
                    in_multiline = quote
        score = _closeness(found, path)
        if score > best_score:
            best_line, best_score = number, score
    return best_line


def _closeness(found: tuple, path: tuple) -> tuple[int, bool]:
    """How close a key or table written as ``found`` is to ``path``: the length of their common
    beginning, then whether it encloses the path (its table, or the value itself) rather than
    standing beside it (``name.da`` is near a missing ``name.en``)."""
    common = 0
    for mine, wanted in zip(map(str, found), map(str, path)):
        if mine != wanted:
            break
        common += 1
    return common, common == len(found)


# --- writing ----------------------------------------------------------------------------------

def _key(name: str) -> str:
    return name if _BARE.match(name) else json.dumps(name, ensure_ascii=False)


def value(item) -> str:
    """One value as TOML: JSON's string escapes are valid TOML basic strings."""
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, datetime.date):
        return item.isoformat()
    if isinstance(item, str):
        return json.dumps(item, ensure_ascii=False)
    if isinstance(item, (list, tuple)):
        return "[" + ", ".join(value(element) for element in item) + "]"
    if isinstance(item, dict):
        return "{ " + ", ".join(f"{_key(k)} = {value(v)}" for k, v in item.items()) + " }"
    raise TypeError(f"no TOML for {type(item).__name__}")


def dumps(data: dict, header: str = "") -> str:
    """A document of tables: plain values first, then sub-tables, then arrays of tables."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    _table(lines, (), data)
    return "\n".join(lines).lstrip("\n") + "\n"


def _table(lines: list[str], name: tuple, data: dict) -> None:
    plain = {k: v for k, v in data.items() if not _is_table(v) and not _is_table_array(v)}
    if name and (plain or not data):
        lines.append("")
        lines.append(f"[{'.'.join(map(_key, name))}]")
    for key, item in plain.items():
        lines.append(f"{_key(key)} = {value(item)}")
    for key, item in data.items():
        if _is_table(item):
            _table(lines, (*name, key), item)
    for key, items in data.items():
        if _is_table_array(items):
            for item in items:
                lines.append("")
                lines.append(f"[[{'.'.join(map(_key, (*name, key)))}]]")
                for sub_key, sub in item.items():
                    lines.append(f"{_key(sub_key)} = {value(sub)}")


def _is_table(item) -> bool:
    """A dict written as its own [table] (one holding only texts by language stays inline)."""
    return isinstance(item, dict) and not set(item) <= {"da", "en"}


def _is_table_array(item) -> bool:
    return isinstance(item, list) and bool(item) and all(isinstance(element, dict) and _is_table(element)
                                                         for element in item)
