"""Local partnerships for vulnerable young people aged 16–24: the shared plugin that Slagelse's
and Hillerød's plugins configure (``model.LocalPartnership``), so the two partnerships share
one programme model, one set of words and one demo instead of two copies.

It is active whenever a plugin that needs it is (``REQUIRES = ("local_partnership",)``), once.
On its own it lets volunteer-centre coordinators record their programme's money and brings the
two national bodies both partnerships work with into the demo; each municipality's plugin
brings its programme type and its partnership.
"""
from core.hookspecs import hookimpl
from plugins.local_partnership.model import PERMISSIONS, LocalPartnership

__version__ = "1.0.0"
__all__ = ["LocalPartnership"]


@hookimpl
def register_permissions():
    return PERMISSIONS


@hookimpl
def load_demo_data(platform):
    """Socialstyrelsen (which funds the partnerships) and FriSe, the national coordinators."""
    from plugins.local_partnership import demo
    demo.national_bodies(platform)
