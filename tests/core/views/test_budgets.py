"""Budgets: per programme and year (budget, committed, paid, left) and per funder across its
programmes, each a table beside an accessible SVG chart; the programme page shows paid too."""
from __future__ import annotations

import re
from decimal import Decimal

from core import db
from core.models.municipality import Municipality
from core.models.programme import Programme
from core.rules import money
from tests.core.views._html import ENGLISH, main, table_rows

def ore(text: str) -> int:
    """An English amount ('DKK 1,200,000' or 'DKK 1,234.50') -> øre."""
    number = re.sub(r"[^\d.-]", "", text.replace(",", ""))
    return int(Decimal(number) * 100)


def budgets_page(http, query: str = "") -> str:
    response = http.get("/budgets" + query, headers=ENGLISH)
    assert response.status_code == 200
    return main(response.text)


def page_with(http, element_id: str, param: str, query: str = "") -> str:
    """The page of /budgets that holds ``element_id``, walking the pages of ``param`` (``page``
    for programmes, ``funder_page`` for funders): other tests may have added programmes."""
    number = 1
    while True:
        text = budgets_page(http, f"?{query}&{param}={number}" if query else f"?{param}={number}")
        if f'id="{element_id}"' in text:
            return text
        assert 'rel="next"' in text and number < 100, f"{element_id} is on no page"
        number += 1


def programme_page(http, programme) -> str:
    """The budgets of the programme's municipality, on the page that holds the programme."""
    with db.connection():
        code = Programme.select(Programme, Municipality).join(Municipality).where(
            Programme.id == programme.id).get().municipality.code
    return page_with(http, f"programme-{programme.id}", "page", f"municipality={code}")


def block(text: str, element_id: str) -> str:
    start = text.index(f'id="{element_id}"')
    following = text.find("<section", start)
    return text[start:following if following != -1 else len(text)]


def assert_accessible_chart(fragment: str, rows: int) -> None:
    svg = re.search(r"<svg [^>]*>.*?</svg>", fragment, re.S)
    assert svg, "no chart"
    opening = re.match(r"<svg [^>]*>", svg.group(0)).group(0)
    assert 'role="img"' in opening
    title_id = re.search(r'aria-labelledby="([^"]+)"', opening).group(1).split()[0]  # then the description
    assert re.search(rf'<title id="{title_id}">[^<]+</title>', svg.group(0))
    assert len(re.findall(r'class="bar-(?:committed|over)"', svg.group(0))) == rows
    assert fragment.index("<svg") < fragment.index("<table")  # the table stands beside the chart


def test_budgets_is_public_and_linked_from_the_navigation(http):
    response = http.get("/", headers=ENGLISH)
    assert 'href="/budgets"' in response.text


def test_per_funder_across_programmes(http):
    """Socialstyrelsen funds Slagelse and Hillerød: 1.2 million a year each over four years, 9.6 million in all."""
    with db.connection():
        funder_id = Programme.get(Programme.slug == "slagelse-faellesskabsalliancen").funder_id
        programmes = list(Programme.select().where(Programme.funder == funder_id))
        overview = money.budget_overview([p.id for p in programmes])
    assert {p.slug for p in programmes} == {"slagelse-faellesskabsalliancen", "hillerod-tuff"}
    text = page_with(http, f"funder-{funder_id}", "funder_page")
    fragment = block(text, f"funder-{funder_id}")
    assert "Socialstyrelsen" in fragment
    assert 'href="/programmes/slagelse-faellesskabsalliancen"' in fragment and 'href="/programmes/hillerod-tuff"' in fragment
    rows = table_rows(fragment)
    assert [int(row[0]) for row in rows] == [2023, 2024, 2025, 2026]
    assert sum(ore(row[1]) for row in rows) == 9_600_000 * 100
    for row in rows:
        year = int(row[0])
        expected = {key: sum(overview[p.id].get(year, {}).get(key, 0) for p in programmes)
                    for key in ("budget", "committed", "paid", "left")}
        assert [ore(cell) for cell in row[1:]] == [expected["budget"], expected["committed"], expected["paid"],
                                                   expected["left"]]
    assert any(ore(row[3]) > 0 for row in rows)  # the demo's paid sign-on fees
    assert_accessible_chart(fragment, len(rows))


def test_per_programme_rows_and_paid(http):
    with db.connection():
        programme = Programme.get(Programme.slug == "kobenhavn-sociale-partnerskaber")
        figures = money.budget_overview([programme.id])[programme.id]
    text = programme_page(http, programme)
    fragment = block(text, f"programme-{programme.id}")
    rows = table_rows(fragment)
    assert [int(row[0]) for row in rows] == list(figures)
    row_2022 = next(row for row in rows if row[0] == "2022")
    assert [ore(cell) for cell in row_2022[1:]] == [figures[2022][k] for k in ("budget", "committed", "paid", "left")]
    assert figures[2022]["paid"] == 25 * 200_000 * 100  # the demo pays past years' grants in full
    assert_accessible_chart(fragment, len(rows))


def test_the_budget_page_takes_a_fixed_number_of_queries(http, app):
    """No query per programme: the page costs the same with 4 programmes as the overview does."""
    from peewee import Database
    counted = []
    original = Database.execute_sql

    def counting(self, sql, *args, **kwargs):
        counted.append(sql)
        return original(self, sql, *args, **kwargs)

    Database.execute_sql = counting
    try:
        budgets_page(http)
    finally:
        Database.execute_sql = original
    money_queries = [sql for sql in counted if "programme" in sql.lower()]
    assert len(money_queries) <= 10, money_queries


