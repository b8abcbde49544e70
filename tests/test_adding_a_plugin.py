"""Adding a capability touches no existing file but the configuration's list.

A copy of the project gets a throw-away plugin folder (a programme type with its Danish
catalogue and demo data) and a throw-away programme type declared in TOML (with its seed), and
``config/default.toml`` enables both; then the copy's own test suite runs — a subprocess with
the copy's code (the current directory comes first on ``sys.path``; the ``partnerskab`` command
is the copy's ``python -m core.cli``) on a SQLite file of its own: the plugin tests, the
settings, programme types, catalogues, scope, the programme pages, the demo data (loaded twice
changes nothing) and the throw-away plugin's own test that its pages render. Nothing else in the copy is changed. (The whole suite in such a
copy is the same check, only slower; it passed when this test was written, apart from tests that
read files beside the project, ``../shared``, which a copy elsewhere does not have.)
"""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import uuid
from pathlib import Path

from core.settings import ROOT

_IGNORED_NAMES = shutil.ignore_patterns(".venv", ".git", "instance", "__pycache__", ".pytest_cache", "*.egg-info",
                                        "node_modules", "pgdata", ".hypothesis", ".schemathesis*", "build", "dist")


def IGNORED(directory: str, names: list[str]) -> set[str]:
    """What the copy leaves out: what git ignores (a running PostgreSQL's data directory under
    ``.ci/pgdata`` holds a socket, which cannot be copied) and anything not a file or folder."""
    skipped = set(_IGNORED_NAMES(directory, names))
    for name in names:
        mode = os.lstat(os.path.join(directory, name)).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode)):
            skipped.add(name)
    return skipped

PLUGIN = '''\
"""A throw-away plugin: one programme type and its demo data, nothing else."""
import datetime

from core.hookspecs import hookimpl
from core.i18n import lazy_gettext as _
from core.programme_types import Criterion, ProgrammeType

__version__ = "0.0.1"

TYPE_KEY = "throwaway-plugin-type"
PROGRAMME_TYPE = ProgrammeType(
    key=TYPE_KEY, name=_("Throw-away partnerships"), plugin="throwaway",
    summary=_("A programme type that exists only in a test."),
    grant_per_partner_per_year_ore=50_000 * 100, agreement_years=2, target_groups=("adults",),
    criteria=(Criterion("throwaway", _("Takes part in the test"), question=_("Does it take part in the test?"),
                        answer="yes_no"),),
)


@hookimpl
def register_programme_types():
    return [PROGRAMME_TYPE]


@hookimpl
def load_demo_data(platform):
    from core.demo import Demo
    demo = Demo(platform)
    demo.municipality("0997", "Engangskommune", "Region Test")
    programme = demo.programme("throwaway-plugin-programme", "Engangspartnerskaber", TYPE_KEY, "0997",
                               start=datetime.date(2025, 1, 1), end=datetime.date(2026, 12, 31))
    demo.budget(programme, 2025, 100_000)
'''

CATALOGUE = '''\
msgid ""
msgstr ""
"Language: da\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Throw-away partnerships"
msgstr "Engangspartnerskaber"

msgid "A programme type that exists only in a test."
msgstr "En programtype, der kun findes i en test."

msgid "Takes part in the test"
msgstr "Deltager i testen"

msgid "Does it take part in the test?"
msgstr "Deltager den i testen?"
'''

DECLARED = '''\
[programme_type]
key = "throwaway-declared-type"
name.da = "Erklærede engangspartnerskaber"
name.en = "Declared throw-away partnerships"
sign_on_fee_cap_kroner = 10_000
target_groups = ["youth_16_24"]

[[programme_type.criteria]]
key = "members"
min = 10
blocks = false

[seed.municipality]
code = "0996"
name = "Erklæret Kommune"

[seed.programme]
slug = "throwaway-declared-programme"
name = "Erklærede engangspartnerskaber i Erklæret Kommune"
start = 2025-01-01

[seed.budget]
2025 = 50_000
'''

