"""Frivilligcenter Hillerød: "TUFF – Trivsel, Unge, Fællesskaber og Foreningsliv", a local
partnership for vulnerable young people aged 16–24: a systematic model for social bridging,
with the town's communities and associations as a training ground for the young. Source: press
release "Partnerskaber viser vej til fællesskaber i Slagelse og Hillerød".

Hillerød configures the shared plugin ``plugins/local_partnership`` (four years, sign-on fee up
to 30,000 DKK, funded by Socialstyrelsen, coordinated by FriSe) with ``partnership.toml``; only
its programme type's name and summary, which the catalogue translates, are written here.
"""
from core.i18n import lazy_gettext as _
from plugins.local_partnership import LocalPartnership

__version__ = "1.0.0"
REQUIRES = ("local_partnership",)
PARTNERSHIP = LocalPartnership.configure(
    __name__, name=_("TUFF – local partnership for young people (Hillerød)"),
    summary=_("A four-year local partnership that builds a systematic model for social bridging, where "
              "local communities and associations are a training ground for young people in vulnerable positions."))
TYPE_KEY = PARTNERSHIP.type_key
register_programme_types, load_demo_data, pathway_demo_reports = PARTNERSHIP.hookimpls()
