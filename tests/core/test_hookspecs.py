"""The hook specifications are the plugin API: each is documented, and the fake plugin used by
the plugin tests implements every one of them (so a new hook without a test shows up here)."""
from __future__ import annotations

import inspect

import pluggy
import pytest

from core import default_plugin, hookspecs
from tests import fake_plugin

SPEC_ATTR = f"{hookspecs.PROJECT}_spec"
IMPL_ATTR = f"{hookspecs.PROJECT}_impl"


def spec_functions() -> dict[str, object]:
    return {name: obj for name, obj in vars(hookspecs).items()
            if inspect.isfunction(obj) and hasattr(obj, SPEC_ATTR)}


def impl_functions(module) -> dict[str, object]:
    return {name: obj for name, obj in vars(module).items()
            if inspect.isfunction(obj) and hasattr(obj, IMPL_ATTR)}


def test_the_hookspecs_module_declares_the_families_it_documents():
    names = set(spec_functions())
    assert {"register_programme_types", "register_target_groups", "register_models", "register_migrations",
            "register_routes", "register_api_operations", "register_export_datasets", "register_jobs",
            "register_commands", "navigation_links", "extra_template_vars", "page_blocks", "todo_items",
            "check_rules", "on_committed", "load_demo_data"} <= names
    # every hook belongs to a family the module's docstring describes
    doc = hookspecs.__doc__
    for name in names:
        assert name.startswith(("register_", "extra_", "check_", "on_")) or name in {
            "navigation_links", "page_blocks", "todo_items", "load_demo_data", "personal_data", "forget_account"}, name
        family = name.split("_")[0] + "_*" if name.startswith(("register_", "extra_", "check_", "on_")) else name
        assert f"``{family}``" in doc, f"the module's docstring does not describe {family}"


@pytest.mark.parametrize("name", sorted(spec_functions()))
def test_every_hookspec_has_a_real_docstring(name):
    doc = inspect.getdoc(spec_functions()[name]) or ""
    assert len(doc) >= 80, f"{name}: the docstring is the plugin author's documentation; say what, when and how"
    assert len(doc.split()) >= 12, name


def test_the_fake_plugin_implements_every_hookspec():
    specs, impls = set(spec_functions()), set(impl_functions(fake_plugin))
    assert impls == specs, f"missing: {sorted(specs - impls)}; not a hook: {sorted(impls - specs)}"


@pytest.mark.parametrize("name", sorted(spec_functions()))
def test_fake_plugin_arguments_are_a_subset_of_the_spec(name):
    spec_args = set(inspect.signature(spec_functions()[name]).parameters)
    impl_args = set(inspect.signature(impl_functions(fake_plugin)[name]).parameters)
    assert impl_args <= spec_args, f"{name}: {sorted(impl_args - spec_args)} are not in the spec"


def test_the_core_default_plugin_only_implements_declared_hooks():
    assert set(impl_functions(default_plugin)) <= set(spec_functions())


def test_a_plugin_manager_accepts_the_fake_plugin():
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(fake_plugin, name="fake")
    pm.check_pending()
    assert {caller.name for caller in pm.get_hookcallers(fake_plugin)} == set(spec_functions())
