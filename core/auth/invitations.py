"""Invitations: a person who governs a place invites someone by email to a role there.

Who may invite whom where is the role-granting table's to say (``core.auth.role_grants``): a
municipality administrator invites into their municipality and the organisations located in
it, a volunteer-centre coordinator only into their own centre, the platform administrator
anywhere; taking part in a programme's network gives no right to invite into an organisation.
Nobody invites their own address, and nobody accepts an invitation they sent.

When the table asks for a second person (a municipality administrator making another), the
invitation waits, unsent, until someone else who may grant that role there, and whose own
grant does not descend from the inviter, confirms it (``confirm``); only then is the mail sent.

The mail carries a single-use link (``core.auth.tokens``, valid 7 days). A person without
an account sets their name and password there (the password policy applies) and is logged
in; a person who already has an account logs in and accepts, and the role is added to it.
The role assignment records who granted it and who confirmed it.
"""
from __future__ import annotations

from core import authz, clock, i18n, mail
from core.auth import accounts, role_grants, tokens
from core.db import database
from core.i18n import gettext as _
from core.models.account import ROLES, Account, RoleAssignment
from core.models.audit import record
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.models.tokens import Invitation
from core.rules.errors import Collector, RuleViolation

ACTION = "account.invite"


class NotAllowed(RuleViolation):
    """The actor does not govern the role or the place they tried to invite into, or tried to
    invite themselves or to take an invitation they sent."""


def role_label(role: str) -> str:
    return {
        "platform_admin": _("Platform administrator"), "municipality_admin": _("Municipality administrator"),
        "consultant": _("Consultant"), "volunteer_centre_coordinator": _("Volunteer-centre coordinator"),
        "resource_person": _("Resource person"), "board_member": _("Board member"),
        "national_coordinator": _("National coordinator"),
    }.get(role, role)


def invitable_roles(actor: authz.Actor) -> list[str]:
    """The roles the actor may hand out somewhere (for the form)."""
    return role_grants.grantable_roles(actor)


def invitable_places(actor: authz.Actor, limit: int = 2000) -> tuple[list[Municipality], list[Organisation]]:
    """The municipalities and organisations the actor may invite into (for the form; the
    submit decides again with the role-granting table)."""
    return role_grants.grantable_places(actor, limit)


def scope_label(municipality, organisation) -> str:
    if municipality is not None:
        return f"municipality:{municipality.id}"  # the id, as every other audit scope (core.tenancy reads ids)
    if organisation is not None:
        return f"organisation:{organisation.id}"
    return ""


def place_name(invitation: Invitation) -> str:
    if invitation.municipality_id:
        return invitation.municipality.name
    if invitation.organisation_id:
        return invitation.organisation.name
    return _("the whole platform")


def _place(invitation: Invitation) -> tuple[Municipality | None, Organisation | None]:
    return (invitation.municipality if invitation.municipality_id else None,
            invitation.organisation if invitation.organisation_id else None)


def invite(platform, actor: authz.Actor, *, email: str, role: str, municipality_code: str | None,
           organisation_ref: str | None, base_url: str) -> Invitation:
    """Check, store the invitation, and send the mail (or, when the role-granting table asks
    for a second person, leave it waiting for their confirmation, unsent). Raises
    ``RuleViolation`` (``NotAllowed`` when the actor does not govern the role or the place, or
    invites their own address) before anything is written."""
    problems = Collector()
    email = accounts.normalise_email(email)
    if not accounts.EMAIL_PATTERN.match(email) or len(email) > 254:
        problems.add("email", "Enter an email address, such as name@example.dk.")
    if role not in ROLES:
        problems.add("role", "Choose a role.")
        problems.raise_if_any()
    municipality, organisation = accounts.resolve_scope(role, municipality_code or None, organisation_ref or None,
                                                        problems)
    problems.raise_if_any()
    if actor.is_authenticated and email == accounts.normalise_email(actor.account.email):
        raise NotAllowed.one("email", "You cannot invite yourself: a role is granted by someone else who "
                                      "governs it.")
    decision = role_grants.decide(actor, role, municipality, organisation)
    if not decision.allowed:
        raise NotAllowed.one("role", "You cannot invite someone to this role there: you can only invite "
                                     "to roles and places you govern yourself.")
    existing = Account.get_or_none(Account.email == email)
    if existing is not None and RoleAssignment.select().where(
            RoleAssignment.account == existing.id, RoleAssignment.role == role,
            RoleAssignment.municipality == (municipality.id if municipality else None),
            RoleAssignment.organisation == (organisation.id if organisation else None)).exists():
        raise RuleViolation.one("email", "%(email)s already has this role there.", email=email)

    token, token_hash, expires_at = tokens.issue(platform.settings, tokens.INVITATION)
    with database.atomic():
        invitation = Invitation.create(token_hash=token_hash, email=email, role=role, municipality=municipality,
                                       organisation=organisation, invited_by=actor.account.id,
                                       expires_at=expires_at, needs_confirmation=decision.needs_confirmation)
        if decision.needs_confirmation:
            record(actor.label, "invitation.awaiting_confirmation", invitation,
                   scope=scope_label(municipality, organisation),
                   after={"email": email, "role": role, "expires_at": expires_at.isoformat(timespec="seconds")})
    if decision.needs_confirmation:
        return invitation  # the link is made and mailed when a second person confirms
    _send(platform, invitation, token, actor.account, base_url)
    return invitation


