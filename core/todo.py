"""What waits for a person, per role: one list built from the ``todo_items`` hook.

Each implementation is a function ``(platform, actor, today) -> list[TodoItem]`` that asks its
own tables, narrowed by ``core.tenancy.scoped`` to what the actor may act on, in a fixed number
of queries whatever the data. The core's own (``core.default_plugin.todo_items``) cover the
programme lifecycle (applications waiting for review or a decision, drafts not yet submitted,
agreements ending within 90 days, empty resource-person posts) and payments waiting for
approval; plugins add theirs through the same hook, and the page at ``/todo`` shows them all,
the core's first.
"""
from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from core import authz
from core.i18n import Message
from core.tenancy import scoped

ENDING_SOON_DAYS = 90


@dataclasses.dataclass(frozen=True)
class TodoItem:
    section: str          # a stable key: 'review', 'decide', 'draft', 'ending', 'empty_post', 'payments', ...
    heading: Any          # the section's heading, in the reader's language (a Message or lazy text)
    title: str            # what the item is about
    href: str             # where to act on it
    detail: Any = ""      # one line more (a date, a programme)


def items_for(platform, actor: authz.Actor, today: datetime.date | None = None) -> list[TodoItem]:
    """Every item for a logged-in actor (an anonymous one has none), in hook order."""
    if not actor.is_authenticated:
        return []
    today = today or datetime.date.today()
    return [item for result in platform.pm.hook.todo_items(platform=platform, actor=actor, today=today)
            for item in (result or [])]


def grouped(items: list[TodoItem]) -> list[tuple[str, Any, list[TodoItem]]]:
    sections: dict[str, tuple[Any, list[TodoItem]]] = {}
    for item in items:
        sections.setdefault(item.section, (item.heading, []))[1].append(item)
    return [(key, heading, rows) for key, (heading, rows) in sections.items()]


def _may(actor, action: str) -> bool:
    return actor.is_authenticated and authz.can(actor, action)


def _applications(actor, action: str, statuses):
    from core.models.application import Application
    from core.models.call import Call
    from core.models.organisation import Organisation
    from core.models.programme import Programme
    query = (Application.select(Application, Call, Organisation, Programme)
             .join(Call).join(Programme).switch(Application).join(Organisation)
             .where(Application.status.in_(list(statuses))))
    return scoped(query, Application, actor, action).order_by(Application.submitted_at, Application.id).limit(200)


def applications_waiting(platform, actor, today):
    from core.models.application import Review
    items: list[TodoItem] = []
    if _may(actor, "application.review"):
        reviewed = Review.select(Review.application).where(Review.reviewer == actor.account.id)
        query = _applications(actor, "application.review", ("submitted", "under_review"))
        from core.models.application import Application
        for row in query.where(Application.id.not_in(reviewed)):
            items.append(TodoItem("review", Message("Applications waiting for your review"),
                                  f"{row.organisation.name} – {row.call.title}", f"/applications/{row.id}",
                                  row.call.programme.name))
    if _may(actor, "application.decide"):
        for row in _applications(actor, "application.decide", ("under_review",)):
            items.append(TodoItem("decide", Message("Decisions waiting"),
                                  f"{row.organisation.name} – {row.call.title}", f"/applications/{row.id}",
                                  row.call.programme.name))
    if _may(actor, "application.submit"):
        from core.models.application import Application
        from core.models.call import Call
        for row in _applications(actor, "application.submit", ("draft",)).where(Call.closes_on >= today):
            items.append(TodoItem("draft", Message("Applications not submitted yet"),
                                  f"{row.organisation.name} – {row.call.title}", f"/applications/{row.id}",
                                  Message("The call closes on %(date)s", date=row.call.closes_on)))
    return items


def _agreements(actor, today):
    from core.models.agreement import Agreement
    from core.models.organisation import Organisation
    from core.models.programme import Programme
    query = (Agreement.select(Agreement, Organisation, Programme).join(Organisation)
             .switch(Agreement).join(Programme)
             .where(Agreement.start_date <= today, Agreement.end_date >= today))
    return scoped(query, Agreement, actor, "agreement.read")


def agreements_waiting(platform, actor, today):
    from core.models.agreement import Agreement
    from core.models.organisation import Organisation
    from core.models.resource_person import ResourcePerson
    if not _may(actor, "agreement.read"):
        return []
    items: list[TodoItem] = []
    soon = today + datetime.timedelta(days=ENDING_SOON_DAYS)
    for row in _agreements(actor, today).where(Agreement.end_date <= soon).order_by(Agreement.end_date, Organisation.name):
        items.append(TodoItem("ending", Message("Agreements ending within %(days)s days", days=ENDING_SOON_DAYS),
                              f"{row.organisation.name} – {row.programme.name}", f"/agreements/{row.id}",
                              Message("Ends on %(date)s", date=row.end_date)))
    with_hours = [t.key for t in platform.programme_types
                  if t.resource_person_hours_min is not None or t.resource_person_hours_max is not None]
    if with_hours:
        from core.models.programme import Programme
        held = (ResourcePerson.select(ResourcePerson.agreement)
                .where(ResourcePerson.started_on <= today,
                       ResourcePerson.ended_on.is_null() | (ResourcePerson.ended_on >= today)))
        query = (_agreements(actor, today).where(Programme.programme_type.in_(with_hours), Agreement.id.not_in(held))
                 .order_by(Organisation.name))
        for row in query:
            items.append(TodoItem("empty_post", Message("Resource-person posts empty"),
                                  f"{row.organisation.name} – {row.programme.name}", f"/agreements/{row.id}",
                                  Message("Appoint a resource person")))
    return items


__all__ = ["TodoItem", "items_for", "grouped", "ENDING_SOON_DAYS", "applications_waiting", "agreements_waiting"]
