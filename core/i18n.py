"""Languages: Danish first, English too, from Babel catalogues.

Message ids are English; each component (the core and every plugin) keeps its own
``locale/<lang>/LC_MESSAGES/messages.po`` next to its code, so a municipality's words live in
its plugin. The catalogues are read from the ``.po`` files at start-up and merged, so there is
no compile step to forget. The current language is a context variable that the web layer
sets per request and the CLI sets once.
"""
from __future__ import annotations

import contextlib
import contextvars
import datetime
import decimal
import functools
import io
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale, dates as babel_dates, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import LazyProxy, NullTranslations, Translations
from markupsafe import Markup

from core import clock

_current = contextvars.ContextVar("partnerskab_locale", default="da")
_catalogues: dict[str, NullTranslations] = {}
_constants: dict[str, dict[str, Markup]] = {}  # ConstantTexts' tables, per language

LANGUAGE_NAMES = {"da": "Dansk", "en": "English"}


def load_catalogues(locale_dirs: list[Path], locales: tuple[str, ...]) -> None:
    """Read and merge the catalogues of the core and the enabled plugins."""
    _catalogues.clear()
    _constants.clear()
    for locale in locales:
        merged: Translations | None = None
        for directory in locale_dirs:
            po_file = directory / locale / "LC_MESSAGES" / "messages.po"
            if not po_file.exists():
                continue
            with open(po_file, "rb") as fh:
                catalogue = read_po(fh, locale=locale)
            buffer = io.BytesIO()
            write_mo(buffer, catalogue)
            buffer.seek(0)
            translations = Translations(buffer)
            merged = translations if merged is None else merged.merge(translations)
        _catalogues[locale] = merged or NullTranslations()


def current_locale() -> str:
    return _current.get()


def set_locale(locale: str) -> contextvars.Token:
    return _current.set(locale)


@contextlib.contextmanager
def locale_context(locale: str):
    token = _current.set(locale)
    try:
        yield
    finally:
        _current.reset(token)


def _translations() -> NullTranslations:
    return _catalogues.get(_current.get()) or NullTranslations()


def gettext(message: str) -> str:
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations().ngettext(singular, plural, n)


class ConstantTexts:
    """The texts a template writes as ``_("…")`` with nothing to fill in, translated once per
    language and kept: ``core.web.templates`` turns each such call into ``_texts["…"]``, a
    dictionary look-up instead of Jinja's chain of calls (about 50 a page). The value is what
    Jinja's own ``_`` gives (``Markup(gettext(text)) % {}``), so a page reads the same either way."""

    def __getitem__(self, msgid: str) -> Markup:
        locale = _current.get()
        table = _constants.get(locale)
        if table is None:
            table = _constants.setdefault(locale, {})
        value = table.get(msgid)
        if value is None:
            value = table[msgid] = Markup(gettext(msgid)) % {}
        return value


def lazy_gettext(message: str) -> LazyProxy:
    """A string translated when it is shown, for texts defined at import time (plugins)."""
    return LazyProxy(gettext, message, enable_cache=False)


_ = gettext


def N_(msgid: str) -> str:
    """Mark a text for the catalogue where it is defined; it is translated where it is shown
    (``Message(msgid)``, ``gettext(msgid)``)."""
    return msgid


_BABEL_LOCALES = {"da": "da_DK", "en": "en_GB"}


@functools.lru_cache(maxsize=16)
def _locale_for(language: str) -> Locale:
    """Babel's locale object for a language, parsed once (parsing it is a tenth of a formatted number)."""
    return Locale.parse(_BABEL_LOCALES.get(language, language))


def babel_locale() -> Locale:
    return _locale_for(_current.get())


@functools.lru_cache(maxsize=16)
def _money_pattern(language: str, whole_kroner: bool) -> numbers.NumberPattern:
    """The currency pattern of a language, parsed once: '30.000 kr.' in Danish, 'DKK 30,000' in English."""
    digits = "#,##0" if whole_kroner else "#,##0.00"
    return numbers.parse_pattern(f"¤ {digits}" if language == "en" else f"{digits} ¤")


@functools.lru_cache(maxsize=65536)
def _formatted_money(language: str, amount_ore: int) -> str:
    whole = amount_ore % 100 == 0
    kroner = amount_ore // 100 if whole else decimal.Decimal(amount_ore).scaleb(-2)
    return _money_pattern(language, whole).apply(kroner, _locale_for(language), currency="DKK",
                                                  currency_digits=False)


def format_money(amount_ore: int | None) -> str:
    """Øre as kroner in the reader's language: '30.000 kr.' in Danish, 'DKK 30,000' in English.

    Babel formats each amount; the parsed locale and pattern and the last 65,536 amounts are kept
    per language, because a national budget page shows thousands of amounts and formatting each
    from scratch was most of its time (issue 12)."""
    if amount_ore is None:
        return "–"
    return _formatted_money(_current.get(), int(amount_ore))


