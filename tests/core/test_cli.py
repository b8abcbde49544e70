"""The ``partnerskab`` command, run as a real subprocess against the test database."""
from __future__ import annotations

import datetime
import os
import subprocess
import sys
import uuid

import pytest
from stdnum.dk import cvr as stdnum_cvr

from core.models import (AuditEntry, Grant, Membership, Municipality, Organisation, Programme,
                         ProgrammeBudget, SignOnFee)
from core.rules import money, registry
from core.settings import DEFAULT_CONFIG, ROOT

EXE = ROOT / ".venv" / "bin" / "partnerskab"
SLAGELSE_TYPE = "slagelse-faellesskabsalliancen"


@pytest.fixture
def cli(settings, app, tmp_path):
    """Run the command with the test database; returns the CompletedProcess."""
    base = {key: value for key, value in os.environ.items()
            if not key.startswith("PARTNERSKAB_") and key not in {"DATABASE_URL", "SECRET_KEY", "PORT"}}
    base.update(PARTNERSKAB_CONFIG=str(DEFAULT_CONFIG), DATABASE_URL=settings.database_url,
                PARTNERSKAB_INSTANCE_DIR=str(tmp_path / "instance"))

    def run(*args: str, module: bool = False, **env: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "core.cli", *args] if module else [str(EXE), *args]
        result = subprocess.run(command, cwd=ROOT, env={**base, **env}, capture_output=True, text=True,
                                timeout=120)
        assert "Traceback" not in result.stdout + result.stderr, result.stderr
        return result

    return run


def table_counts() -> dict[str, int]:
    models = (Municipality, Organisation, Programme, ProgrammeBudget, Membership, SignOnFee, Grant, AuditEntry)
    return {model.__name__: model.select().count() for model in models}


def test_plugins_lists_versions_and_hooks(cli):
    result = cli("plugins")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    names = [line.split()[0] for line in lines if not line.startswith(" ")]
    assert names == ["copenhagen", "roskilde", "slagelse", "hillerod", "federation"]
    for name in names:
        assert f"{name} 1.0.0" in lines
    hooks = [line.strip() for line in lines if line.startswith("    hooks:")]
    assert len(hooks) == 5
    assert all("register_programme_types" in line and "load_demo_data" in line for line in hooks[:4])
    assert "register_routes" in hooks[4] and "register_migrations" in hooks[4]
    assert "core " not in result.stdout
    assert cli("plugins", "--all").stdout.splitlines()[-2].startswith("core ")


def test_plugins_follow_the_configuration(cli):
    result = cli("plugins", PARTNERSKAB_PLUGINS="hillerod,slagelse")
    assert [line.split()[0] for line in result.stdout.splitlines() if not line.startswith(" ")] == \
        ["hillerod", "slagelse"]


def test_check_config_ok(cli, settings):
    result = cli("check-config")
    assert result.returncode == 0, result.stdout
    assert f"configuration: {DEFAULT_CONFIG}" in result.stdout
    backend = "postgresql" if settings.database_url.startswith("postgres") else "sqlite"
    assert f"ok: 5 plugin(s), theme 'default', database {backend}" in result.stdout
    assert "problem" not in result.stdout


def test_check_config_unknown_plugin(cli):
    result = cli("check-config", PARTNERSKAB_PLUGINS="slagelse,nowhere-plugin")
    assert result.returncode == 1
    assert "problem: unknown plugin(s) nowhere-plugin" in result.stdout
    assert "slagelse" in result.stdout  # the available plugins are listed


def test_other_commands_refuse_an_unknown_plugin(cli):
    result = cli("plugins", PARTNERSKAB_PLUGINS="nowhere-plugin")
    assert result.returncode == 1
    assert "configuration problem: unknown plugin(s) nowhere-plugin" in result.stderr
    assert "check-config" in result.stderr