def _send(platform, invitation: Invitation, token: str, inviter: Account, base_url: str) -> None:
    """Mail the link, then audit it; a mail server's refusal takes the invitation back."""
    municipality, organisation = _place(invitation)
    link = f"{base_url.rstrip('/')}/invitations/{token}"
    with i18n.locale_context(platform.settings.default_locale):
        subject = _("You are invited to %(site)s") % {"site": platform.settings.site_name}
        body = _("Hello,\n\n%(inviter)s has invited you to %(site)s as %(role)s (%(place)s).\n\n"
                 "Open this link to accept the invitation:\n%(link)s\n\n"
                 "The link can be used once and works for 7 days. If you already have an account "
                 "with this email address, log in and the role is added to it.\n\n"
                 "If you did not expect this invitation, you can ignore this mail.\n") % {
            "inviter": inviter.name or inviter.email, "site": platform.settings.site_name,
            "role": role_label(invitation.role), "place": place_name(invitation), "link": link}
    try:
        mail.send(platform, to=invitation.email, subject=subject, body=body)
    except mail.MailError:
        if invitation.needs_confirmation:  # confirmed but not sent: it waits for another confirmation
            Invitation.update(confirmed_by=None, confirmed_at=None).where(Invitation.id == invitation.id).execute()
        else:
            Invitation.delete().where(Invitation.id == invitation.id).execute()
        raise RuleViolation.one("email", "The invitation could not be sent: the mail server did not accept "
                                         "it. Try again later.") from None
    with database.atomic():
        record(f"account:{inviter.id}:{inviter.email}", "invitation.sent", invitation,
               scope=scope_label(municipality, organisation),
               after={"email": invitation.email, "role": invitation.role,
                      "expires_at": invitation.expires_at.isoformat(timespec="seconds"),
                      "confirmed_by": invitation.confirmed_by_id})


# --- a second person confirms ------------------------------------------------------------------

def may_confirm(actor: authz.Actor, invitation: Invitation) -> bool:
    """Someone other than the inviter and the invitee, who may grant the role there through a
    grant that does not descend from the inviter."""
    if not actor.is_authenticated or not invitation.awaiting_confirmation:
        return False
    if accounts.normalise_email(actor.account.email) == invitation.email:
        return False
    municipality, organisation = _place(invitation)
    return role_grants.independent_grantors(actor, invitation.role, municipality, organisation,
                                            invitation.invited_by_id)


def awaiting(actor: authz.Actor, limit: int = 100) -> list[Invitation]:
    """Open invitations waiting for a second person that this actor may confirm (for the
    to-do list and the page that lists them). Few by nature: each is checked in turn."""
    if not actor.is_authenticated or not actor.grants:
        return []
    rows = (Invitation.select().where(Invitation.needs_confirmation == True,  # noqa: E712
                                      Invitation.confirmed_at.is_null(), Invitation.used_at.is_null(),
                                      Invitation.expires_at > clock.now())
            .order_by(Invitation.created_at, Invitation.id).limit(500))
    return [row for row in rows if may_confirm(actor, row)][:limit]


def confirm(platform, actor: authz.Actor, invitation_id, *, base_url: str) -> Invitation:
    """The second person confirms a waiting invitation: a fresh link is made and mailed."""
    try:
        iid = int(invitation_id)
    except (TypeError, ValueError):
        raise RuleViolation.one("invitation", "There is no such invitation waiting.") from None
    invitation = Invitation.get_or_none(Invitation.id == iid)
    if (invitation is None or not invitation.awaiting_confirmation or invitation.used_at is not None
            or invitation.expires_at <= clock.now()):
        raise RuleViolation.one("invitation", "There is no such invitation waiting.")
    if actor.is_authenticated and actor.account.id == invitation.invited_by_id:
        raise NotAllowed.one("invitation", "You asked for this invitation: someone else must confirm it.")
    if not may_confirm(actor, invitation):
        raise NotAllowed.one("invitation", "You cannot confirm this invitation: it needs someone who may grant "
                                           "the role there and whose own role was not granted by the inviter.")
    token, token_hash, expires_at = tokens.issue(platform.settings, tokens.INVITATION)
    municipality, organisation = _place(invitation)
    with database.atomic():
        now = clock.now()
        claimed = (Invitation.update(confirmed_by=actor.account.id, confirmed_at=now, token_hash=token_hash,
                                     expires_at=expires_at)
                   .where(Invitation.id == invitation.id, Invitation.confirmed_at.is_null(),
                          Invitation.used_at.is_null()).execute())
        if claimed != 1:
            raise RuleViolation.one("invitation", "There is no such invitation waiting.")
        invitation = Invitation.get_by_id(invitation.id)
        record(actor.label, "invitation.confirmed", invitation, scope=scope_label(municipality, organisation),
               after={"email": invitation.email, "role": invitation.role, "invited_by": invitation.invited_by_id})
    inviter = Account.get_or_none(Account.id == invitation.invited_by_id) or actor.account
    _send(platform, invitation, token, inviter, base_url)
    return invitation


