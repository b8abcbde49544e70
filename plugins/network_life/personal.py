"""A person's own data in the network life (GDPR articles 15, 17 and 20): their meeting
invitations (answers and attendance), the follow-ups they own, and their calendar feed — and
forgetting them when they delete their account: their invitations keep the answer and the
attendance (the meeting's counts stay true) without their name, address or account; the
follow-ups they owned name the pseudonym; their calendar feed goes."""
from __future__ import annotations

from peewee import Value

from plugins.network_life.models import CalendarFeed, Meeting, MeetingFollowUp, MeetingInvitation


def _iso(value):
    return value.isoformat() if value is not None else None


def export(account) -> dict | None:
    invitations = list(MeetingInvitation.select(MeetingInvitation, Meeting).join(Meeting)
                       .where((MeetingInvitation.account == account.id)
                              | (MeetingInvitation.email == account.email.lower()))
                       .order_by(Meeting.starts_at))
    follow_ups = list(MeetingFollowUp.select().where(MeetingFollowUp.owner == account.id).order_by(MeetingFollowUp.id))
    feed = CalendarFeed.get_or_none(CalendarFeed.account == account.id)
    if not (invitations or follow_ups or feed):
        return None
    return {
        "meeting_invitations": [{
            "meeting": invitation.meeting.title, "starts_at": _iso(invitation.meeting.starts_at),
            "name": invitation.name, "email": invitation.email, "response": invitation.response,
            "responded_at": _iso(invitation.responded_at), "attended": invitation.attended,
        } for invitation in invitations],
        "meeting_follow_ups": [{"meeting_id": row.meeting_id, "text": row.text, "due_on": _iso(row.due_on),
                                "done_at": _iso(row.done_at)} for row in follow_ups],
        "calendar_feed": {"created_at": _iso(feed.created_at), "reset_at": _iso(feed.reset_at)} if feed else None,
    }


def forget(account, pseudonym: str) -> None:
    (MeetingInvitation.update(account=None, name="", email=Value(pseudonym + "-").concat(MeetingInvitation.id.cast("TEXT")))
     .where((MeetingInvitation.account == account.id) | (MeetingInvitation.email == account.email.lower()))
     .execute())
    MeetingFollowUp.update(owner=None, owner_name=pseudonym).where(MeetingFollowUp.owner == account.id).execute()
    CalendarFeed.delete().where(CalendarFeed.account == account.id).execute()
