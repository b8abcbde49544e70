"""A visitor finds an association, its programme and the programme's rules in a real browser.

Assertions lean on structure (ids, hrefs, the status line's number) and on demo data names,
not on translated interface text, so they hold in Danish and English alike.
"""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

PAGE_SIZE = 20


def results_total(page) -> int:
    status = page.locator("main [role=status]").inner_text()
    match = re.search(r"\d[\d.,\u00a0 ]*", status)
    assert match, f"no count in the status line: {status!r}"
    return int(re.sub(r"\D", "", match.group()))


def test_search_to_organisation_to_programme_rules(page, live_server):
    page.goto(live_server + "/")
    search = page.locator("main form[role=search] input[type=search]")
    search.fill("Roskilde Basketball")
    search.press("Enter")
    page.wait_for_url(re.compile(r"/organisations\?.*q=Roskilde"))

    assert page.locator("#q").input_value() == "Roskilde Basketball"
    result = page.locator(".results h2 a", has_text="Roskilde Basketball Club (RBBC)")
    assert result.count() == 1
    result.click()

    page.wait_for_url(re.compile(r"/organisations/[^/?]+$"))
    assert page.locator("h1").inner_text() == "Roskilde Basketball Club (RBBC)"
    programme = page.locator("main table a", has_text="Sociale partnerskabsforeninger")
    assert programme.count() == 1
    programme.click()

    page.wait_for_url(re.compile(r"/programmes/[^/?]+$"))
    assert page.locator("h1").inner_text() == "Sociale partnerskabsforeninger"
    assert page.locator("h2#rules").is_visible()
    # The rules block sits between the "Rules" and "Budget" headings.
    rules = page.evaluate("""() => {
        let text = '', node = document.getElementById('rules').nextElementSibling;
        while (node && node.id !== 'budget') { text += node.innerText + '\\n'; node = node.nextElementSibling; }
        return text;
    }""")
    assert re.search(r"10\s*[–-]\s*12", rules), rules
    # The network lists the association we came from.
    assert page.locator("#network + .table-scroll a", has_text="Roskilde Basketball Club (RBBC)").count() == 1


def test_filter_by_municipality_and_paginate(page, live_server):
    page.goto(live_server + "/organisations")
    everyone = results_total(page)

    page.select_option("#municipality", label="Københavns Kommune")
    page.locator("main form[role=search] button[type=submit]").click()
    page.wait_for_url(re.compile(r"municipality=\d+"))

    assert page.locator("#municipality option:checked").inner_text() == "Københavns Kommune"
    total = results_total(page)
    assert PAGE_SIZE < total < everyone
    first_page = page.locator(".results h2 a").all_inner_texts()
    assert len(first_page) == PAGE_SIZE
    assert page.locator(".pagination [aria-current=page]").inner_text() == "1"

    # Every result is in Copenhagen.
    places = page.locator(".results li > p.muted").all_inner_texts()
    assert all("Københavns Kommune" in place for place in places), places

    page.locator(".pagination a", has_text=re.compile(r"^\s*2\s*$")).click()
    page.wait_for_url(re.compile(r"page=2"))
    assert page.locator(".pagination [aria-current=page]").inner_text() == "2"
    assert "municipality=" in page.url, "the filter must survive paging"
    assert results_total(page) == total
    second_page = page.locator(".results h2 a").all_inner_texts()
    assert second_page and len(second_page) == min(PAGE_SIZE, total - PAGE_SIZE)
    assert not set(first_page) & set(second_page)
    assert page.locator(".pagination a[rel=prev]").count() == 1
