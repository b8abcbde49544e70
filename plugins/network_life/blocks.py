"""What the network life adds to the core's pages, each in a fixed number of queries: the
agreement's action plan and its required meetings, a programme's network meetings, and a
person's next meetings on their own page."""
from __future__ import annotations

import datetime

from core import authz, clock
from core.web.pages import PageBlock
from plugins.network_life import access, calendar, meetings, plans, requirements
from plugins.network_life.config import kind_label, progress_label, settings_of, state_label
from plugins.network_life.models import ActionPlan, Meeting, MeetingInvitation, PlanVersion


def agreement_block(platform, actor, agreement) -> list[PageBlock]:
    settings = settings_of(platform)
    programme_type = agreement.programme.programme_type
    offered = settings.plans_for(programme_type)
    plan = ActionPlan.get_or_none(ActionPlan.agreement == agreement.id) if offered else None
    versions = list(PlanVersion.select().where(PlanVersion.plan == plan.id).order_by(PlanVersion.number)) if plan else []
    latest_statuses = plans.latest_statuses([plan.id]) if plan else {}
    areas = [(area.number, area.title) for area in settings.focus_areas(programme_type)]
    today = datetime.date.today()
    config = settings.for_type(programme_type)
    due = requirements.overdue(platform, [agreement], today) if config.required else []
    upcoming = list(Meeting.select().where(Meeting.programme == agreement.programme_id,
                                           Meeting.organisation == agreement.organisation_id,
                                           Meeting.status == "scheduled", Meeting.ends_at >= clock.now())
                    .order_by(Meeting.starts_at).limit(5))
    context = {
        "nl_offered": offered, "nl_plan": plan, "nl_versions": versions,
        "nl_approved": next((v for v in reversed(versions) if v.state == "approved"), None),
        "nl_latest": versions[-1] if versions else None,
        "nl_statuses": [(number, title, latest_statuses.get((plan.id, number)) if plan else None)
                        for number, title in areas],
        "nl_may_start": offered and plan is None and authz.can(actor, access.PLAN_DRAFT, agreement),
        "nl_overdue": due, "nl_required": config.required, "nl_upcoming": upcoming,
        "nl_may_schedule": authz.can(actor, access.MEETING_MANAGE, agreement.programme),
        "nl_state": state_label, "nl_progress": progress_label, "nl_kind": kind_label, "nl_local": calendar.local,
    }
    return [PageBlock("network_life/agreement_block.html", order=40, context=context)]


def programme_block(platform, actor, programme) -> list[PageBlock]:
    config = settings_of(platform).for_type(programme.programme_type)
    now = clock.now()
    year_start = calendar.to_utc(datetime.date(datetime.date.today().year, 1, 1), datetime.time(0, 0))
    query = Meeting.select().where(Meeting.programme == programme.id, Meeting.organisation.is_null(),
                                   Meeting.status == "scheduled")
    readable = meetings.readable(actor, query) if actor.is_authenticated else None
    upcoming = list(readable.where(Meeting.ends_at >= now).order_by(Meeting.starts_at).limit(5)) if readable else []
    held = (Meeting.select().where(Meeting.programme == programme.id, Meeting.kind == "network",
                                   Meeting.status == "scheduled", Meeting.starts_at >= year_start,
                                   Meeting.starts_at <= now).count())
    return [PageBlock("network_life/programme_block.html", order=45, context={
        "nl_upcoming": upcoming, "nl_held": held, "nl_planned": config.network_meetings_per_year,
        "nl_kind": kind_label, "nl_local": calendar.local, "nl_logged_in": actor.is_authenticated})]


def me_block(platform, actor) -> list[PageBlock]:
    rows = list(MeetingInvitation.select(MeetingInvitation, Meeting).join(Meeting)
                .where(MeetingInvitation.account == actor.account.id, Meeting.ends_at >= clock.now())
                .order_by(Meeting.starts_at).limit(5))
    return [PageBlock("network_life/me_block.html", order=30, context={
        "nl_invitations": rows, "nl_local": calendar.local, "nl_kind": kind_label})]
