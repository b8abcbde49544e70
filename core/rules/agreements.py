"""Partnership agreements: made when an application is accepted (or recorded for partners
from before the platform), extended with history, and followed by a consultant.

The programme type gives the defaults: the end (``ProgrammeType.agreement_end``: a number of
years, or a fixed period), whether an agreement can be extended, and the yearly grant. An
agreement never runs past its programme's end. The organisation becomes a partner in the
programme's network when its agreement is made, so money rules (grants, sign-on fees) see it.
"""
from __future__ import annotations

import dataclasses
import datetime

from core import events, inputs
from core.db import database
from core.models import audit
from core.models.account import Account, RoleAssignment
from core.models.agreement import Agreement, AgreementExtension
from core.models.membership import Membership
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.rules.calls import programme_type_of
from core.rules.errors import Collector, RuleViolation

ENDING_SOON_DAYS = 90


def consultants_for(programme: Programme) -> list[Account]:
    """Accounts holding the consultant role in the programme's municipality, by name."""
    return list(Account.select().join(RoleAssignment)
                .where(RoleAssignment.role == "consultant", RoleAssignment.municipality == programme.municipality_id,
                       Account.active == True)  # noqa: E712
                .order_by(Account.name, Account.email).distinct())


def _consultant(programme: Programme, consultant_id, problems: Collector) -> Account | None:
    if consultant_id in (None, ""):
        return None
    wanted = inputs.parse_id(consultant_id)
    for account in consultants_for(programme):
        if account.id == wanted:
            return account
    problems.add("consultant", "Choose one of the programme's consultants")
    return None


@dataclasses.dataclass(frozen=True)
class Term:
    """An agreement's term from a start date: the end it gets, the end the programme type alone
    would give (its years, or its fixed period), and whether the programme's end cut it short."""

    start: datetime.date
    end: datetime.date | None
    natural_end: datetime.date | None

    @property
    def cut_short(self) -> bool:
        return self.natural_end is not None and self.end is not None and self.end < self.natural_end


def term_for(platform, programme: Programme, start: datetime.date) -> Term:
    try:
        natural = programme_type_of(platform, programme).agreement_end(start)
    except ValueError:  # a start so late that the type's years run past the calendar (year 9999)
        natural = datetime.date.max
    end = natural
    if programme.end_date and (end is None or end > programme.end_date):
        end = programme.end_date
    return Term(start, end, natural)


def default_end(platform, programme: Programme, start: datetime.date) -> datetime.date | None:
    """The type's default end for an agreement starting on ``start``, never after the programme's end."""
    return term_for(platform, programme, start).end


