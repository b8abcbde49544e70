"""Static files looked up like templates: the theme chain, then plugins, then the core.

Only the layers that exist are searched (git keeps no empty folder, so the core's own
``static/`` may be absent in a fresh clone); the first one stands in as Starlette's
``directory``, which its start-up check requires to exist.
"""
from __future__ import annotations

from pathlib import Path

from starlette.staticfiles import StaticFiles

from core.web.templates import THEMES_DIR


class LayeredStaticFiles(StaticFiles):
    def __init__(self, themes: list[str], plugin_dirs: list[Path], core_dir: Path):
        layers = [THEMES_DIR / name / "static" for name in themes] + list(plugin_dirs) + [core_dir]
        existing = [str(path) for path in layers if path.is_dir()]
        super().__init__(directory=existing[0] if existing else None, check_dir=False)
        self.all_directories = existing
