"""Invitations through the API: the same rule as the invitation form (``core.auth.invitations``,
which asks the role-granting table ``core.auth.role_grants``), so a token can grant no more
than its person could on the page: a refusal is a 403 problem, nothing is written or sent."""
from __future__ import annotations

from core.api.base import ApiProblem, DATETIME, INT, STR, iso, nullable, obj, operation
from core.auth import invitations
from core.models.account import ROLES

INVITATION = obj({
    "id": INT, "email": STR, "role": {"type": "string", "enum": list(ROLES)},
    "municipality_id": nullable(INT), "organisation_id": nullable(INT),
    "status": {"type": "string", "enum": ["sent", "awaiting_confirmation"]}, "expires_at": nullable(DATETIME),
})
INVITE_BODY = {
    "type": "object", "additionalProperties": False, "required": ["email", "role"],
    "properties": {
        "email": {"type": "string", "minLength": 3, "maxLength": 254},
        "role": {"type": "string", "enum": list(ROLES)},
        "municipality": {"type": "string", "maxLength": 10,
                         "description": "The municipality's code, for municipality administrators and consultants"},
        "organisation": {"type": "string", "maxLength": 200,
                         "description": "The organisation's CVR number or short name, for coordinators, "
                                        "resource persons and board members"},
    },
}


def invitation_json(row) -> dict:
    return {"id": row.id, "email": row.email, "role": row.role, "municipality_id": row.municipality_id,
            "organisation_id": row.organisation_id,
            "status": "awaiting_confirmation" if row.awaiting_confirmation else "sent",
            "expires_at": iso(row.expires_at)}


def invite(call):
    """As the invitation form: mailed at once, or waiting for a second person's confirmation."""
    from core.views.password_reset import link_base
    body = call.body
    try:
        row = invitations.invite(call.platform, call.actor, email=body["email"], role=body["role"],
                                 municipality_code=body.get("municipality") or None,
                                 organisation_ref=body.get("organisation") or None,
                                 base_url=link_base(call.request))
    except invitations.NotAllowed as exc:
        raise ApiProblem(403, "Forbidden", " ".join(exc.messages()), slug="forbidden", errors=exc.by_field()) from None
    return 201, invitation_json(row)


def routes():
    return [
        operation("POST", "/api/v1/invitations", invite, permission=invitations.ACTION, tag="accounts",
                  summary="Invite someone to a role you may grant (the role-granting table decides)",
                  body=INVITE_BODY, response=INVITATION, status=201, extra_statuses=(422,)),
    ]
