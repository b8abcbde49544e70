"""The one CSV writer: every CSV the platform hands out (exports, the audit log, the command
line, and plugins' exports) is written here, so two things hold for all of them.

**No cell becomes a formula.** A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``
or ``@`` (or a tab or carriage return before one) as a formula, and organisation names,
payment references, decision reasons and login names are typed by people outside the
municipality: ``=HYPERLINK("http://evil.example", "Klik")`` in a name must arrive as text.
Such text gets a leading apostrophe (OWASP's advice; Excel and LibreOffice then show it as
typed). Numbers, dates and amounts are written by the platform itself and are left alone.

**It opens well in Danish Excel.** The default dialect, ``excel``, is what a double click in
a Danish Excel expects: UTF-8 with a byte-order mark (so æ, ø and å survive), ``;`` between
cells, decimal commas in amounts (kroner with two decimals: ``30000,00``), dates as
``2026-12-01`` and times as ``2026-12-01 10:30:00`` in Danish time, and codes such as statuses as words in
the reader's language (a ``Label``). The ``machine`` dialect is for programs: ``,``, decimal
points, ISO 8601 times and the codes themselves (``paid``). Exports choose it with
``?dialect=machine`` (or ``--dialect machine`` on the command line); the JSON API is the
other machine-friendly form.
"""
from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime
import io
from decimal import Decimal
from typing import Any, Iterable, Iterator

from core import clock, i18n

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
MEDIA_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"


def neutralise(text: str) -> str:
    """Text that a spreadsheet would run as a formula, with a leading apostrophe; else as it is.

    Leading spaces do not hide a formula (some spreadsheets trim them before looking)."""
    return "'" + text if text.lstrip(" ").startswith(FORMULA_START) else text


class Label:
    """A code (a status, a kind) with the words people read for it: the words in ``excel``,
    the code in ``machine``. ``words`` is translated when the cell is written (a lazy message,
    see ``core.labels``)."""

    __slots__ = ("code", "words")

    def __init__(self, code: str, words: Any):
        self.code = code
        self.words = words

    def __str__(self) -> str:
        return str(self.words)

    def __repr__(self) -> str:
        return f"Label({self.code!r})"


@dataclasses.dataclass(frozen=True)
class Dialect:
    name: str
    delimiter: str
    decimal_comma: bool
    words: bool  # Labels as words (True) or codes (False)

    def cell(self, value: Any) -> str:
        """One value as the text of a cell."""
        if value is None:
            return ""
        if isinstance(value, bool):
            if self.words:
                return i18n.gettext("yes") if value else i18n.gettext("no")
            return "true" if value else "false"
        if isinstance(value, Label):
            return neutralise(str(value) if self.words else value.code)
        if isinstance(value, Decimal):
            text = format(value, "f")
            return text.replace(".", ",") if self.decimal_comma else text
        if isinstance(value, float):
            text = repr(value)
            return text.replace(".", ",") if self.decimal_comma else text
        if isinstance(value, int):
            return str(value)
        if isinstance(value, datetime.datetime):  # stored in UTC (naive means UTC)
            if self.words:  # in Danish time, as the pages show times
                return i18n.local_time(value).replace(microsecond=0, tzinfo=None).isoformat(sep=" ")
            return clock.stored(value).replace(microsecond=0).isoformat() + "Z"
        if isinstance(value, datetime.date):
            return value.isoformat()
        return neutralise(str(value))


EXCEL = Dialect("excel", ";", decimal_comma=True, words=True)
MACHINE = Dialect("machine", ",", decimal_comma=False, words=False)
DIALECTS = {dialect.name: dialect for dialect in (EXCEL, MACHINE)}


def dialect_named(name: str | None) -> Dialect | None:
    """The dialect a request or command asks for (``excel`` when it names none), or None."""
    return DIALECTS.get(name or EXCEL.name)


def _lines(rows: Iterable[Iterable[Any]], dialect: Dialect) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerows([dialect.cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def header(columns: Iterable[Any], dialect: Dialect = EXCEL) -> bytes:
    """The first chunk: the byte-order mark and the column titles."""
    return (BOM + _lines([[str(title) for title in columns]], dialect)).encode("utf-8")


def rows(values: Iterable[Iterable[Any]], dialect: Dialect = EXCEL) -> bytes:
    """A chunk of rows."""
    return _lines(values, dialect).encode("utf-8")


def stream(columns: Iterable[Any], value_batches: Iterable[Iterable[Iterable[Any]]], dialect: Dialect = EXCEL,
           locale: str | None = None) -> Iterator[bytes]:
    """The whole file, one chunk per batch (a batch is fetched only when the chunk is asked for).

    ``locale``: the language of the words in the cells. A streamed response pulls its chunks
    after the view has returned, outside the request's language, so the view passes it on."""
    def in_locale():
        return i18n.locale_context(locale) if locale else contextlib.nullcontext()

    with in_locale():  # never across a yield: each chunk may be pulled in another thread's context
        first = header(columns, dialect)
    yield first
    batches = iter(value_batches)
    while True:
        with in_locale():
            batch = next(batches, None)
            if batch is None:
                return
            chunk = rows(batch, dialect)
        yield chunk


def read_table(text: str) -> list[list[str]]:
    """A CSV file people send back (an edited download) as rows of cells. The delimiter is the
    one its first line uses most (';' from Danish Excel, ',' from programs), so a download opened,
    edited and saved in either comes back whole. Reading lives here too, so this module stays the
    one place that speaks CSV."""
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))