def create_agreement(platform, *, programme: Programme, organisation: Organisation, start_date: datetime.date,
                     actor: str, application=None, consultant_id=None, end_date: datetime.date | None = None,
                     problems: Collector | None = None) -> Agreement:
    """Check and write an agreement (call inside the caller's transaction, or alone)."""
    programme_type = programme_type_of(platform, programme)
    problems = problems or Collector()
    if programme_type.fixed_period:
        first, last = programme_type.fixed_period
        if not first <= start_date <= last:
            problems.add("start_date", "Agreements of this programme run %(first)s – %(last)s: the start must be "
                                       "in that period", first=first, last=last)
    if start_date < programme.start_date or (programme.end_date and start_date > programme.end_date):
        problems.add("start_date", "%(date)s is outside the programme's period (%(start)s – %(end)s)",
                     date=start_date, start=programme.start_date,
                     end=programme.end_date if programme.end_date else "…")
    end = end_date or default_end(platform, programme, start_date)
    if end is None:
        problems.add("end_date", "The programme type gives no agreement length: enter an end date")
    elif end < start_date:
        problems.add("end_date", "The end date is before the start date")
    elif end_date and programme.end_date and end_date > programme.end_date:
        problems.add("end_date", "An agreement cannot run past the programme's end (%(date)s)",
                     date=programme.end_date)
    consultant = _consultant(programme, consultant_id, problems)
    if end is not None and end >= start_date:
        overlapping = (Agreement.select().where(Agreement.programme == programme.id,
                                                Agreement.organisation == organisation.id,
                                                Agreement.start_date <= end, Agreement.end_date >= start_date)
                       .first())
        if overlapping:
            problems.add("start_date", "%(organisation)s already has an agreement in this programme for "
                                       "%(start)s – %(end)s", organisation=organisation.name,
                         start=overlapping.start_date, end=overlapping.end_date)
    problems.raise_if_any()
    with database.atomic():
        agreement = Agreement.create(
            programme=programme.id, organisation=organisation.id, application=application,
            start_date=start_date, end_date=end, cohort=start_date.year, consultant=consultant,
            yearly_grant_ore=programme_type.grant_per_partner_per_year_ore)
        member = Membership.get_or_none(programme=programme.id, organisation=organisation.id)
        if member is None or member.deleted_at is not None:
            from core.rules import registry
            registry.add_membership(programme=programme, organisation=organisation, role="partner",
                                    joined_on=start_date, actor=actor)
        audit.record(actor, "agreement.create", agreement, scope=f"programme:{programme.id}",
                     after={"organisation": organisation.id, "start": start_date, "end": end,
                            "cohort": start_date.year, "consultant": consultant.id if consultant else None,
                            "yearly_grant_ore": agreement.yearly_grant_ore,
                            "application": application.id if application is not None else None})
        events.emit("agreement.created", agreement, actor, programme=programme.id, organisation=organisation.id,
                    start=start_date.isoformat(), end=end.isoformat(),
                    application=application.id if application is not None else None)
    return agreement


def extend_agreement(platform, agreement: Agreement, *, new_end, reason: str, actor: str) -> AgreementExtension:
    """A new end date, kept with the one before and the reason."""
    from core.rules.registry import parse_date
    programme = agreement.programme
    programme_type = programme_type_of(platform, programme)
    problems = Collector()
    if not programme_type.agreement_extendable:
        raise RuleViolation.one("new_end", "Agreements of the programme type %(type)s cannot be extended",
                                type=programme_type.name)
    end = parse_date(new_end, "new_end", problems)
    reason = str(reason or "").strip()
    if not reason:
        problems.add("reason", "Say why the agreement is extended")
    if end and end <= agreement.end_date:
        problems.add("new_end", "The new end must be after the current end (%(date)s)",
                     date=agreement.end_date)
    if end and programme.end_date and end > programme.end_date:
        problems.add("new_end", "An agreement cannot run past the programme's end (%(date)s)",
                     date=programme.end_date)
    problems.raise_if_any()
    with database.atomic():
        previous = agreement.end_date
        extension = AgreementExtension.create(agreement=agreement.id, previous_end=previous, new_end=end,
                                              reason=reason[:2000], actor=actor[:200])
        Agreement.update(end_date=end).where(Agreement.id == agreement.id).execute()
        agreement.end_date = end
        audit.record(actor, "agreement.extend", agreement, scope=f"programme:{programme.id}",
                     before={"end": previous}, after={"end": end, "reason": reason})
        events.emit("agreement.extended", agreement, actor, programme=programme.id,
                    organisation=agreement.organisation_id, previous_end=previous.isoformat(),
                    new_end=end.isoformat(), reason=reason)
    return extension


def assign_consultant(agreement: Agreement, *, consultant_id, actor: str) -> Agreement:
    problems = Collector()
    consultant = _consultant(agreement.programme, consultant_id, problems)
    problems.raise_if_any()
    with database.atomic():
        before = agreement.consultant_id
        Agreement.update(consultant=consultant).where(Agreement.id == agreement.id).execute()
        agreement.consultant = consultant
        audit.record(actor, "agreement.consultant", agreement, scope=f"programme:{agreement.programme_id}",
                     before={"consultant": before}, after={"consultant": consultant.id if consultant else None})
    return agreement
