"""Frivilligcenter Slagelse: "Fællesskabsalliancen", a local partnership for vulnerable young
people aged 16–24, with a focus on bridging and on involving the young as participants,
co-developers and volunteers. Source: press release "Partnerskaber viser vej til fællesskaber i
Slagelse og Hillerød".

A configuration of the shared plugin ``plugins/local_partnership`` (four years, sign-on fee up to
30,000 DKK, funded by Socialstyrelsen, coordinated by FriSe): the partnership's data is in
``partnership.toml``, its programme type's words are here (translatable).
"""
from core.i18n import lazy_gettext as _
from plugins.local_partnership import LocalPartnership

__version__ = "1.0.0"
REQUIRES = ("local_partnership",)
PARTNERSHIP = LocalPartnership.configure(
    __name__, _("Fællesskabsalliancen – local partnership for young people (Slagelse)"),
    _("A four-year local partnership that activates, mobilises and supports associations in including young people "
      "in vulnerable positions as participants, co-developers and volunteers."))
TYPE_KEY = PARTNERSHIP.type_key
register_programme_types, load_demo_data, pathway_demo_reports = PARTNERSHIP.hookimpls()
