"""The platform as configured: settings, plugins and what they registered, database bound.

The web app and the CLI both start from ``build(settings)``; nothing here is a module
global, so tests can build several platforms with different settings.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pluggy

from core import authz, db, declared, i18n
from core.plugins import build_plugin_manager, plugin_directories
from core.programme_types import ProgrammeTypeRegistry, TargetGroup
from core.settings import CORE_DIR, ConfigError, Settings


@dataclasses.dataclass
class Platform:
    settings: Settings
    pm: pluggy.PluginManager
    programme_types: ProgrammeTypeRegistry
    target_groups: dict[str, TargetGroup]
    migration_sources: list[db.MigrationSource]
    models: list
    permissions: authz.PermissionTable = dataclasses.field(default_factory=authz.build_permissions)
    declarations: list[declared.Declaration] = dataclasses.field(default_factory=list)
    export_datasets: dict = dataclasses.field(default_factory=dict)  # name -> core.datasets.ExportDataset
    jobs: dict = dataclasses.field(default_factory=dict)  # name -> core.jobs.Job
    # keys plugins read from programme types (core.programme_types.ProgrammeTypeField)
    programme_type_fields: tuple = ()
    _labels: dict = dataclasses.field(default_factory=dict, repr=False, compare=False)  # target_group_labels

    def plugin_directories(self, subdir: str) -> list[Path]:
        return plugin_directories(self.pm, subdir)

    def declare(self, declaration: declared.Declaration) -> None:
        """A programme type declared while running (the first-run page): known from now on."""
        self.programme_types.add(declaration.programme_type)
        self.declarations.append(declaration)

    def undeclare(self, declaration: declared.Declaration) -> None:
        self.programme_types.discard(declaration.programme_type.key)
        if declaration in self.declarations:
            self.declarations.remove(declaration)

    def target_group_label(self, key: str) -> str:
        group = self.target_groups.get(key)
        return str(group.label) if group else key

    def target_group_labels(self) -> "Labels":
        """Every target group's label in the reader's language, by key, for a page that shows
        many (a key no longer configured shows as itself); worked out once per language."""
        key = (i18n.current_locale(), tuple(self.target_groups))
        labels = self._labels.get(key)
        if labels is None:
            labels = self._labels[key] = Labels({k: str(group.label) for k, group in self.target_groups.items()})
        return labels


class Labels(dict):
    """Labels by key; a key without one is its own label."""

    def __missing__(self, key):
        return key


def _flatten(results) -> list:
    return [item for result in results if result for item in result]


def programme_type_fields(results) -> tuple:
    """The keys plugins read from programme types; one the core has, or two plugins register, stops the start."""
    from core.declared.schema import TYPE_FIELDS
    found: dict[str, object] = {}
    for field in _flatten(results):
        if field.key in TYPE_FIELDS or field.key in found:
            raise ConfigError(f"the programme type field '{field.key}' is the core's or registered twice")
        found[field.key] = field
    return tuple(found.values())


def build(settings: Settings, extra_plugins: list[tuple[str, object]] = ()) -> Platform:
    pm = build_plugin_manager(settings.plugins, list(extra_plugins))
    hook = pm.hook
    programme_types = ProgrammeTypeRegistry(_flatten(hook.register_programme_types()))
    target_groups: dict[str, TargetGroup] = {}
    for result in reversed(hook.register_target_groups()):  # the core's first, then plugins
        for group in result or []:
            target_groups.setdefault(group.key, group)
    sources = _flatten(hook.register_migrations())
    sources.sort(key=lambda source: source.component != "core")
    models = _flatten(hook.register_models())
    permissions = authz.build_permissions(hook.register_permissions())
    type_fields = programme_type_fields(hook.register_programme_type_fields())
    # declared types are configuration: checked before anything touches the database
    declarations = declared.load(settings, programme_types, target_groups, type_fields)
    db.bind(settings.database_url)
    i18n.load_catalogues([CORE_DIR / "locale", *plugin_directories(pm, "locale")], settings.locales)
    i18n.set_locale(settings.default_locale)
    platform = Platform(settings, pm, programme_types, target_groups, sources, models, permissions, declarations)
    platform.programme_type_fields = type_fields
    from core import datasets, jobs
    platform.export_datasets = datasets.collect(platform)
    platform.jobs = jobs.collect(platform)
    db.bind_platform(platform)  # events after commit and the rules' plugin checks reach this platform
    return platform
