"""The indexes on an offer's municipality and steward leave out offers with none
(``core.scope_indexes``): few offers have a steward, and a full index made SQLite give up the
tenancy condition's OR and read every stale offer of the country for one municipality's to-do."""
from core.scope_indexes import migration

INDEXES = [("catalogue_offer", "municipality_id", "offer_municipality_id"),
           ("catalogue_offer", "steward_id", "offer_steward_id")]


up, down = migration(INDEXES)
