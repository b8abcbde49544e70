"""Building the plugin manager: the core's default plugin, then the configured plugins.

Built-in plugins are the folders of the ``plugins`` package; plugins installed by other
packages announce themselves in the ``partnerskab`` entry-point group. Either kind is active
only when the configuration lists it (CKAN's ``ckan.plugins``), in the listed order, or when
an active plugin names it in its ``REQUIRES`` (a shared plugin that several configure).
"""
from __future__ import annotations

import dataclasses
import inspect
import importlib
import importlib.metadata
from pathlib import Path
from types import ModuleType

import pluggy

import core
from core import hookspecs
from core.settings import ROOT, ConfigError

BUILTIN_PLUGIN_DIR = ROOT / "plugins"


@dataclasses.dataclass(frozen=True)
class PluginInfo:
    name: str
    module: ModuleType
    version: str
    hooks: tuple[str, ...]

    @property
    def directory(self) -> Path:
        # a plugin is a module; an object registered as one (tests do) lives where its class does
        source = getattr(self.module, "__file__", None) or inspect.getfile(type(self.module))
        return Path(source).parent


def available_plugins() -> dict[str, str]:
    """Name -> importable module path, for built-in and installed plugins."""
    found = {path.name: f"plugins.{path.name}"
             for path in sorted(BUILTIN_PLUGIN_DIR.iterdir())
             if (path / "__init__.py").exists()}
    for entry_point in importlib.metadata.entry_points(group=hookspecs.PROJECT):
        found.setdefault(entry_point.name, entry_point.value.split(":")[0])
    return found


def build_plugin_manager(enabled: tuple[str, ...], extra: list[tuple[str, object]] = ()) -> pluggy.PluginManager:
    """A plugin manager with the core's defaults and the enabled plugins, hooks checked."""
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    from core import default_plugin
    pm.register(default_plugin, name="core")
    available = available_plugins()
    unknown = [name for name in enabled if name not in available]
    if unknown:
        raise ConfigError(
            f"unknown plugin(s) {', '.join(unknown)}; available plugins are {', '.join(available) or 'none'}")
    modules = _with_required(enabled, available)
    # pluggy calls the most recently registered implementation first: register in reverse
    # so hooks run in the order the configuration lists the plugins.
    for name, plugin in reversed(list(extra)):
        pm.register(plugin, name=name)
    for name, module in reversed(modules):
        pm.register(module, name=name)
    pm.check_pending()
    return pm


def _with_required(enabled: tuple[str, ...], available: dict[str, str]) -> list[tuple[str, ModuleType]]:
    """The enabled plugins' modules in order, each preceded by the shared plugins it names in
    ``REQUIRES`` (e.g. two municipalities configuring one ``local_partnership`` plugin): a shared
    plugin is active once, before the first plugin that needs it."""
    modules: list[tuple[str, ModuleType]] = []
    seen: set[str] = set()

    def enable(name: str, wanted_by: str | None) -> None:
        if name in seen:
            return
        if name not in available:
            raise ConfigError(f"plugin {wanted_by} requires the plugin {name}, which is not available")
        module = importlib.import_module(available[name])
        seen.add(name)
        for required in getattr(module, "REQUIRES", ()):
            enable(required, name)
        modules.append((name, module))

    for name in enabled:
        enable(name, None)
    return modules


def plugin_infos(pm: pluggy.PluginManager) -> list[PluginInfo]:
    """The active plugins in call order (configuration order), the core last."""
    infos = []
    for name, plugin in reversed(pm.list_name_plugin()):
        callers = pm.get_hookcallers(plugin) or []
        version = getattr(plugin, "__version__", core.__version__)
        infos.append(PluginInfo(name, plugin, version, tuple(sorted(c.name for c in callers))))
    return infos


def plugin_directories(pm: pluggy.PluginManager, subdir: str) -> list[Path]:
    """Existing ``<plugin>/<subdir>`` folders of the active plugins, configuration order, core excluded."""
    return [info.directory / subdir for info in plugin_infos(pm)
            if info.name != "core" and (info.directory / subdir).is_dir()]
