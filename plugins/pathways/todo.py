"""What waits in the pathway counts: for a partner's people, the periods just ended that their
organisation has not reported; for the programme's staff, reports waiting to be checked. Each
in a fixed number of queries whatever the data."""
from __future__ import annotations

import datetime

from core import authz, tenancy
from core.i18n import lazy_gettext as _
from core.models.membership import Membership
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.todo import TodoItem
from plugins.pathways import periods
from plugins.pathways.models import SUBMITTED, PathwayReport
from plugins.pathways.rules import CHECK, REPORT
from plugins.pathways.steps import pathways

LIMIT = 200


def _own_organisations(actor) -> list[int]:
    """The organisations whose counts the actor reports as one of their own people."""
    table = actor.table
    return sorted({grant.organisation_id for grant in actor.grants
                   if grant.organisation_id is not None and grant.role in authz.PEOPLE_ROLES
                   and table.grants(grant.role, REPORT)})


def to_report(platform, actor, today: datetime.date) -> list[TodoItem]:
    """The last ended period of each programme the actor's organisation is a partner in, when it
    has no report for it yet (two queries)."""
    known = pathways(platform)
    own = _own_organisations(actor)
    if not known or not own:
        return []
    memberships = list(Membership.select(Membership, Programme, Organisation).join(Programme)
                       .switch(Membership).join(Organisation)
                       .where(Membership.organisation.in_(own), Membership.role == "partner",
                              Membership.deleted_at.is_null(), Programme.deleted_at.is_null(),
                              Programme.programme_type.in_(list(known)))
                       .order_by(Programme.name, Organisation.name).limit(LIMIT))
    due = {}
    for membership in memberships:
        programme = membership.programme
        kind = known[programme.programme_type].period_kind
        ended = periods.containing(today, kind)
        ended = [p for p in periods.reportable(programme, kind, today) if p < ended][:1]
        if ended:
            due[(programme.id, membership.organisation_id)] = (membership, ended[0])
    if not due:
        return []
    reported = {(programme_id, organisation_id, period) for programme_id, organisation_id, period in
                PathwayReport.select(PathwayReport.programme, PathwayReport.organisation, PathwayReport.period)
                .where(PathwayReport.organisation.in_(own),
                       PathwayReport.programme.in_(sorted({key[0] for key in due}))).tuples()}
    items = []
    for (programme_id, organisation_id), (membership, period) in due.items():
        if (programme_id, organisation_id, period.key) in reported:
            continue
        programme = membership.programme
        items.append(TodoItem(
            "pathways-report", _("Pathway counts to report"), f"{programme.name}: {period.label()}",
            f"/programmes/{programme.slug}/pathway/report?organisation={organisation_id}&period={period.key}",
            membership.organisation.name))
    return items


def to_check(platform, actor) -> list[TodoItem]:
    """Reports waiting for the coordinator's check, where the actor may check them (one query)."""
    known = pathways(platform)
    if not known or not authz.can(actor, CHECK):
        return []
    query = (PathwayReport.select(PathwayReport, Programme, Organisation).join(Programme)
             .switch(PathwayReport).join(Organisation)
             .where(PathwayReport.status == SUBMITTED, Programme.deleted_at.is_null()))
    items = []
    for report in tenancy.scoped(query, PathwayReport, actor, CHECK).order_by(
            PathwayReport.submitted_at, PathwayReport.id).limit(LIMIT):
        programme = report.programme
        pathway = known.get(programme.programme_type)
        period = periods.parse(report.period, pathway.period_kind) if pathway else None
        label = period.label() if period else report.period
        anchor = f"?year={period.year}#period-{period.key}" if period else ""
        items.append(TodoItem("pathways-check", _("Pathway counts to check"),
                              f"{report.organisation.name}: {label}",
                              f"/programmes/{programme.slug}/pathway/figures{anchor}", programme.name))
    return items


def items(platform, actor, today: datetime.date) -> list[TodoItem]:
    return to_report(platform, actor, today) + to_check(platform, actor)
