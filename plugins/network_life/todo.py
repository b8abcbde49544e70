"""The network life's to-do items: plans waiting for feedback or approval (staff), plans sent
back with feedback and plans not yet written (the association), meeting invitations not yet
answered (everyone), and overdue required meetings (the consultant, ``requirements``). One
query each, narrowed by ``core.tenancy``."""
from __future__ import annotations

import datetime

from core import authz, clock, tenancy
from core.i18n import Message
from core.models.agreement import Agreement
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.todo import TodoItem
from plugins.network_life import access, calendar, requirements
from plugins.network_life.config import settings_of
from plugins.network_life.models import ActionPlan, Meeting, MeetingInvitation, PlanVersion

LIMIT = 200


def _versions(actor, action: str, state: str):
    query = (PlanVersion.select(PlanVersion, ActionPlan, Agreement, Organisation).join(ActionPlan).join(Agreement)
             .join(Organisation).where(PlanVersion.state == state))
    return tenancy.scoped(query, PlanVersion, actor, action).order_by(PlanVersion.submitted_at, PlanVersion.id).limit(LIMIT)


def items(platform, actor, today: datetime.date) -> list[TodoItem]:
    found: list[TodoItem] = []
    if authz.can(actor, access.PLAN_FEEDBACK):
        for version in _versions(actor, access.PLAN_FEEDBACK, "submitted"):
            found.append(TodoItem("network_life_feedback", Message("Action plans waiting for feedback"),
                                  version.plan.agreement.organisation.name, f"/action-plans/versions/{version.id}",
                                  Message("Version %(number)s, submitted %(date)s", number=version.number,
                                          date=version.submitted_at.date() if version.submitted_at else today)))
    if authz.can(actor, access.PLAN_APPROVE):
        for version in _versions(actor, access.PLAN_APPROVE, "submitted"):
            found.append(TodoItem("network_life_approve", Message("Action plans waiting for approval"),
                                  version.plan.agreement.organisation.name, f"/action-plans/versions/{version.id}",
                                  Message("Version %(number)s, submitted %(date)s", number=version.number,
                                          date=version.submitted_at.date() if version.submitted_at else today)))
    if authz.can(actor, access.PLAN_DRAFT) and any(role in actor.roles for role in authz.PEOPLE_ROLES):
        for version in _versions(actor, access.PLAN_DRAFT, "feedback"):
            found.append(TodoItem("network_life_revise", Message("Action plans back with feedback"),
                                  version.plan.agreement.organisation.name, f"/action-plans/versions/{version.id}",
                                  Message("Version %(number)s: revise it and submit it again", number=version.number)))
        types = settings_of(platform).plan_types()
        if types:
            query = (Agreement.select(Agreement, Organisation, Programme).join(Organisation).switch(Agreement)
                     .join(Programme).where(Programme.programme_type.in_(types), Agreement.start_date <= today,
                                            Agreement.end_date >= today,
                                            Agreement.id.not_in(ActionPlan.select(ActionPlan.agreement))))
            for agreement in tenancy.scoped(query, Agreement, actor, access.PLAN_DRAFT).limit(LIMIT):
                found.append(TodoItem("network_life_write", Message("Action plans to write"),
                                      f"{agreement.organisation.name} – {agreement.programme.name}",
                                      f"/agreements/{agreement.id}/action-plan",
                                      Message("The agreement has no action plan yet")))
    if actor.is_authenticated:
        query = (MeetingInvitation.select(MeetingInvitation, Meeting).join(Meeting)
                 .where(MeetingInvitation.account == actor.account.id, MeetingInvitation.response == "none",
                        Meeting.status == "scheduled", Meeting.starts_at >= clock.now())
                 .order_by(Meeting.starts_at).limit(LIMIT))
        for invitation in query:
            start = calendar.local(invitation.meeting.starts_at)
            found.append(TodoItem("network_life_answer", Message("Meeting invitations to answer"),
                                  invitation.meeting.title, f"/meetings/{invitation.meeting.id}",
                                  Message("On %(date)s at %(time)s", date=start.date(), time=start.strftime("%H:%M"))))
    found += requirements.todo_items(platform, actor, today)
    return found
