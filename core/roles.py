"""Roles as people see them: the name of each role in the reader's language, and whether a
person works for a municipality or a volunteer centre (staff, who manage programmes and
follow associations) or for an association (who keep their own organisation's profile and
see their own agreement).

The pages use this to fit their words to the reader: the header's link to ``/manage`` says
"Manage" to staff and "Our organisation" to an association's people, the agreement list is
"Our agreements" to them, and only a consultant is offered a caseload. What anyone may do
is still decided by ``core.authz.can``; this module only chooses words.
"""
from __future__ import annotations

from core.i18n import gettext as _

STAFF_ROLES = frozenset({"platform_admin", "municipality_admin", "consultant", "volunteer_centre_coordinator"})
ASSOCIATION_ROLES = frozenset({"resource_person", "board_member"})


def role_label(role: str) -> str:
    """A role key ('board_member') as the reader's words ('Bestyrelsesmedlem')."""
    labels = {
        "platform_admin": _("Platform administrator"), "municipality_admin": _("Municipality administrator"),
        "consultant": _("Consultant"), "volunteer_centre_coordinator": _("Volunteer-centre coordinator"),
        "resource_person": _("Resource person"), "board_member": _("Board member"),
        "national_coordinator": _("National coordinator"),
    }
    return labels.get(role, _("Other role"))


def roles_of(actor) -> frozenset[str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return frozenset()
    return frozenset(actor.roles)


def is_staff(actor) -> bool:
    """Works for a municipality or a volunteer centre (or runs the platform)."""
    return bool(roles_of(actor) & STAFF_ROLES)


def is_association_only(actor) -> bool:
    """Holds roles in an association and no staff role: sees their own organisation's things."""
    roles = roles_of(actor)
    return bool(roles & ASSOCIATION_ROLES) and not roles & STAFF_ROLES


def follows_associations(actor) -> bool:
    """May be an agreement's consultant (``core.rules.agreements.consultants_for``), so a caseload
    means something to them."""
    return "consultant" in roles_of(actor)


def manage_link_label(actor) -> str:
    """The header's link to /manage, in words that fit the person."""
    return _("Our organisation") if is_association_only(actor) else _("Manage")
