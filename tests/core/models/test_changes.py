"""Change numbers and tombstones on shareable rows."""
from __future__ import annotations

import uuid

import pytest

from core.db import database
from core.models import Organisation
from core.models.changes import next_change_number
from core.rules import registry


def test_change_numbers_are_taken_only_inside_a_transaction(dbconn):
    with pytest.raises(RuntimeError, match="inside a write transaction"):
        next_change_number()
    with database.atomic():
        first = next_change_number()
        second = next_change_number()
    assert second == first + 1


def test_every_write_gets_a_higher_change_number_and_delete_leaves_a_tombstone(platform, dbconn):
    organisation = registry.create_organisation(
        platform, {"name": f"Ændringsforening {uuid.uuid4().hex[:8]}", "kind": "association"}, "test")
    created = Organisation.get_by_id(organisation.id).change_number
    registry.update_organisation(platform, organisation, {"name": organisation.name, "kind": "other"}, "test")
    updated = Organisation.get_by_id(organisation.id).change_number
    assert updated > created > 0
    with database.atomic():
        organisation.soft_delete()
    stored = Organisation.get_by_id(organisation.id)
    assert stored.deleted_at is not None and stored.change_number > updated
    assert not Organisation.live().where(Organisation.id == organisation.id).exists()
    assert Organisation.select().where(Organisation.id == organisation.id).exists()
