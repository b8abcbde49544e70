"""Schemathesis against /api/openapi.json, inside the suite: every operation, generated valid
and invalid input, and no 5xx (plus status codes, content types and response bodies as the
document declares them, for the valid cases).

Reads run with a platform administrator's token (they see everything; reading changes
nothing). Writes run with a sandbox token: the roles that pass every write route's permission
(coordinator and board member) but held for a fresh organisation that owns nothing, so the
generated requests reach the body validation and the rules without touching the demo data.
Bounded: a few examples per operation and mode, so it finishes in seconds.
"""
from __future__ import annotations

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from core import db
from core.models.account import Account, RoleAssignment
from core.rules import registry
from tests.core.api.conftest import new_account, token_for

MAX_EXAMPLES = 12


@pytest.fixture
def sandbox_token(platform):
    with db.connection():
        organisation = registry.create_organisation(platform, {"name": "Schemathesis sandkasse", "kind": "volunteer_centre",
                                                               "municipality": "0265"}, "test")
    email = new_account("volunteer_centre_coordinator", organisation=organisation.slug)
    with db.connection():
        RoleAssignment.create(account=Account.get(Account.email == email), role="board_member",
                              organisation=organisation.id)
    return token_for(email, "schemathesis")


def test_schemathesis_finds_no_server_error(live_server, sandbox_token, capsys):
    schema = schemathesis.openapi.from_url(f"{live_server}/api/openapi.json")
    admin = {"Authorization": f"Bearer {token_for('admin@partnerskab.test', 'schemathesis reads')}"}
    sandbox = {"Authorization": f"Bearer {sandbox_token}"}
    counts: dict[str, int] = {}
    statuses: dict[int, int] = {}
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 22

    for operation in operations:
        headers = admin if operation.method.upper() == "GET" else sandbox
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            checks = [not_a_server_error]
            if mode == schemathesis.GenerationMode.POSITIVE:
                checks += [status_code_conformance, content_type_conformance, response_schema_conformance]

            @hypothesis_settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                                 suppress_health_check=list(HealthCheck),
                                 phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate])
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                counts[operation.label] = counts.get(operation.label, 0) + 1
                response = case.call(base_url=live_server, headers=headers)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                try:
                    case.validate_response(response, checks=checks)
                except Exception as exc:  # collected, so one run reports every operation's problems
                    failures.append(f"{operation.label} [{mode.value}] {response.status_code}: "
                                    f"{str(exc).splitlines()[0][:300]}")

            run()

    total = sum(counts.values())
    with capsys.disabled():
        print(f"\nschemathesis: {total} cases over {len(counts)} operations, "
              f"{len(failures)} failing; statuses {dict(sorted(statuses.items()))}")
    assert not failures, "\n".join(dict.fromkeys(failures))
    assert total >= len(operations) * 5
    assert not any(status >= 500 for status in statuses)
    assert statuses.get(200, 0) > 0 and statuses.get(400, 0) > 0  # both valid and invalid input got through