# --- accepting ---------------------------------------------------------------------------------

def load(settings, token: str) -> Invitation:
    """The open invitation a link names; raises ``tokens.TokenProblem`` (invalid, expired, used)."""
    token_hash = tokens.verify(settings, tokens.INVITATION, token)
    invitation = Invitation.get_or_none(Invitation.token_hash == token_hash)
    tokens.check_row(invitation)
    return invitation


def _inviter_still_may(invitation: Invitation) -> bool:
    """Does the inviter still hold a role that lets them grant this one there? (A role taken
    from them, or their account closed, since they sent it ends what they sent.)"""
    if invitation.invited_by_id is None:
        return True  # made by an operator
    inviter = Account.get_or_none(Account.id == invitation.invited_by_id)
    if inviter is None or not inviter.active:
        return False
    from core.auth.web import grants_of
    actor = authz.Actor(authz.PermissionTable({}), inviter, grants_of(inviter))
    return role_grants.decide(actor, invitation.role, *_place(invitation)).allowed


def refuse_inviter(invitation: Invitation, account: Account | None) -> None:
    """Nobody accepts an invitation they sent, one still waiting for its second person, or one
    whose inviter may no longer grant the role."""
    if account is not None and account.id == invitation.invited_by_id:
        raise NotAllowed.one("invitation", "You sent this invitation: only the person it is for can accept it, "
                                           "logged in as themselves.")
    if invitation.awaiting_confirmation:
        raise NotAllowed.one("invitation", "This invitation is still waiting for a second person's confirmation.")
    if not _inviter_still_may(invitation):
        raise NotAllowed.one("invitation", "This invitation no longer holds: the person who sent it may no longer "
                                           "grant this role.")


def _claim(invitation: Invitation, account_id: int | None = None) -> None:
    """Mark the invitation used, inside the caller's transaction; a second claim fails."""
    claimed = (Invitation.update(used_at=clock.now(), accepted_by=account_id)
               .where(Invitation.id == invitation.id, Invitation.used_at.is_null()).execute())
    if claimed != 1:
        raise tokens.TokenProblem(tokens.USED)


def accept_new(invitation: Invitation, *, name: str, password: str, password_again: str,
               logged_in: Account | None = None) -> Account:
    """Create the invited person's account with the role; the invitation is used up.
    ``logged_in`` is whoever is logged in in the browser that accepts (never the inviter)."""
    refuse_inviter(invitation, logged_in)
    problems = Collector()
    if not name.strip():
        problems.add("name", "Enter your name.")
    if password != password_again:
        problems.add("password_again", "The two passwords are not the same.")
    problems.raise_if_any()
    actor = f"invitation:{invitation.id}"
    with database.atomic():
        _claim(invitation)
        account = accounts.create_account(
            email=invitation.email, name=name[:200], password=password, role=invitation.role,
            municipality_code=invitation.municipality.code if invitation.municipality_id else None,
            organisation_ref=invitation.organisation.slug if invitation.organisation_id else None, actor=actor,
            granted_by=invitation.invited_by_id, confirmed_by=invitation.confirmed_by_id)
        Invitation.update(accepted_by=account.id).where(Invitation.id == invitation.id).execute()
        record(f"account:{account.id}:{account.email}", "invitation.accepted", invitation,
               scope=scope_label(*_place(invitation)),
               after={"email": account.email, "role": invitation.role, "new_account": True})
    return account


def accept_existing(invitation: Invitation, account: Account) -> None:
    """Add the invited role to the logged-in account the invitation was sent to."""
    refuse_inviter(invitation, account)
    if account.email != invitation.email:
        raise NotAllowed.one("email", "This invitation was sent to another email address.")
    municipality, organisation = _place(invitation)
    label = f"account:{account.id}:{account.email}"
    with database.atomic():
        _claim(invitation, account.id)
        held = RoleAssignment.select().where(
            RoleAssignment.account == account.id, RoleAssignment.role == invitation.role,
            RoleAssignment.municipality == invitation.municipality_id,
            RoleAssignment.organisation == invitation.organisation_id).exists()
        if not held:
            assignment = RoleAssignment.create(account=account.id, role=invitation.role,
                                               municipality=invitation.municipality_id,
                                               organisation=invitation.organisation_id,
                                               granted_by_id=invitation.invited_by_id,
                                               confirmed_by_id=invitation.confirmed_by_id)
            record(label, "role.grant", assignment, scope=scope_label(municipality, organisation),
                   after={"account": account.email, "role": invitation.role, "invitation": invitation.id,
                          "granted_by": invitation.invited_by_id, "confirmed_by": invitation.confirmed_by_id})
        record(label, "invitation.accepted", invitation, scope=scope_label(municipality, organisation),
               after={"email": account.email, "role": invitation.role, "new_account": False})
