"""Code words as the reader's words: the kinds, statuses and roles stored as keys
('volunteer_centre', 'created', 'partner') are never shown as they are stored.

Templates have their own macros for these (``core/templates/macros.html``,
``payments/_macros.html``, ``lifecycle/macros.html``); this module is for Python that puts a
key into a message — a rule's refusal, the audit log — where the words must be chosen in
the reader's language when the message is shown, not when it is made (``Label``).
"""
from __future__ import annotations

from typing import Callable, Iterable

from core.i18n import gettext as _


def organisation_kind(kind: str) -> str:
    return {"association": _("Association"), "volunteer_centre": _("Volunteer centre"),
            "municipal_unit": _("Municipal unit"), "school_institution": _("School or institution"),
            "housing_association": _("Housing association"), "national_body": _("National body"),
            "other": _("Other"), "municipality": _("The municipality itself")}.get(kind, _("Other"))


def membership_role(role: str) -> str:
    return {"partner": _("Partner"), "local_actor": _("Local actor"),
            "coordinator": _("Coordinator")}.get(role, _("Other"))


def payment_status(status: str) -> str:
    return {"created": _("Waiting for approval"), "approved": _("Approved"), "paid": _("Paid"),
            "cancelled": _("Cancelled")}.get(status, _("Other"))


def payment_kind(kind: str) -> str:
    return {"sign_on_fee": _("Sign-on fee"), "grant_instalment": _("Grant instalment")}.get(kind, _("Other"))


def application_status(status: str) -> str:
    return {"draft": _("Draft"), "submitted": _("Submitted"), "under_review": _("Under review"),
            "accepted": _("Accepted"), "rejected": _("Rejected"), "withdrawn": _("Withdrawn")}.get(status, _("Other"))


def programme_status(status: str) -> str:
    return {"planned": _("Planned"), "active": _("Active"), "ended": _("Ended")}.get(status, _("Other"))


class Label:
    """A key that turns into words when shown (``str()``), in the language of that moment:
    a rule's message parameter (``Message(..., status=Label(payment_status, 'created'))``)."""

    def __init__(self, words: Callable[[str], str], key: str):
        self.words = words
        self.key = key

    def __str__(self) -> str:
        return str(self.words(self.key))

    def __repr__(self) -> str:
        return f"Label({self.words.__name__}, {self.key!r})"


class LabelList:
    """Several keys as a comma-separated list of words, chosen when shown."""

    def __init__(self, words: Callable[[str], str], keys: Iterable[str]):
        self.words = words
        self.keys = tuple(keys)

    def __str__(self) -> str:
        return ", ".join(str(self.words(key)) for key in self.keys)


def commitment_kind(kind: str) -> str:
    return {"sign_on_fee": _("Sign-on fee"), "grant": _("Grant")}.get(kind, _("Other"))


# The word tables exports name, as functions above (one source of words for pages and files).
PAYMENT_STATUSES = payment_status
PAYMENT_KINDS = payment_kind
COMMITMENT_KINDS = commitment_kind
APPLICATION_STATUSES = application_status


def label(words: Callable[[str], str], code: str | None):
    """A CSV cell for a code: its words in the ``excel`` dialect, the code in ``machine``
    (``core.csv_writer.Label``); the words are chosen when the cell is written."""
    if code is None:
        return None
    from core.csv_writer import Label as CellLabel
    return CellLabel(code, Label(words, code))