def test_programme_page_shows_paid(http):
    response = http.get("/programmes/slagelse-faellesskabsalliancen", headers=ENGLISH)
    budget = main(response.text)
    budget = budget[budget.index('<h2 id="budget">'):budget.index('<h2 id="network">')]
    assert "<th scope=\"col\" class=\"num\">Paid</th>" in budget
    rows = {row[0]: row for row in table_rows(budget)}
    with db.connection():
        programme = Programme.get(Programme.slug == "slagelse-faellesskabsalliancen")
        figures = money.budget_overview([programme.id])[programme.id]
        first = programme.start_date.year
    # the sign-on fees paid in the first year (plugins/local_partnership/demo.py)
    assert figures[first]["paid"] >= 30_000 * 100 and ore(rows[str(first)][5]) == figures[first]["paid"]
    # the link opens the budgets of the programme's municipality, at the programme
    with db.connection():
        code = programme.municipality.code
    assert f'href="/budgets?municipality={code}#programme-{programme.id}"' in budget
    assert f'id="programme-{programme.id}"' in programme_page(http, programme)


def test_the_page_shows_the_sums_of_the_money_itself(http):
    """The page reads the kept totals (``budget_total``); what it shows is what summing every fee,
    grant and paid payment gives."""
    from peewee import fn

    from core.models.money import Grant, SignOnFee
    from core.models.payment import PaymentRequest
    with db.connection():
        programme = Programme.get(Programme.slug == "slagelse-faellesskabsalliancen")
        fees = dict(SignOnFee.select(SignOnFee.granted_on.year, fn.SUM(SignOnFee.amount_ore))
                    .where(SignOnFee.programme == programme.id, SignOnFee.deleted_at.is_null())
                    .group_by(SignOnFee.granted_on.year).tuples())
        grants = dict(Grant.select(Grant.year, fn.SUM(Grant.amount_ore))
                      .where(Grant.programme == programme.id, Grant.deleted_at.is_null()).group_by(Grant.year).tuples())
        paid = dict(PaymentRequest.select(PaymentRequest.budget_year, fn.SUM(PaymentRequest.amount_ore))
                    .where(PaymentRequest.programme == programme.id, PaymentRequest.status == "paid")
                    .group_by(PaymentRequest.budget_year).tuples())
    text = programme_page(http, programme)
    rows = table_rows(block(text, f"programme-{programme.id}"))
    assert rows and any(ore(row[3]) > 0 for row in rows)
    for row in rows:
        year = int(row[0])
        committed = int(fees.get(year, 0) or 0) + int(grants.get(year, 0) or 0)
        assert (ore(row[2]), ore(row[3])) == (committed, int(paid.get(year, 0) or 0)), row


def test_one_municipality_s_budgets(http):
    """``?municipality=<code>`` shows that municipality's programmes and the funders of those, no other."""
    with db.connection():
        slagelse = Programme.get(Programme.slug == "slagelse-faellesskabsalliancen")
        code = slagelse.municipality.code
        others = list(Programme.select().where(Programme.municipality != slagelse.municipality_id,
                                               Programme.deleted_at.is_null()))
    text = programme_page(http, slagelse)
    assert f'id="programme-{slagelse.id}"' in text
    assert others and not any(f'id="programme-{p.id}"' in text for p in others)
    assert f'<option value="{code}" selected>' in text
    funder = block(text, f"funder-{slagelse.funder_id}")
    # Socialstyrelsen funds Hillerød's programme too, but this page is Slagelse's
    assert 'href="/programmes/slagelse-faellesskabsalliancen"' in funder
    assert 'href="/programmes/hillerod-tuff"' not in funder


def test_budgets_come_a_page_at_a_time(http, app):
    """With more programmes than a page holds, each page shows ``page_size`` of them with links to
    the others, and every programme is on exactly one page; a page past the last shows the last
    and a page that is not a number the first, as the directory reads its address."""
    settings = app.state.platform.settings
    original = settings.page_size
    object.__setattr__(settings, "page_size", 2)
    try:
        with db.connection():
            expected = {p.id for p in Programme.select().where(Programme.deleted_at.is_null())}
        assert len(expected) > 2
        seen: list[int] = []
        page, pages = 1, None
        while True:
            text = main(http.get(f"/budgets?page={page}", headers=ENGLISH).text)
            programmes = text[text.index('<h2 id="programmes">'):]
            shown = [int(n) for n in re.findall(r'<section aria-labelledby="programme-(\d+)"', programmes)]
            assert 1 <= len(shown) <= 2
            seen += shown
            pages = pages or int(re.search(r"page 1 of (\d+)", programmes).group(1))
            if page == pages:
                assert 'rel="next"' not in programmes
                break
            assert f'href="/budgets?page={page + 1}#programmes" rel="next"' in programmes
            page += 1
        assert sorted(seen) == sorted(expected) and len(seen) == len(set(seen))
        beyond = main(http.get("/budgets?page=999", headers=ENGLISH).text)
        assert f"page {pages} of {pages}" in beyond[beyond.index('<h2 id="programmes">'):]
        for odd in ("x", "-1", "0", "1e9"):
            response = http.get(f"/budgets?page={odd}&municipality=<b>", headers=ENGLISH)
            assert response.status_code == 200
            assert "page 1 of" in main(response.text)
    finally:
        object.__setattr__(settings, "page_size", original)
