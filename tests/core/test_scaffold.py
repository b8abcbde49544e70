"""``partnerskab new-plugin NAME``: the plugin it writes passes the contract tests and its own
tests once it is enabled — shown in a copy of the tree, so this checkout stays as it is."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from core import scaffold
from core.settings import ROOT


def clean_environment(**extra: str) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("PARTNERSKAB_")
                   and key not in {"DATABASE_URL", "SECRET_KEY", "PORT", "TEST_DATABASE_URL", "PYTHONPATH"}}
    environment.update(extra)
    return environment


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """A copy of the project's files (tracked and new, not ignored ones: no venv, no instance)."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode().split("\0")
    copy = tmp_path_factory.mktemp("tree")
    for relative in filter(None, listed):
        source = ROOT / relative
        if source.is_file():
            target = copy / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return copy


def test_a_new_plugin_passes_the_contract_tests_when_enabled(tree, tmp_path):
    environment = clean_environment(PYTHONPATH=str(tree), PARTNERSKAB_INSTANCE_DIR=str(tmp_path / "instance"))
    made = subprocess.run([sys.executable, "-m", "core.cli", "new-plugin", "vejle", "--municipality-code", "630",
                           "--region", "Region Syddanmark"], cwd=tree, env=environment, capture_output=True,
                          text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    for relative in ("plugins/vejle/__init__.py", "plugins/vejle/locale/da/LC_MESSAGES/messages.po",
                     "tests/plugins/test_vejle.py", "plugins/vejle/migrations/0001_activity.py"):
        assert f"created {relative}" in made.stdout
        assert (tree / relative).is_file()
    from core import settings as settings_module
    demo_plugins = settings_module.read_file(settings_module.DEFAULT_CONFIG)["plugins"]
    listed = ", ".join(f'"{name}"' for name in [*demo_plugins, "vejle"])
    assert f"plugins = [{listed}]" in made.stdout  # the configuration's list, the new plugin last
    enabled = re.search(r"PARTNERSKAB_PLUGINS=(\S+)", made.stdout).group(1)
    assert not (ROOT / "plugins" / "vejle").exists()  # only the copy got it
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/plugins/test_contract.py", "tests/plugins/test_vejle.py", "-v",
         "-p", "no:cacheprovider"],
        cwd=tree, env={**environment, "PARTNERSKAB_PLUGINS": enabled}, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    for test in ("test_the_catalogue_is_complete[vejle]", "test_demo_data_loaded_again_changes_nothing[vejle]",
                 "test_its_programme_pages_render[vejle]", "test_its_criteria_are_asked_on_the_application_form[vejle]",
                 "test_vejle.py::test_a_grant_needs_an_activity_that_year",
                 "test_vejle.py::test_a_board_member_reports_an_activity_through_the_api",
                 "test_vejle.py::test_the_programme_page_shows_the_activities_block",
                 "test_vejle.py::test_the_consultant_sees_partners_without_an_activity"):
        assert re.search(rf"{re.escape(test)} PASSED", result.stdout), test
    # only a capability plugin with no programme type of its own (federation, knowledge, the
    # catalogue, ...) may skip the programme contracts: never the new one, never a municipality's
    municipalities = ("copenhagen", "roskilde", "slagelse", "hillerod", "vejle")
    skipped = [line for line in result.stdout.splitlines() if " SKIPPED" in line]
    assert skipped and not [line for line in skipped if any(f"[{name}]" in line for name in municipalities)], skipped


def test_the_contract_notices_a_missing_danish_text(tmp_path):
    from tests.plugins.test_contract import missing_danish
    scaffold.create(tmp_path, "vejle", code="0630")
    folder = tmp_path / "plugins" / "vejle"
    assert missing_danish(folder) == {}
    catalogue = folder / "locale" / "da" / "LC_MESSAGES" / "messages.po"
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text.replace('msgstr "Partnere uden en aktivitet i år"', 'msgstr ""'), encoding="utf-8")
    assert list(missing_danish(folder)) == ["Partners without an activity this year"]


@pytest.mark.parametrize("name, message", [("Vejle", "cannot be a plugin's name"), ("class", "cannot be"),
                                           ("v", "cannot be"), ("core", "is taken"), ("roskilde", "is taken")])
def test_new_plugin_refuses_a_bad_or_taken_name(tmp_path, name, message):
    with pytest.raises(scaffold.ScaffoldError, match=message):
        scaffold.create(tmp_path, name, taken={"roskilde"})
    assert not (tmp_path / "plugins").exists()


def test_new_plugin_refuses_to_overwrite(tmp_path):
    scaffold.create(tmp_path, "vejle")
    with pytest.raises(scaffold.ScaffoldError, match="exists already"):
        scaffold.create(tmp_path, "vejle")
    with pytest.raises(scaffold.ScaffoldError, match="municipality code"):
        scaffold.create(tmp_path, "fredericia", code="12345")
    with pytest.raises(scaffold.ScaffoldError, match="one line"):
        scaffold.create(tmp_path, "kolding", title='Kolding"; import os')


def test_the_command_line_says_what_is_wrong(tmp_path):
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "partnerskab"), "new-plugin", "roskilde", "--root",
                             str(tmp_path)], cwd=ROOT, env=clean_environment(), capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2 and "error: 'roskilde' is taken" in result.stderr
