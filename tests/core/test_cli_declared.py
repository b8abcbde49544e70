"""The command line with declared programme types: ``check-config`` names a broken file's line
and field, ``seed`` loads a declaration's [seed] once however often it runs, and the worked
example (config/odense.toml: no plugin at all) checks out."""
from __future__ import annotations

import sqlite3

from tests.core.test_cli import cli  # noqa: F401  (the fixture)


def test_check_config_names_the_file_line_and_field(cli, tmp_path):  # noqa: F811
    broken = tmp_path / "broken.toml"
    broken.write_text('[programme_type]\nkey = "broken-one"\nname.da = "Brudt"\nname.en = "Broken"\n'
                      "agreement_years = 0\n", encoding="utf-8")
    result = cli("check-config", PARTNERSKAB_PROGRAMME_TYPES=str(broken))
    assert result.returncode == 1
    assert f"{broken}, line 5: programme_type.agreement_years: Must be a whole number from 1 to 20, not 0" \
        in result.stdout
    # every other command refuses to start with the same words
    refused = cli("plugins", PARTNERSKAB_PROGRAMME_TYPES=str(broken))
    assert refused.returncode == 1 and "line 5: programme_type.agreement_years" in refused.stderr


def test_the_worked_example_seeds_once(cli, tmp_path):  # noqa: F811
    database = tmp_path / "odense.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{database}", "PARTNERSKAB_CONFIG": "config/odense.toml"}
    assert cli("migrate", **env).returncode == 0
    checked = cli("check-config", **env)
    assert "ok: 0 plugin(s), 1 declared programme type(s), theme 'default', database sqlite" in checked.stdout
    first = cli("seed", **env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "seeded odense-nye-faellesskaber: Nye fællesskaber for unge i Odense (Odense Kommune)"

    def counts():
        with sqlite3.connect(database) as connection:
            return [connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                    for table in ("municipality", "programme", "programme_budget", "audit_entry")]
    assert counts() == [1, 1, 3, 5]
    assert cli("seed", **env).returncode == 0
    assert counts() == [1, 1, 3, 5]  # nothing new, not even an audit row
    with sqlite3.connect(database) as connection:
        assert {row[0] for row in connection.execute("SELECT actor FROM audit_entry")} == {
            "seed:config/programmes/odense.toml"}
