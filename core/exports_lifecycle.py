"""Export datasets for applications and agreements (issue 4, parts 2–3), for ``core.views.exports``.

Kept apart so the payment exports work whether or not those models are installed: when they
are missing, ``datasets()`` is empty. Each fetcher reads one batch in one query (joins, no
per-row lookups)."""
from __future__ import annotations

from peewee import JOIN

from core.i18n import gettext as _
from core.models.account import Account
from core.models.organisation import Organisation
from core.models.programme import Programme

Consultant = Account.alias("consultant")


def datasets() -> list[dict]:
    try:
        from core.models.agreement import Agreement
        from core.models.application import Application
        from core.models.call import Call
    except ImportError:  # the lifecycle models are not installed
        return []

    def application_fetcher(condition=None):
        def fetch(after, limit):
            query = (Application.select(Application, Call, Programme, Organisation)
                     .join_from(Application, Call).join_from(Call, Programme)
                     .join_from(Application, Organisation).where(Application.id > after))
            if condition is not None:
                query = query.where(condition)
            return list(query.order_by(Application.id).limit(limit))
        return fetch

    def application_values(a):
        return [a.id, a.call.programme.name, a.call.title, a.organisation.name, a.organisation.cvr or "",
                a.status, a.submitted_at.replace(microsecond=0) if a.submitted_at else None,
                a.decided_at.replace(microsecond=0) if a.decided_at else None, a.decided_by_label,
                a.decision_reason]

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
        consultant = (a.consultant.name or a.consultant.email) if a.consultant_id else ""
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
