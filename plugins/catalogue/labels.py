"""The catalogue's words for its choices (kinds, categories, ways of taking part, states), the
weekdays in the reader's language, and how an offer's times, ages and price read.

One object, ``LABELS``, is handed to the catalogue's templates (``extra_template_vars``), so a
template writes ``labels.category(offer.category)`` instead of repeating the words.
"""
from __future__ import annotations

import datetime

from babel import dates as babel_dates

from core import i18n
from core.i18n import gettext, lazy_gettext as _, ngettext
from plugins.catalogue.models import MAX_AGE, MIN_AGE

KIND_LABELS = {"activity": _("Activity"), "volunteer_role": _("Volunteer role")}
CATEGORY_LABELS = {
    "sport": _("Sport and exercise"), "culture": _("Culture and creativity"),
    "community": _("Company and community"), "learning": _("Learning and homework help"),
    "health": _("Health and well-being"), "nature": _("Nature and outdoor life"),
    "support": _("Advice and support"), "other": _("Other"),
}
MODE_LABELS = {"in_person": _("In person"), "online": _("Online"), "both": _("In person and online")}
STATUS_LABELS = {"active": _("Active"), "paused": _("Paused"), "ended": _("Ended")}


class Labels:
    """What the catalogue's templates call to put words on values."""

    kinds = KIND_LABELS
    categories = CATEGORY_LABELS
    modes = MODE_LABELS
    statuses = STATUS_LABELS

    @staticmethod
    def kind(value: str) -> str:
        return str(KIND_LABELS.get(value, value))

    @staticmethod
    def category(value: str) -> str:
        return str(CATEGORY_LABELS.get(value, value))

    @staticmethod
    def mode(value: str) -> str:
        return str(MODE_LABELS.get(value, value))

    @staticmethod
    def status(value: str) -> str:
        return str(STATUS_LABELS.get(value, value))

    @staticmethod
    def weekday(number: int) -> str:
        """1 Monday … 7 Sunday, in the reader's language ('lørdag', 'Saturday')."""
        return babel_dates.get_day_names("wide", locale=i18n.babel_locale())[int(number) - 1]

    def weekdays(self) -> list[tuple[int, str]]:
        return [(number, self.weekday(number)) for number in range(1, 8)]

    def session(self, session) -> str:
        """'every Saturday 10:00–12:00' or '1. dec. 2026 10:00–12:00'."""
        hours = session.starts_at + (f"–{session.ends_at}" if session.ends_at else "")
        if session.weekday:
            return gettext("every %(weekday)s %(hours)s") % {"weekday": self.weekday(session.weekday),
                                                              "hours": hours}
        when = i18n.format_date(session.on_date) if isinstance(session.on_date, datetime.date) else ""
        return f"{when} {hours}".strip()

    @staticmethod
    def ages(min_age: int, max_age: int) -> str:
        if min_age <= MIN_AGE and max_age >= MAX_AGE:
            return gettext("All ages")
        if max_age >= MAX_AGE:
            return gettext("From %(age)s years") % {"age": min_age}
        if min_age <= MIN_AGE:
            return ngettext("Up to %(num)s year", "Up to %(num)s years", max_age) % {"num": max_age}
        return gettext("%(from)s–%(to)s years") % {"from": min_age, "to": max_age}

    @staticmethod
    def price(cost_ore: int) -> str:
        return gettext("Free") if cost_ore == 0 else i18n.format_money(cost_ore)


LABELS = Labels()
