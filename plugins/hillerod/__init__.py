"""Frivilligcenter Hillerød: "TUFF – Trivsel, Unge, Fællesskaber og Foreningsliv", a local
partnership for vulnerable young people aged 16–24: a systematic model for social bridging,
with the town's communities and associations as a training ground for the young. Built on the
shared national model (``plugins/local_partnership_model.py``: four years, sign-on fee up to
30,000 DKK, funded by Socialstyrelsen, coordinated by FriSe). Source: press release
"Partnerskaber viser vej til fællesskaber i Slagelse og Hillerød".
"""
from core.hookspecs import hookimpl
from core.i18n import lazy_gettext as _
from plugins import local_partnership_model as model

__version__ = "1.0.0"

TYPE_KEY = "hillerod-tuff"

PROGRAMME_TYPE = model.programme_type(
    TYPE_KEY, "hillerod",
    name=_("TUFF – local partnership for young people (Hillerød)"),
    summary=_("A four-year local partnership that builds a systematic model for social bridging, where "
              "local communities and associations are a training ground for young people in vulnerable positions."),
)


@hookimpl
def register_programme_types():
    return [PROGRAMME_TYPE]


@hookimpl
def register_permissions():
    return model.PERMISSIONS


@hookimpl
def load_demo_data(platform):
    from core.demo import Demo
    demo = Demo(platform)
    model.load_demo(
        demo, municipality=("0219", "Hillerød Kommune", "Region Hovedstaden"),
        centre_name="Frivilligcenter Hillerød", city="Hillerød", slug="hillerod-tuff",
        name="TUFF – Trivsel, Unge, Fællesskaber og Foreningsliv", type_key=TYPE_KEY,
        description="Sammen om unges trivsel i Hillerød: en helhedsorienteret og systematisk tilgang til social "
                    "brobygning for sårbare og udsatte unge mellem 16 og 24 år.")
    # the volunteer centre's coordinator (password: core.demo.DEMO_PASSWORD)
    demo.account("hillerod-frivilligcenter@partnerskab.test", "Louise Berg", "volunteer_centre_coordinator",
                 organisation="frivilligcenter-hillerod")
    # the municipality's administrator: the second person who approves the centre's payments
    demo.account("hillerod-admin@partnerskab.test", "Jens Holm", "municipality_admin", municipality="0219")
    # the lifecycle: calls, applications in every state, agreements, a handover, and sign-on fees for the
    # accepted (fictional) associations, one paid, one waiting for approval
    from core.models.programme import Programme
    from plugins import local_partnership_demo
    local_partnership_demo.load(platform, Programme.get(Programme.slug == "hillerod-tuff"),
                                municipality="0219", city="Hillerød", short="TUFF",
                                coordinator="hillerod-frivilligcenter@partnerskab.test")
