"""Partnerskab: the core every deployment has (registry, money rules, plugins, pages)."""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("partnerskab")
except PackageNotFoundError:  # running from a checkout without an install
    __version__ = "0.0.0"
