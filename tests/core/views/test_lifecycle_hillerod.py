"""TUFF (Hillerød) from call to agreement over HTTP, with the demo coordinator."""
from plugins import hillerod
from tests.core.views._lifecycle import people
from tests.core.views._local_partnership_lifecycle import run

__all__ = ["people"]


def test_hillerod_lifecycle_to_the_agreement(platform, people):
    run(platform, people, type_key=hillerod.TYPE_KEY, municipality="0219", centre_slug="frivilligcenter-hillerod",
        coordinator="hillerod-frivilligcenter@partnerskab.test")