@functools.lru_cache(maxsize=65536)
def _formatted_number(language: str, value: int | float) -> str:
    return numbers.format_decimal(value, locale=_locale_for(language))


def format_number(value: int | float) -> str:
    return _formatted_number(_current.get(), value)


# --- dates: one way of showing them, everywhere ------------------------------------------------
# Pages, mails and messages show a date as Babel's "medium" form: "1. dec. 2026" in Danish,
# "1 Dec 2026" in English (neither "2026-12-31", "01.07.2020" nor "1. december 2026" any more).
# Times are stored in UTC and shown in Danish time. Date fields are filled in as people type
# them ("01.12.2026"); core.inputs.parse_date reads that and the other ways Danes write dates.

LOCAL_ZONE = "Europe/Copenhagen"  # the one place that names Danish time (CET, CEST in summer)
LOCAL_TIME = ZoneInfo(LOCAL_ZONE)


def local_time(value: datetime.datetime) -> datetime.datetime:
    """A stored time (UTC; naive means UTC) in Danish time."""
    return clock.as_utc(value).astimezone(LOCAL_TIME)


def format_date(value) -> str:
    """A date (or the day of a stored time, in Danish time) in the reader's language."""
    if isinstance(value, datetime.datetime):
        value = local_time(value).date()
    if not isinstance(value, datetime.date):
        return ""
    return babel_dates.format_date(value, format="medium", locale=babel_locale())


def format_datetime(value) -> str:
    """A stored time as the date and the hour and minute, in Danish time: '1. dec. 2026 14.05'
    (also an ISO text, as the personal-data export holds them)."""
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, datetime.datetime):
        return format_date(value)
    local = local_time(value)
    return f"{format_date(local.date())} {babel_dates.format_time(local, format='short', locale=babel_locale())}"


def format_month(value) -> str:
    """A month, where only the month is known (when an organisation joined): 'januar 2012'."""
    if not isinstance(value, datetime.date):
        return ""
    return babel_dates.format_date(value, format="LLLL y", locale=babel_locale())


def format_date_input(value) -> str:
    """A date as a date field shows it for editing: '01.12.2026' (Danish), '01/12/2026' (English).
    Text a person typed is shown back as typed."""
    if isinstance(value, datetime.datetime):
        value = local_time(value).date()
    if isinstance(value, datetime.date):
        return babel_dates.format_date(value, format="short", locale=babel_locale())
    return "" if value is None else str(value)


class Message:
    """A translatable message with parameters, rendered in the reader's language on demand."""

    def __init__(self, msgid: str, **params):
        self.msgid = msgid
        self.params = params

    def __str__(self) -> str:
        params = {key: format_date(value) if isinstance(value, datetime.date) else str(value)
                  for key, value in self.params.items()}
        return gettext(self.msgid) % params if params else gettext(self.msgid)

    def __repr__(self) -> str:
        return f"Message({self.msgid!r}, {self.params!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Message) and (other.msgid, other.params) == (self.msgid, self.params)

    def __hash__(self) -> int:
        return hash(self.msgid)


class Localised:
    """A text written in each language side by side (``name.da``, ``name.en`` in a declared
    programme type), shown in the reader's language, else in Danish: for texts that come from
    configuration, not from a catalogue."""

    def __init__(self, texts: dict[str, str]):
        self.texts = {language: text for language, text in texts.items() if text}

    def __str__(self) -> str:
        return self.texts.get(_current.get()) or self.texts.get("da") or next(iter(self.texts.values()), "")

    def __bool__(self) -> bool:
        return bool(self.texts)

    def __eq__(self, other) -> bool:
        return isinstance(other, Localised) and other.texts == self.texts

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.texts.items())))

    def __repr__(self) -> str:
        return f"Localised({self.texts!r})"


class PluralMessage(Message):
    """A message whose words depend on a number (``ngettext``): "1 sign-on fee", "2 sign-on
    fees" in English, each language with its own plural forms. ``%(num)s`` is the number."""

    def __init__(self, singular: str, plural: str, n: int, **params):
        super().__init__(singular, **params)
        self.plural = plural
        self.n = n

    def __str__(self) -> str:
        params = {key: str(value) for key, value in self.params.items()}
        params.setdefault("num", format_number(self.n))
        return ngettext(self.msgid, self.plural, self.n) % params

    def __repr__(self) -> str:
        return f"PluralMessage({self.msgid!r}, {self.plural!r}, {self.n!r}, {self.params!r})"


class Money:
    """An amount in øre that formats itself in the reader's language."""

    def __init__(self, amount_ore: int):
        self.amount_ore = amount_ore

    def __str__(self) -> str:
        return format_money(self.amount_ore)
