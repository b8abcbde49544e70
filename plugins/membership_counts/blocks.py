"""What the counts add to other pages: a block on an organisation's page and on a programme's
page, and the to-do items (a count not entered yet for last year; counts waiting for a check).
Each asks a fixed number of queries, whatever the number of organisations or counts."""
from __future__ import annotations

import datetime

from peewee import fn

from core import authz, tenancy
from core.i18n import Message, PluralMessage, lazy_gettext as _
from core.models.organisation import Organisation
from core.todo import TodoItem
from plugins.membership_counts import metrics as metric_words, overview, rules
from plugins.membership_counts.models import MemberCount

READ, ENTER, CHECK = "membership_counts.read", "membership_counts.enter", "membership_counts.check"
TODO_LIMIT = 30


def organisation_block(organisation: Organisation, actor) -> dict:
    """The newest count of each metric (one query)."""
    rows = list(tenancy.scoped(MemberCount.select(), MemberCount, actor, READ)
                .where(MemberCount.organisation == organisation.id).order_by(MemberCount.year.desc()))
    newest: dict[str, MemberCount] = {}
    for row in rows:
        newest.setdefault(row.metric, row)
    return {"mc_rows": [(metric_words.label(key), row) for key, row in newest.items()],
            "mc_link": f"/membership-counts/organisations/{organisation.id}"}


def programme_block(programme, actor, today: datetime.date) -> dict | None:
    """The yearly total of the programme's partners for the type's first metric (three queries)."""
    metrics = rules.settings_by_type().get(programme.programme_type)
    if not metrics:
        return None
    view = overview.programme_overview(programme, metrics[0], actor, today)
    return {"mc_view": view, "mc_chart": overview.total_chart(view), "mc_label": metric_words.label(metrics[0]),
            "mc_link": f"/membership-counts?programme={programme.slug}&metric={metrics[0]}"}


def _own_organisations(actor) -> list[int]:
    return [g.organisation_id for g in actor.grants if g.role in authz.PEOPLE_ROLES and g.organisation_id]


def todo(actor, today: datetime.date) -> list[TodoItem]:
    items: list[TodoItem] = []
    year = today.year - 1
    own = _own_organisations(actor)
    if own and authz.can(actor, ENTER):
        organisations = {o.id: o for o in tenancy.scoped(Organisation.select(), Organisation, actor, ENTER)
                         .where(Organisation.id.in_(own))}
        asked = rules.metrics_of(list(organisations))
        entered = {(row.organisation_id, row.metric) for row in MemberCount.select(
            MemberCount.organisation, MemberCount.metric).where(MemberCount.organisation.in_(list(organisations) or [0]),
                                                                MemberCount.year == year)}
        for organisation_id, keys in asked.items():
            for key in keys:
                if (organisation_id, key) not in entered:
                    items.append(TodoItem(
                        "membership-counts", _("Yearly counts to enter"),
                        f"{organisations[organisation_id].name}: {metric_words.label(key)} {year}",
                        f"/membership-counts/organisations/{organisation_id}",
                        Message("The count at the end of %(year)s is not entered yet", year=str(year))))
    if authz.can(actor, CHECK) and any(g.role not in authz.PEOPLE_ROLES for g in actor.grants):
        query = (tenancy.scoped(MemberCount.select(MemberCount.organisation, Organisation.name,
                                                   fn.COUNT(MemberCount.id).alias("waiting")),
                                MemberCount, actor, CHECK)
                 .join(Organisation, on=(MemberCount.organisation == Organisation.id))
                 .where(MemberCount.checked_on.is_null())
                 .group_by(MemberCount.organisation, Organisation.name)
                 .order_by(Organisation.name).limit(TODO_LIMIT).tuples())
        for organisation_id, name, waiting in query:
            items.append(TodoItem("membership-counts-check", _("Yearly counts to check"), name,
                                  f"/membership-counts/organisations/{organisation_id}",
                                  PluralMessage("%(num)s count not checked yet", "%(num)s counts not checked yet",
                                                int(waiting))))
    return items
