"""``partnerskab check-config`` looks at every enabled plugin: its Danish catalogue, its
programme types and its templates; each finding names the plugin and the place."""
from __future__ import annotations

import importlib.util

import pytest

from core import platform as platform_module
from core.plugin_checks import plugin_problems, programme_type_problems
from core.programme_types import Criterion, ProgrammeType
from core.settings import CORE_DIR
from core.web.templates import build_environment

BROKEN_PLUGIN = '''
from core.hookspecs import hookimpl
from core.programme_types import Criterion, ProgrammeType


@hookimpl
def register_programme_types():
    return [ProgrammeType(key="broken-type", name="Broken", plugin="brokenplug", target_groups=("martians",),
                          owner_kinds=("castle",), criteria=(Criterion("a", "A"), Criterion("a", "A again")))]
'''


@pytest.fixture
def broken(tmp_path, settings, app):
    """A plugin folder without a catalogue, with a bad type and two templates that do not compile."""
    folder = tmp_path / "brokenplug"
    (folder / "templates" / "brokenplug").mkdir(parents=True)
    (folder / "__init__.py").write_text(BROKEN_PLUGIN)
    (folder / "templates" / "brokenplug" / "syntax.html").write_text("<p>{% if %}</p>\n")
    (folder / "templates" / "brokenplug" / "filter.html").write_text("<p>{{ 1 | no_such_filter }}</p>\n")
    (folder / "templates" / "brokenplug" / "fine.html").write_text('{% extends "base.html" %}\n')
    spec = importlib.util.spec_from_file_location("brokenplug", folder / "__init__.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = platform_module.build(settings, [("brokenplug", module)])
    environment = build_environment(settings.theme, [(d.parent.name, d) for d in built.plugin_directories("templates")],
                                    CORE_DIR / "templates")
    return built, environment, folder


def test_every_problem_of_a_broken_plugin_is_named(broken):
    built, environment, folder = broken
    found = [problem for problem in plugin_problems(built, environment) if problem.startswith("plugin brokenplug:")]
    assert found[0] == f"plugin brokenplug: no Danish catalogue at {folder / 'locale/da/LC_MESSAGES/messages.po'}"
    assert "plugin brokenplug: programme type broken-type: unknown target group(s) martians" in found[1]
    assert "owner kinds must be among municipality" in found[2] and "castle" in found[2]
    assert found[3] == "plugin brokenplug: programme type broken-type: criteria listed twice: a"
    templates = sorted(found[4:])
    assert len(templates) == 2
    assert templates[0].startswith(f"plugin brokenplug: template {folder / 'templates/brokenplug/filter.html'}")
    assert "no_such_filter" in templates[0]
    assert templates[1].startswith(f"plugin brokenplug: template {folder / 'templates/brokenplug/syntax.html'}, line 1:")


def test_the_enabled_plugins_have_no_problems(platform, settings):
    environment = build_environment(settings.theme, [(d.parent.name, d) for d in platform.plugin_directories("templates")],
                                    CORE_DIR / "templates")
    assert plugin_problems(platform, environment) == []


def test_a_sound_programme_type_has_no_problems():
    sound = ProgrammeType(key="t", name="T", plugin="p", target_groups=("youth",), owner_kinds=("volunteer_centre",),
                          criteria=(Criterion("a", "A"), Criterion("b", "B")))
    assert programme_type_problems(sound, {"youth": None}) == []
