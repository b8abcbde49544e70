"""The instance's own look: two colours and a logo chosen on the first-run page.

A theme (``themes/``) is code a deployment ships; this is what an administrator picks in the
browser without one: the brand colour (header, links, buttons), the accent colour and a logo
(an SVG or PNG). They live in the instance folder — ``look.toml`` and ``look-logo.svg|png`` —
so every worker reads the same choice, and reach pages as ``/look.css`` and ``/look/logo``.

Colours must keep text readable: each must reach WCAG AA contrast (4.5:1) with white, because
white text stands on the brand colour in the header and both colours are text on the white
page. A logo must be what it says: a PNG by its signature, or an SVG with no scripts, event
handlers, embedded documents or outside references; it is served with ``nosniff`` and, for
SVG, a sandboxing Content-Security-Policy, and shown only through ``<img>``.
"""
from __future__ import annotations

import dataclasses
import os
import re
import tomllib
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from core.i18n import N_
from core.rules.errors import Collector
from core.toml_text import dumps

LOOK_FILE = "look.toml"
LOGO_STEM = "look-logo"
LOGO_TYPES = {"svg": "image/svg+xml", "png": "image/png"}
MAX_LOGO_BYTES = 200_000
MIN_CONTRAST = 4.5
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
FORBIDDEN_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}


@dataclasses.dataclass(frozen=True)
class Look:
    brand: str
    accent: str
    logo: str = ""       # file name in the instance folder, or ""
    version: int = 0     # changes with every save, so browsers fetch the new files

    def css(self) -> str:
        return (f":root {{ --brand: {self.brand}; --brand-text: #ffffff; --accent: {self.accent}; }}\n"
                f".stats strong {{ color: {self.brand}; }}\n")


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(first: str, second: str) -> float:
    """The WCAG 2.1 contrast ratio of two colours written #rrggbb (1 to 21)."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def check_colour(problems: Collector, field: str, value: str) -> str:
    value = (value or "").strip()
    if not HEX.match(value):
        problems.add(field, "Choose a colour written as # and six hexadecimal digits, e.g. #0b4f6c")
        return value
    ratio = contrast(value, "#ffffff")
    if ratio < MIN_CONTRAST:
        problems.add(field, "%(colour)s has a contrast of %(ratio)s:1 with white; text needs at least 4.5:1 "
                     "(WCAG AA): choose a darker colour", colour=value, ratio=f"{ratio:.2f}")
    return value.lower()


def check_logo(problems: Collector, field: str, filename: str, content: bytes) -> str | None:
    """The logo's kind ('svg' or 'png') when it is a safe image, else None with a problem."""
    if len(content) > MAX_LOGO_BYTES:
        problems.add(field, "The logo can be at most %(max)s kB", max=str(MAX_LOGO_BYTES // 1000))
        return None
    if content.startswith(PNG_SIGNATURE):
        return "png"
    if filename.lower().endswith(".svg") or content.lstrip()[:5] in (b"<?xml", b"<svg ", b"<svg>"):
        problem = svg_problem(content)
        if problem == NOT_AN_SVG:
            problems.add(field, NOT_AN_SVG)
        elif problem == ACTIVE_SVG:
            problems.add(field, ACTIVE_SVG)
        elif problem == OUTSIDE_SVG:
            problems.add(field, OUTSIDE_SVG)
        if problem:
            return None
        return "svg"
    problems.add(field, "The logo must be an SVG or a PNG image")
    return None


NOT_AN_SVG = N_("The logo is not a well-formed SVG image")
ACTIVE_SVG = N_("The SVG logo cannot be used: it contains scripts, event handlers or embedded documents")
OUTSIDE_SVG = N_("The SVG logo cannot be used: it refers to outside files or documents")
OUTSIDE = re.compile(r"url\s*\(\s*['\"]?(?!#)|@import", re.I)


def svg_problem(content: bytes) -> str | None:
    """Why an SVG is unsafe to serve (a message id), or None."""
    lowered = content.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        return ACTIVE_SVG  # entities can expand without end or pull in files
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError:
        return NOT_AN_SVG
    if root.tag != f"{SVG_NAMESPACE}svg":
        return NOT_AN_SVG
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""
        if tag in FORBIDDEN_ELEMENTS:
            return ACTIVE_SVG
        if tag == "style" and OUTSIDE.search(element.text or ""):
            return OUTSIDE_SVG
        for name, raw in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            text = raw.strip().lower()
            if local.startswith("on") or "javascript:" in text:
                return ACTIVE_SVG
            if (local == "href" and not text.startswith("#")) or OUTSIDE.search(text):
                return OUTSIDE_SVG
    return None


_read: dict[Path, tuple[tuple[int, int], "Look | None"]] = {}  # file -> ((mtime, size), look)


def current(instance_dir: Path) -> Look | None:
    """The saved look, or None when the administrator has not chosen one (the theme's stays).

    Every page asks (``extra_template_vars``): the file is read again only when its time or
    size changed (another worker may have saved it), so a page costs one ``stat``."""
    path = Path(instance_dir) / LOOK_FILE
    try:
        status = os.stat(path)
    except OSError:
        return None
    key = (status.st_mtime_ns, status.st_size)
    cached = _read.get(path)
    if cached is not None and cached[0] == key:
        look = cached[1]
        if look is None or not look.logo or (Path(instance_dir) / look.logo).is_file():
            return look
    look = _load(path, Path(instance_dir))
    if len(_read) > 100:
        _read.clear()
    _read[path] = (key, look)
    return look


def _load(path: Path, instance_dir: Path) -> Look | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        stamp = path.stat().st_mtime_ns
    except (OSError, tomllib.TOMLDecodeError):
        return None
    brand, accent = str(data.get("brand", "")), str(data.get("accent", ""))
    if not (HEX.match(brand) and HEX.match(accent)):
        return None
    logo = str(data.get("logo", ""))
    if logo and not (Path(instance_dir) / logo).is_file():
        logo = ""
    return Look(brand, accent, logo, stamp // 1_000_000)


def save(instance_dir: Path, brand: str, accent: str, logo: tuple[str, bytes] | None, actor: str) -> Look:
    """Write the choice (after the checks above): the logo first, then ``look.toml``."""
    folder = Path(instance_dir)
    folder.mkdir(parents=True, exist_ok=True)
    previous = current(folder)
    logo_name = previous.logo if previous else ""
    if logo is not None:
        kind, content = logo
        logo_name = f"{LOGO_STEM}.{kind}"
        _write(folder / logo_name, content)
        for other in LOGO_TYPES:
            if other != kind:
                (folder / f"{LOGO_STEM}.{other}").unlink(missing_ok=True)
    text = dumps({"brand": brand, "accent": accent, "logo": logo_name},
                 header=f"The instance's look, chosen on the first-run page by {actor}.")
    _write(folder / LOOK_FILE, text.encode("utf-8"))
    return current(folder)


def _write(path: Path, content: bytes) -> None:
    """Replace a file in one step, so a reader never sees half of it."""
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(content)
    partial.replace(path)
