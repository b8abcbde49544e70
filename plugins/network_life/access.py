"""Who may do what in the network life: the plugin's actions, granted to the core's roles, and
the audit log's words for what it records.

The association's own people (resource persons, board members) draft and submit their action
plan; a consultant of the municipality gives feedback; the municipality's administrator (or
the volunteer centre that owns the programme) approves. Statuses are recorded by both sides.
Staff schedule meetings; everyone logged in answers the invitations sent to them.
"""
from __future__ import annotations

from core import audit_labels
from core.i18n import lazy_gettext as _

PLAN_READ = "action_plan.read"
PLAN_DRAFT = "action_plan.draft"
PLAN_FEEDBACK = "action_plan.feedback"
PLAN_APPROVE = "action_plan.approve"
PLAN_STATUS = "action_plan.status"
MEETING_READ = "meeting.read"
MEETING_MANAGE = "meeting.manage"
MEETING_RSVP = "meeting.rsvp"

PERMISSIONS = {
    "resource_person": [PLAN_READ, PLAN_DRAFT, PLAN_STATUS, MEETING_READ],
    "board_member": [PLAN_READ, PLAN_DRAFT, PLAN_STATUS, MEETING_READ],
    "consultant": [PLAN_READ, PLAN_FEEDBACK, PLAN_STATUS, MEETING_READ, MEETING_MANAGE],
    "municipality_admin": [PLAN_READ, PLAN_APPROVE, PLAN_STATUS, MEETING_READ, MEETING_MANAGE],
    "volunteer_centre_coordinator": [PLAN_READ, PLAN_FEEDBACK, PLAN_APPROVE, PLAN_STATUS, MEETING_READ,
                                     MEETING_MANAGE],
    # anyone logged in answers their own invitations (``core.authz``: for their own rows only)
    "authenticated": [MEETING_RSVP],
}

FAMILY = "network_life"
HEADING = _("Action plans and meetings")
ACTIONS = {
    "action_plan.create": _("started an action plan"),
    "action_plan.version": _("started a new version of an action plan"),
    "action_plan.save": _("changed a draft action plan"),
    "action_plan.import": _("imported an action plan from a spreadsheet"),
    "action_plan.submit": _("submitted an action plan"),
    "action_plan.feedback": _("gave feedback on an action plan"),
    "action_plan.approve": _("approved an action plan"),
    "action_plan.status": _("recorded the status of an action plan"),
    "meeting.create": _("scheduled a meeting"),
    "meeting.update": _("changed a meeting"),
    "meeting.cancel": _("cancelled a meeting"),
    "meeting.invite": _("invited people to a meeting"),
    "meeting.rsvp": _("answered a meeting invitation"),
    "meeting.attendance": _("recorded who came to a meeting"),
    "meeting.minutes": _("wrote a meeting's minutes"),
    "calendar.reset": _("made a new calendar feed address"),
}
OBJECT_TYPES = {
    "actionplan": _("Action plan"), "planversion": _("Action plan version"), "plangoal": _("Goal"),
    "planindicator": _("Indicator"), "planstatus": _("Status"), "meeting": _("Meeting"),
    "meetinginvitation": _("Meeting invitation"), "meetingminutes": _("Minutes"), "calendarfeed": _("Calendar feed"),
}


def register_labels() -> None:
    for action, label in ACTIONS.items():
        audit_labels.register_action(action, label, FAMILY, HEADING)
    for object_type, label in OBJECT_TYPES.items():
        audit_labels.OBJECT_TYPE_LABELS.setdefault(object_type, label)
