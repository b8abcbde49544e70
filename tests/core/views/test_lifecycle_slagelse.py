"""Fællesskabsalliancen (Slagelse) from call to agreement over HTTP, with the demo coordinator."""
from plugins import slagelse
from tests.core.views._lifecycle import people
from tests.core.views._local_partnership_lifecycle import run

__all__ = ["people"]


def test_slagelse_lifecycle_to_the_agreement(platform, people):
    run(platform, people, type_key=slagelse.TYPE_KEY, municipality="0330", centre_slug="frivilligcenter-slagelse",
        coordinator="slagelse-frivilligcenter@partnerskab.test")
