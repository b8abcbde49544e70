"""The front page over real HTTP: the platform in numbers, the programmes, a search box."""
from __future__ import annotations

import re

from core import db
from core.models import Municipality, Organisation, Programme
from tests.core.views._html import ENGLISH, main


def test_front_page_numbers_match_the_database(http):
    response = http.get("/", headers=ENGLISH)
    assert response.status_code == 200
    stats = dict((label, int(number.replace(",", ""))) for number, label in re.findall(
        r"<li><strong>([\d,]+)</strong> (\w+)</li>", main(response.text)))
    with db.connection():
        assert stats == {
            "municipalities": Municipality.select().count(),
            "organisations": Organisation.select().where(Organisation.deleted_at.is_null()).count(),
            "programmes": Programme.select().where(Programme.deleted_at.is_null()).count(),
        }
    assert stats["programmes"] >= 4 and stats["municipalities"] >= 4


def test_front_page_links_every_programme_with_its_municipality(http):
    body = main(http.get("/", headers=ENGLISH).text)
    cards = re.findall(r'<h3><a href="/programmes/([^"]+)">[^<]+</a></h3>\s*<p class="muted">([^<]+)</p>', body)
    assert dict(cards)["kobenhavn-sociale-partnerskaber"] == "Københavns Kommune"
    assert dict(cards)["hillerod-tuff"] == "Hillerød Kommune"
    assert {"roskilde-sociale-partnerskabsforeninger", "slagelse-faellesskabsalliancen"} <= dict(cards).keys()


def test_front_page_search_goes_to_the_directory(http):
    text = http.get("/", headers=ENGLISH).text
    assert re.search(r'<form class="search" action="/organisations" method="get" role="search">', text)
    assert '<input id="home-q" name="q" type="search">' in text


def test_front_page_in_both_languages(http):
    english = http.get("/", headers=ENGLISH)
    danish = http.get("/", headers={"Accept-Language": "da-DK,da;q=0.9"})
    assert english.headers["content-language"] == "en" and '<html lang="en">' in english.text
    assert danish.headers["content-language"] == "da" and '<html lang="da">' in danish.text
