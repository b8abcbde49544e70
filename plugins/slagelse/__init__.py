"""Frivilligcenter Slagelse: "Fællesskabsalliancen", a local partnership for vulnerable young
people aged 16–24, with a focus on bridging and on involving the young as participants,
co-developers and volunteers. Built on the shared national model
(``plugins/local_partnership_model.py``: four years, sign-on fee up to 30,000 DKK, funded by
Socialstyrelsen, coordinated by FriSe). Source: press release "Partnerskaber viser vej til
fællesskaber i Slagelse og Hillerød".
"""
from core.hookspecs import hookimpl
from core.i18n import lazy_gettext as _
from plugins import local_partnership_model as model

__version__ = "1.0.0"

TYPE_KEY = "slagelse-faellesskabsalliancen"

PROGRAMME_TYPE = model.programme_type(
    TYPE_KEY, "slagelse",
    name=_("Fællesskabsalliancen – local partnership for young people (Slagelse)"),
    summary=_("A four-year local partnership that activates, mobilises and supports associations in "
              "including young people in vulnerable positions as participants, co-developers and volunteers."),
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
        demo, municipality=("0330", "Slagelse Kommune", "Region Sjælland"),
        centre_name="Frivilligcenter Slagelse", city="Slagelse", slug="slagelse-faellesskabsalliancen",
        name="Fællesskabsalliancen", type_key=TYPE_KEY,
        description="Frivilligcenter Slagelses lokale partnerskab med fokus på brobygning og inddragelse af "
                    "sårbare unge mellem 16 og 24 år.")
    # the demo account of the volunteer centre's coordinator (password: core.demo.DEMO_PASSWORD)
    demo.account("slagelse-frivilligcenter@partnerskab.test", "Hanne Madsen", "volunteer_centre_coordinator",
                 organisation="frivilligcenter-slagelse")
    # the municipality's administrator: the second person who approves the centre's payments
    demo.account("slagelse-admin@partnerskab.test", "Bo Winther", "municipality_admin", municipality="0330")
    # the lifecycle: calls, applications in every state, agreements, a handover, and sign-on fees for the
    # accepted (fictional) associations, one paid, one waiting for approval
    from core.models.programme import Programme
    from plugins import local_partnership_demo
    local_partnership_demo.load(platform, Programme.get(Programme.slug == "slagelse-faellesskabsalliancen"),
                                municipality="0330", city="Slagelse", short="Fællesskabsalliancen",
                                coordinator="slagelse-frivilligcenter@partnerskab.test")
    # the demo account of a resource person in the fictional association with a draft in the open call, so a
    # newcomer can take an application from draft to a paid sign-on fee in the browser
    demo.account("slagelse-forening@partnerskab.test", "Sofie Kjær", "resource_person",
                 organisation="eksempelforening-ungdomsteatret-slagelse")
