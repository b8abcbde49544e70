"""The municipality list and a municipality's page, over real HTTP."""
from __future__ import annotations

import re

from core import db
from core.models import Organisation
from core.models.municipality import Municipality
from tests.core.views._html import ENGLISH, main, table_rows

DEMO = {"0101": "Københavns Kommune", "0219": "Hillerød Kommune", "0265": "Roskilde Kommune",
        "0330": "Slagelse Kommune"}


def organisations_in(code: str) -> int:
    with db.connection():
        municipality = Municipality.get(Municipality.code == code)
        return Organisation.select().where(Organisation.municipality == municipality.id,
                                           Organisation.deleted_at.is_null()).count()


def test_list_has_every_demo_municipality_with_its_count(http):
    response = http.get("/municipalities", headers=ENGLISH)
    assert response.status_code == 200
    rows = {row[0]: row for row in table_rows(main(response.text))}
    for code, name in DEMO.items():
        assert rows[code][1] == name
        assert int(rows[code][3].replace(",", "")) == organisations_in(code)
        assert f'<a href="/municipalities/{code}">{name}</a>' in response.text
    assert rows["0265"][2] == "Region Sjælland"


def test_municipality_page(http):
    response = http.get("/municipalities/0265", headers=ENGLISH)
    assert response.status_code == 200
    body = main(response.text)
    assert "<h1>Roskilde Kommune</h1>" in body
    assert "<dd>0265</dd>" in body and "<dd>Region Sjælland</dd>" in body
    assert '<a href="/programmes/roskilde-sociale-partnerskabsforeninger">Sociale partnerskabsforeninger</a> (Ended)' in body
    total = organisations_in("0265")
    assert f'<a href="/organisations?municipality=0265">{total} organisations in the directory</a>' in body
    kinds = {row[0]: int(row[1]) for row in table_rows(body)}
    assert sum(kinds.values()) == total
    assert kinds["Association"] >= 7 and kinds["School or institution"] >= 3
    # each kind links to the filtered directory
    assert '<a href="/organisations?municipality=0265&amp;kind=association">' in body


def test_the_kind_links_lead_to_a_directory_with_the_same_numbers(http):
    body = main(http.get("/municipalities/0265", headers=ENGLISH).text)
    for kind, count in re.findall(r'kind=(\w+)">[^<]+</a></td><td class="num">(\d+)</td>', body):
        listed = http.get("/organisations", params={"municipality": "0265", "kind": kind}, headers=ENGLISH).text
        assert re.search(rf'<p role="status">{count} organisations? found', listed), kind


def test_municipality_without_organisations_of_its_own(http):
    """Hillerød's only organisation of its own is the volunteer centre; the national bodies have none."""
    body = main(http.get("/municipalities/0219", headers=ENGLISH).text)
    assert '<a href="/programmes/hillerod-tuff">' in body
    assert organisations_in("0219") >= 1


def test_unknown_municipality_is_404(http):
    for path in ("/municipalities/9999", "/municipalities/xyz", "/municipalities/0265x", "/municipalities/%00"):
        response = http.get(path, headers=ENGLISH)
        assert response.status_code == 404, path
        assert "<h1>Page not found</h1>" in response.text