def test_check_config_unknown_option_in_file(cli, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('site_nmae = "x"\n')
    result = cli("--config", str(path), "check-config")
    assert result.returncode == 1
    assert "problem: bad.toml: unknown option(s) site_nmae" in result.stdout


def test_check_config_unreachable_database(cli):
    result = cli("check-config", DATABASE_URL="postgresql://x:hemmeligt@127.0.0.1:1/x")
    assert result.returncode == 1
    assert "problem: the database at postgresql://x:***@127.0.0.1:1/x is unreachable" in result.stdout
    assert "hemmeligt" not in result.stdout + result.stderr


@pytest.mark.parametrize("command", [["migrate"], ["demo"],
                                     ["fee", "record", "--programme", "x", "--organisation", "y", "--amount", "1"]])
def test_commands_with_an_unreachable_database_say_so(cli, command):
    result = cli(*command, DATABASE_URL="postgresql://x:hemmeligt@127.0.0.1:1/x")
    assert result.returncode == 1
    assert result.stderr.startswith("error: the database at postgresql://x:***@127.0.0.1:1/x could not be used")
    assert "hemmeligt" not in result.stdout + result.stderr


def test_migrate_is_idempotent(cli):
    for _ in range(2):
        result = cli("migrate")
        assert result.returncode == 0
        assert result.stdout.strip() == "database is up to date"


def test_demo_twice_changes_nothing(cli, dbconn):
    before = table_counts()
    for _ in range(2):
        result = cli("demo", module=True)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("demo data loaded: ")
        assert table_counts() == before


def test_demo_refused_outside_a_demo(cli):
    result = cli("demo", PARTNERSKAB_DEMO="false", SECRET_KEY="k", PARTNERSKAB_BASE_URL="https://partnerskab.example.dk")
    assert result.returncode == 1
    assert "not a demo" in result.stderr


# --- fee record -------------------------------------------------------------------------------

def _valid_cvr() -> str:
    while True:
        stem = str(uuid.uuid4().int % 9_000_000 + 1_000_000)
        for digit in "0123456789":
            if stdnum_cvr.is_valid(stem + digit):
                return stem + digit


@pytest.fixture
def network(platform, dbconn):
    """A Fællesskabsalliancen-type programme in Slagelse with a new member organisation.

    The programme is the test's own, so the demo programme's figures stay as the plugin loads them.
    """
    suffix = uuid.uuid4().hex[:8]
    centre = registry.create_organisation(platform, {"name": f"CLI Frivilligcenter {suffix}",
                                                     "kind": "volunteer_centre", "municipality": "0330"}, "test")
    programme = registry.create_programme(platform, {
        "name": f"CLI Fællesskabsalliancen {suffix}", "programme_type": SLAGELSE_TYPE, "municipality": "0330",
        "owner_organisation": centre, "start_date": "2023-01-01", "end_date": "2026-12-31"}, "test")
    money.set_budget(programme_id=programme.id, year=2024, amount_ore=1_200_000 * 100, actor="test")
    organisation = registry.create_organisation(platform, {
        "name": f"CLI Foreningen {suffix}", "kind": "association", "municipality": "0330",
        "cvr": _valid_cvr()}, "test")
    registry.add_membership(programme=programme, organisation=organisation, role="partner",
                            joined_on=datetime.date(2024, 1, 1), actor="test")
    return programme, organisation


def fee_rows(programme) -> list[SignOnFee]:
    return list(SignOnFee.select().where(SignOnFee.programme == programme.id))


def record(cli, programme, organisation, amount, date="2024-04-02", **env):
    return cli("fee", "record", "--programme", programme.slug if hasattr(programme, "slug") else programme,
               "--organisation", organisation, "--amount", amount, "--date", date, "--note", "via cli", **env)


def test_fee_record_happy_path(cli, network):
    programme, organisation = network
    result = record(cli, programme, organisation.slug, "30.000")
    assert result.returncode == 0, result.stderr
    [row] = fee_rows(programme)
    assert result.stdout.strip() == (f"recorded sign-on fee #{row.id}: 30.000 kr. to {organisation.name} "
                                     f"in {programme.name} (2024-04-02)")
    assert (row.organisation_id, row.amount_ore, row.granted_on, row.note) == \
        (organisation.id, 3_000_000, datetime.date(2024, 4, 2), "via cli")
    [entry] = AuditEntry.select().where(AuditEntry.action == "sign_on_fee.create",
                                        AuditEntry.object_id == str(row.id))
    assert entry.actor.startswith("cli:")


def test_fee_record_by_cvr(cli, network):
    programme, organisation = network
    result = record(cli, programme, organisation.cvr, "12.345,67")
    assert result.returncode == 0, result.stderr
    assert "recorded" in result.stdout
    assert [row.amount_ore for row in fee_rows(programme)] == [1_234_567]


@pytest.mark.parametrize("amount, field, words", [
    ("30,000.01", "amount", "DKK 30,000.01 is above the sign-on fee cap of DKK 30,000"),
    ("30001", "amount", "above the sign-on fee cap"),
    ("tredive tusind", "amount", "is not an amount in kroner"),
    ("-500", "amount", "must be positive"),
    ("0", "amount", "must be positive"),
    ("1.234", "amount", "at most two decimals"),
])
def test_fee_record_bad_amount(cli, network, amount, field, words):
    programme, organisation = network
    audit_before = AuditEntry.select().count()
    result = record(cli, programme, organisation.slug, amount, PARTNERSKAB_DEFAULT_LOCALE="en")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {field}: ")
    assert words in result.stderr
    assert fee_rows(programme) == []
    assert AuditEntry.select().count() == audit_before


def test_fee_record_unknown_programme_organisation_and_date(cli, network):
    programme, organisation = network
    result = record(cli, "no-such-programme", organisation.slug, "100", PARTNERSKAB_DEFAULT_LOCALE="en")
    assert (result.returncode, result.stderr.strip()) == (2, "error: programme: There is no programme no-such-programme")
    result = record(cli, programme, "no-such-organisation", "100", PARTNERSKAB_DEFAULT_LOCALE="en")
    assert (result.returncode, result.stderr.strip()) == \
        (2, "error: organisation: There is no organisation no-such-organisation")
    result = record(cli, programme, "12345678", "100", PARTNERSKAB_DEFAULT_LOCALE="en")
    assert result.returncode == 2 and result.stderr.startswith("error: cvr: '12345678' is not a valid CVR number")
    result = record(cli, programme, organisation.slug, "100", date="02-04-2024", PARTNERSKAB_DEFAULT_LOCALE="en")
    assert (result.returncode, result.stderr.strip()) == \
        (2, "error: granted_on: '02-04-2024' is not a date (YYYY-MM-DD)")
    result = record(cli, programme, organisation.slug, "100", date="2027-01-01", PARTNERSKAB_DEFAULT_LOCALE="en")
    assert result.returncode == 2 and "error: granted_on: 2027-01-01 is outside the programme's period" in result.stderr
    assert fee_rows(programme) == []


def test_fee_record_second_fee_is_refused(cli, network):
    programme, organisation = network
    assert record(cli, programme, organisation.slug, "10000").returncode == 0
    audit_before = AuditEntry.select().count()
    result = record(cli, programme, organisation.slug, "5000", date="2024-05-01", PARTNERSKAB_DEFAULT_LOCALE="en")
    assert result.returncode == 2
    assert result.stderr.strip() == (f"error: organisation: {organisation.name} already has 1 sign-on fee(s) "
                                     "in this programme; the programme type allows 1")
    assert [row.amount_ore for row in fee_rows(programme)] == [1_000_000]
    assert AuditEntry.select().count() == audit_before


@pytest.mark.parametrize("amount", ["30.000,01", "abc", "-1", "1,234"])
def test_fee_record_reads_danish_amounts_by_default(cli, network, amount):
    programme, organisation = network
    result = record(cli, programme, organisation.slug, amount)
    assert result.returncode == 2 and result.stderr.startswith("error: amount: ")
    assert amount in result.stderr or "30.000,01 kr." in result.stderr
    assert fee_rows(programme) == []


def test_fee_record_requires_its_arguments(cli):
    result = cli("fee", "record", "--programme", "x")
    assert result.returncode == 2
    assert "the following arguments are required: --organisation, --amount" in result.stderr
