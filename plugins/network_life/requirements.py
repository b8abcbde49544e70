"""Required meetings: each association with a running agreement must have the meetings its
programme requires every year (``config.Requirement``: Copenhagen's two status meetings). A
requirement whose due date has passed without enough meetings held is overdue: it is listed on
the consultant's to-do page and mailed to the consultant every Monday morning until it is met.

A meeting counts when it is not cancelled, was held with the association (its ``organisation``)
in the agreement's programme, is of one of the requirement's kinds and started on or before
today, in the Danish calendar year. A due date counts while the agreement runs on it.
"""
from __future__ import annotations

import collections
import dataclasses
import datetime

from core import authz, i18n, mail, tenancy
from core.clock import as_utc
from core.clock import now as clock_now
from core.i18n import gettext as _
from core.models.account import Account
from core.models.agreement import Agreement
from core.models.organisation import Organisation
from core.models.programme import Programme
from plugins.network_life import calendar
from plugins.network_life.config import Requirement, settings_of
from plugins.network_life.models import Meeting

LIMIT = 500


@dataclasses.dataclass(frozen=True)
class Overdue:
    agreement: Agreement
    requirement: Requirement
    year: int
    held: int
    due: int                   # how many were due by today
    missed_due: datetime.date  # the first due date without a meeting


def _held(agreements: list[Agreement], since: datetime.date, now: datetime.datetime) -> collections.Counter:
    """(organisation, programme, kind, year) -> meetings held: one query."""
    counter: collections.Counter = collections.Counter()
    if not agreements:
        return counter
    organisations = sorted({a.organisation_id for a in agreements})
    programmes = sorted({a.programme_id for a in agreements})
    start = calendar.to_utc(since, datetime.time(0, 0))
    query = (Meeting.select(Meeting.organisation, Meeting.programme, Meeting.kind, Meeting.starts_at)
             .where(Meeting.organisation.in_(organisations), Meeting.programme.in_(programmes),
                    Meeting.status != "cancelled", Meeting.starts_at >= start, Meeting.starts_at <= now).tuples())
    for organisation, programme, kind, starts_at in query:
        counter[(organisation, programme, kind, calendar.local(starts_at).year)] += 1
    return counter


def overdue(platform, agreements: list[Agreement], today: datetime.date,
            now: datetime.datetime | None = None) -> list[Overdue]:
    """What is overdue for these agreements (their programmes loaded), this year and last year."""
    settings = settings_of(platform)
    now = as_utc(now) if now is not None else clock_now()
    held = _held(agreements, datetime.date(today.year - 1, 1, 1), now)
    found: list[Overdue] = []
    for agreement in agreements:
        for requirement in settings.for_type(agreement.programme.programme_type).required:
            for year in (today.year - 1, today.year):
                due = [day for day in requirement.due_dates(year)
                       if day < today and agreement.start_date < day <= agreement.end_date]
                count = sum(held[(agreement.organisation_id, agreement.programme_id, kind, year)]
                            for kind in requirement.kinds)
                if count < len(due):
                    found.append(Overdue(agreement, requirement, year, count, len(due), due[count]))
    return found


def agreements_for(platform, actor, today: datetime.date, consultant_id: int | None = None) -> list[Agreement]:
    """Agreements in programmes with required meetings that ran this year or last, followed by the
    consultant (the actor's own caseload when ``consultant_id`` is given), narrowed to the actor."""
    types = settings_of(platform).required_types()
    if not types:
        return []
    query = (Agreement.select(Agreement, Organisation, Programme).join(Organisation)
             .switch(Agreement).join(Programme)
             .where(Programme.programme_type.in_(types), Programme.deleted_at.is_null(),
                    Agreement.start_date <= today, Agreement.end_date >= datetime.date(today.year - 1, 1, 1)))
    if consultant_id is not None:
        query = query.where(Agreement.consultant == consultant_id)
    if actor is not None:
        query = tenancy.scoped(query, Agreement, actor, "agreement.read")
    return list(query.order_by(Organisation.name, Agreement.id).limit(LIMIT))


def todo_items(platform, actor, today: datetime.date) -> list:
    """The consultant's overdue required meetings, for their own caseload."""
    from core.todo import TodoItem
    from core.i18n import Message
    from plugins.network_life import access
    if not actor.is_authenticated or not authz.can(actor, access.MEETING_MANAGE) \
            or "consultant" not in actor.roles:
        return []
    items = []
    for item in overdue(platform, agreements_for(platform, actor, today, actor.account.id), today):
        agreement = item.agreement
        kind = item.requirement.kinds[0]
        items.append(TodoItem(
            "network_life_overdue", Message("Required meetings overdue"),
            f"{agreement.organisation.name} – {item.requirement.label}",
            f"/meetings/new?programme={agreement.programme_id}&organisation={agreement.organisation_id}&kind={kind}",
            Message("%(held)s of %(due)s held in %(year)s; one was due by %(date)s", held=item.held, due=item.due,
                    year=item.year, date=item.missed_due)))
    return items


def remind(context) -> int:
    """The Monday reminder: each consultant with overdue required meetings gets one mail listing them."""
    platform = context.platform
    today = context.local(context.slot).date()
    by_consultant: dict[int, list[Overdue]] = collections.defaultdict(list)
    for item in overdue(platform, [a for a in agreements_for(platform, None, today) if a.consultant_id], today):
        by_consultant[item.agreement.consultant_id].append(item)
    sent = 0
    consultants = {account.id: account for account in
                   Account.select().where(Account.id.in_(list(by_consultant) or [0]), Account.active == True)}  # noqa: E712
    for consultant_id, items in sorted(by_consultant.items()):
        account = consultants.get(consultant_id)
        if account is None:
            continue
        with i18n.locale_context(platform.settings.default_locale):
            lines = [_("Hello %(name)s,") % {"name": account.name or account.email}, "",
                     _("These required meetings are overdue:"), ""]
            for item in items:
                lines.append("- " + _("%(organisation)s: %(requirement)s – %(held)s of %(due)s held in %(year)s, one "
                                      "was due by %(date)s") % {
                    "organisation": item.agreement.organisation.name, "requirement": str(item.requirement.label),
                    "held": item.held, "due": item.due, "year": item.year,
                    "date": i18n.format_date(item.missed_due)})
            lines += ["", _("Schedule them from your to-do list: %(link)s") % {
                "link": f"{platform.settings.base_url.rstrip('/')}/todo"}]
            subject = _("Required meetings overdue: %(count)s") % {"count": len(items)}
        try:
            mail.send(platform, to=account.email, subject=subject, body="\n".join(lines) + "\n")
            sent += 1
        except mail.MailError:
            continue
    return sent
