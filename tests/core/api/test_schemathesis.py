"""``schemathesis run --checks all`` against /api/openapi.json, inside the suite: every operation,
in every phase (coverage, fuzzing, stateful), with every check schemathesis has (no 5xx, status
codes, content types, headers and bodies as documented, invalid data refused and valid data
accepted, 401 without a token, 405 with ``Allow`` for undocumented methods, ``Allow`` on
``OPTIONS``), and no failure.

Three tokens, so the run neither misses the permissions nor changes the demo data other tests read:

* the platform administrator reads everything (``GET`` only: reading changes nothing);
* a high-privilege writer: a municipality administrator of a sandbox municipality who is also a
  board member of a sandbox association, so every write route's permission passes and the
  generated requests reach body validation and the rules (a sandbox programme with a budget, a
  sign-on fee, an open call and applications), without reaching the demo's rows;
* a low-privilege token (a resource person of an association that has applied for nothing),
  for every operation: what it may not do it is refused, as documented.

``tests/core/api/schemathesis.toml`` holds the one setting that differs from the defaults (a 422
from the rules answers schema-valid data the programme's rules refuse). Bounded: a few examples
per operation, deterministic, so it finishes in about a minute.
"""
from __future__ import annotations

import datetime
import pathlib
import re
import subprocess
import sys
import uuid

import pytest

from core import db
from core.models.account import Account, RoleAssignment
from core.rules import applications, calls, money, registry
from tests.core.api.conftest import new_account, token_for

CONFIG = pathlib.Path(__file__).with_name("schemathesis.toml")
EXAMPLES = "6"
SANDBOX = ("0991", "Schemathesis sandkommune")


def _schemathesis() -> str:
    return str(pathlib.Path(sys.executable).with_name("schemathesis"))


@pytest.fixture(scope="module")
def tokens(app, platform):
    """(platform administrator, sandbox writer, low-privilege) tokens."""
    with db.connection():
        municipality = registry.ensure_municipality(*SANDBOX)
        suffix = uuid.uuid4().hex[:6]
        centre = registry.create_organisation(platform, {"name": f"Sandkasse frivilligcenter {suffix}",
                                                         "kind": "volunteer_centre", "municipality": municipality.code},
                                              "test")
        association = registry.create_organisation(platform, {"name": f"Sandkasse forening {suffix}",
                                                              "kind": "association", "municipality": municipality.code},
                                                   "test")
        idle = registry.create_organisation(platform, {"name": f"Sandkasse stille forening {suffix}",
                                                       "kind": "association", "municipality": municipality.code}, "test")
        today = datetime.date.today()
        programme = registry.create_programme(platform, {
            "name": f"Sandkasseprogram {suffix}", "programme_type": "slagelse-faellesskabsalliancen",
            "municipality": municipality.code, "owner_organisation": centre,
            "start_date": today.replace(month=1, day=1), "end_date": today.replace(year=today.year + 3)}, "test")
        money.set_budget(programme_id=programme.id, year=today.year, amount_ore=10**9, actor="test")
        registry.add_membership(programme=programme, organisation=association, role="partner", joined_on=None,
                                actor="test")
        money.record_sign_on_fee(platform, programme_id=programme.id, organisation_id=association.id,
                                 amount_ore=30_000 * 100, granted_on=today, actor="test")
        call = calls.create_call(platform, programme=programme, data={
            "title": "Sandkasseopslag", "description": "", "opens_on": (today - datetime.timedelta(days=1)).isoformat(),
            "closes_on": (today + datetime.timedelta(days=30)).isoformat(), "questions": ""}, actor="test")
        applications.start_application(platform, call=call, organisation=association, actor="test")
    writer = new_account("municipality_admin", municipality=SANDBOX[0])
    with db.connection():
        RoleAssignment.create(account=Account.get(Account.email == writer), role="board_member",
                              organisation=association.id)
    low = new_account("resource_person", organisation=idle.slug)
    return (token_for("admin@partnerskab.test", "schemathesis reads"), token_for(writer, "schemathesis writes"),
            token_for(low, "schemathesis low"))


def run_schemathesis(live_server: str, token: str, workdir: pathlib.Path, *extra: str) -> subprocess.CompletedProcess:
    """The command line, as a person would run it (its files go to ``workdir``, not the checkout)."""
    return subprocess.run(
        [_schemathesis(), "--config-file", str(CONFIG), "--no-color", "run", f"{live_server}/api/openapi.json",
         "--checks", "all", "-H", f"Authorization: Bearer {token}", "--max-examples", EXAMPLES,
         "--generation-deterministic", "--request-timeout", "20", "--report-dir", str(workdir / "report"), *extra],
        capture_output=True, text=True, timeout=600, cwd=workdir)


@pytest.mark.parametrize("who", ["platform administrator (reads)", "high-privilege writer", "low privilege"])
def test_schemathesis_checks_all_find_nothing(live_server, tokens, who, tmp_path):
    admin, writer, low = tokens
    token, extra = {"platform administrator (reads)": (admin, ("--include-method", "GET")),
                    "high-privilege writer": (writer, ()), "low privilege": (low, ())}[who]
    result = run_schemathesis(live_server, token, tmp_path, *extra)
    summary = result.stdout[result.stdout.rfind("SUMMARY"):]
    assert result.returncode == 0, f"schemathesis ({who}) failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
    tested = re.search(r"Tested: (\d+)", summary)
    assert tested and int(tested.group(1)) >= (18 if extra else 22), summary
    generated = re.search(r"(\d+) generated, (\d+) passed", summary)
    assert generated and generated.group(1) == generated.group(2) and int(generated.group(1)) > 200, summary
