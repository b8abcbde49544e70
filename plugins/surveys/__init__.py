"""Surveys (placeholder while it is built)."""
__version__ = "0.1.0"
