"""Export datasets for applications and agreements (issue 4, parts 2–3), for ``core.views.exports``.

Kept apart so the payment exports work whether or not those models are installed: when they
are missing, ``datasets()`` is empty. Each fetcher reads one batch in one query (joins, no
per-row lookups)."""
from __future__ import annotations

from peewee import JOIN

from core import labels
from core.i18n import gettext as _
from core.models.account import Account
from core.models.organisation import Organisation
from core.models.programme import Programme

Consultant = Account.alias("consultant")
Decider = Account.alias("decider")


def person(account, fallback: str = "") -> str:
    """A person as staff know them: the name, else the email (never ``account:1:…``)."""
    if account is None:
        return fallback
    return account.name or account.email


def _decider_label(label: str) -> str:
    """Who decided when the account is gone: the audit label ``account:<id>:<email>`` as the email."""
    parts = (label or "").split(":", 2)
    return parts[2] if len(parts) == 3 and parts[0] == "account" else (label or "")


def datasets() -> list[dict]:
    try:
        from core.models.agreement import Agreement
        from core.models.application import Application
        from core.models.call import Call
    except ImportError:  # the lifecycle models are not installed
        return []

    def application_fetcher(condition=None):
        def fetch(after, limit):
            query = (Application.select(Application, Call, Programme, Organisation, Decider)
                     .join_from(Application, Call).join_from(Call, Programme)
                     .join_from(Application, Organisation)
                     .join_from(Application, Decider, JOIN.LEFT_OUTER, on=(Application.decided_by == Decider.id))
                     .where(Application.id > after))
            if condition is not None:
                query = query.where(condition)
            return list(query.order_by(Application.id).limit(limit))
        return fetch

    def application_values(a):
        decider = a.decided_by if a.decided_by_id else None
        return [a.id, a.call.programme.name, a.call.title, a.organisation.name, a.organisation.cvr or "",
                labels.label(labels.APPLICATION_STATUSES, a.status),
                a.submitted_at.replace(microsecond=0) if a.submitted_at else None,
                a.decided_at.replace(microsecond=0) if a.decided_at else None,
                person(decider, _decider_label(a.decided_by_label)), a.decision_reason]

    def agreement_fetcher(condition=None):
        def fetch(after, limit):
            query = (Agreement.select(Agreement, Programme, Organisation, Consultant)
                     .join_from(Agreement, Programme).join_from(Agreement, Organisation)
                     .join_from(Agreement, Consultant, JOIN.LEFT_OUTER, on=(Agreement.consultant == Consultant.id))
                     .where(Agreement.id > after))
            if condition is not None:
                query = query.where(condition)
            return list(query.order_by(Agreement.id).limit(limit))
        return fetch

    def agreement_values(a):
        from core.exports import kroner
        consultant = person(a.consultant) if a.consultant_id else ""
        return [a.id, a.programme.name, a.organisation.name, a.organisation.cvr or "", a.start_date, a.end_date,
                a.cohort, consultant, kroner(a.yearly_grant_ore) if a.yearly_grant_ore is not None else None]

    return [
        {"name": "applications", "model": Application, "title": lambda: _("Applications"),
         "columns": lambda: [_("Application"), _("Programme"), _("Call"), _("Organisation"), _("CVR"),
                             _("Status"), _("Submitted at"), _("Decided at"), _("Decided by"), _("Reason")],
         "fetcher": application_fetcher, "values": application_values},
        {"name": "agreements", "model": Agreement, "title": lambda: _("Agreements"),
         "columns": lambda: [_("Agreement"), _("Programme"), _("Organisation"), _("CVR"), _("Start"), _("End"),
                             _("Cohort"), _("Consultant"), _("Yearly grant (DKK)")],
         "fetcher": agreement_fetcher, "values": agreement_values},
    ]
