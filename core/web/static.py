"""Static files looked up like templates: the theme chain, then plugins, then the core."""
from __future__ import annotations

from pathlib import Path

from starlette.staticfiles import StaticFiles

from core.web.templates import THEMES_DIR


class LayeredStaticFiles(StaticFiles):
    def __init__(self, themes: list[str], plugin_dirs: list[Path], core_dir: Path):
        super().__init__(directory=str(core_dir), check_dir=False)
        layers = [THEMES_DIR / name / "static" for name in themes] + list(plugin_dirs) + [core_dir]
        self.all_directories = [str(path) for path in layers if path.is_dir()]
