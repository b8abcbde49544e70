"""The indexes on a meeting's and an invitation's organisation leave out the rows with none
(``core.scope_indexes``: a tenancy condition's OR over them stays fast)."""
from core.scope_indexes import migration

INDEXES = [("network_life_meeting", "organisation_id", "meeting_organisation_id"),
           ("network_life_meeting_invitation", "organisation_id", "meetinginvitation_organisation_id")]


up, down = migration(INDEXES)
