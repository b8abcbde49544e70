"""The index on a programme's owning organisation leaves out programmes with none
(``core.scope_indexes``: a tenancy condition's OR over it stays fast)."""
from core.scope_indexes import migration

INDEXES = [("programme", "owner_organisation_id", "programme_owner_organisation_id")]


up, down = migration(INDEXES)