OWN_TEST = '''\
"""The throw-away plugin's and the throw-away declaration's programme pages render."""


def test_both_programme_types_are_known(platform):
    assert platform.programme_types["throwaway-plugin-type"].plugin == "throwaway"
    assert platform.programme_types["throwaway-declared-type"].plugin == "declared:throwaway.toml"


def test_their_programme_pages_render(http):
    plugin = http.get("/programmes/throwaway-plugin-programme")
    assert plugin.status_code == 200 and "Engangspartnerskaber" in plugin.text and "Deltager i testen" in plugin.text
    declared = http.get("/programmes/throwaway-declared-programme")
    assert declared.status_code == 200 and "Erklærede engangspartnerskaber" in declared.text
    assert "Mindst 10 medlemmer" in declared.text
    listing = http.get("/programmes").text
    assert "throwaway-plugin-programme" in listing and "throwaway-declared-programme" in listing
    http.cookies.set("lang", "en")
    english = http.get("/programmes/throwaway-declared-programme").text
    assert "Declared throw-away partnerships" in english and "At least 10 members" in english
'''

SUBSET = ("tests/plugins/test_{name}.py", "tests/core/test_plugins.py", "tests/core/test_settings.py",
          "tests/core/test_programme_types.py", "tests/core/test_i18n.py", "tests/core/test_scope.py",
          "tests/core/test_hookspecs.py", "tests/core/views/test_programmes.py", "tests/core/test_lifecycle_demo.py",
          "tests/core/test_cli.py")


def _copy_with_throwaways(target: Path, name: str) -> Path:
    """The project copied to ``target`` with a plugin and a declaration called ``name``."""
    copy = target / "partnerskab"
    shutil.copytree(ROOT, copy, ignore=IGNORED)
    plugin = copy / "plugins" / name
    (plugin / "locale" / "da" / "LC_MESSAGES").mkdir(parents=True)
    (plugin / "__init__.py").write_text(PLUGIN.replace("throwaway", name), encoding="utf-8")
    (plugin / "locale" / "da" / "LC_MESSAGES" / "messages.po").write_text(CATALOGUE, encoding="utf-8")
    (copy / "config" / "programmes" / f"{name}.toml").write_text(DECLARED.replace("throwaway", name), encoding="utf-8")
    (copy / "tests" / "plugins" / f"test_{name}.py").write_text(OWN_TEST.replace("throwaway", name), encoding="utf-8")
    default = copy / "config" / "default.toml"
    text = default.read_text(encoding="utf-8")
    for key, addition in (("plugins", f'"{name}"'), ("programme_types", f'"programmes/{name}.toml"')):
        line = next(line for line in text.splitlines() if line.startswith(f"{key} = ["))
        listed = line[len(f"{key} = ["):-1].strip()
        text = text.replace(line, f"{key} = [{listed + ', ' if listed else ''}{addition}]")
    default.write_text(text, encoding="utf-8")
    # the copy's own command: the copy's code, run by this environment's Python
    bin_dir = copy / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    command = bin_dir / "partnerskab"
    command.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m core.cli "$@"\n', encoding="utf-8")
    command.chmod(0o755)
    return copy


def test_a_new_plugin_folder_and_a_new_toml_type_need_no_other_change(tmp_path):
    name = f"throwaway{uuid.uuid4().hex[:8]}"  # a name no tree has yet, this one's copies included
    copy = _copy_with_throwaways(tmp_path, name)
    files = [path.relative_to(copy) for path in copy.rglob("*") if path.is_file()]
    added = sorted(str(path) for path in files if not (ROOT / path).exists())
    changed = sorted(str(path) for path in files if (ROOT / path).exists()
                     and (ROOT / path).read_bytes() != (copy / path).read_bytes())
    assert added == [f"config/programmes/{name}.toml", f"plugins/{name}/__init__.py",
                     f"plugins/{name}/locale/da/LC_MESSAGES/messages.po", f"tests/plugins/test_{name}.py"]
    # the configuration's two lists, and the stand-in for the installed command
    assert changed == [".venv/bin/partnerskab", "config/default.toml"]
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("PARTNERSKAB_") and key not in {"DATABASE_URL", "SECRET_KEY", "PORT",
                                                                  "TEST_DATABASE_URL", "PYTHONPATH"}}
    subset = [path.format(name=name) for path in SUBSET]
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *subset],
                            cwd=copy, env=env, capture_output=True, text=True, timeout=900)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr[-2000:]
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in summary and "failed" not in summary and "error" not in summary, summary
    assert str(copy) in subprocess.run([sys.executable, "-c", "import core; print(core.__file__)"], cwd=copy,
                                       env=env, capture_output=True, text=True).stdout  # the copy's code ran
