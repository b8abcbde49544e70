"""The catalogue of offers in a real browser: a citizen on a 390 px phone finds a free Saturday
activity for a 14-year-old in a district, opens it and prints the list; a 70-year-old's
relative finds an offer for the elderly; a member of staff finds the stale offers and the
associations to remind. In Danish (the browser's language), without JavaScript of our own.

Assertions lean on ids, hrefs and the demo data's names, not on translated interface text."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "demo-partnerskab-2025"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def fits(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px phone"


def submit(page) -> None:
    with page.expect_navigation():
        page.locator("form.offer-search button[type=submit]").click()


def listed(page) -> list[str]:
    return page.locator("ul.offers h2 a").all_inner_texts()


def test_a_citizen_finds_a_free_saturday_activity_for_a_14_year_old_and_prints_the_list(phone, live_server):
    page = phone
    page.goto(live_server + "/")
    page.locator("details.phone-menu summary").click()  # on a phone the menu folds away
    with page.expect_navigation():
        page.locator('.phone-nav a[href="/offers"]').click()
    fits(page)
    page.fill("#age", "14")
    if not page.locator("#weekday").is_visible():  # the choices fold away on a phone
        page.locator("form.offer-search summary").click()
    page.select_option("#weekday", "6")
    page.check('input[name="free"]')
    page.select_option("#municipality", label="Roskilde Kommune")
    submit(page)
    assert set(listed(page)) == {"Håndbold lørdag morgen for 13–15-årige", "Streetbasket lørdag for unge"}
    # now the districts of Roskilde can be chosen: the one where the family lives
    page.select_option("#district", label="Sønderlund")
    submit(page)
    assert re.search(r"district=\d+", page.url) and "free=1" in page.url and "age=14" in page.url
    assert listed(page) == ["Streetbasket lørdag for unge"]
    fits(page)

    with page.expect_navigation():
        page.locator("ul.offers h2 a", has_text="Streetbasket lørdag for unge").click()
    assert page.locator("h1").inner_text() == "Streetbasket lørdag for unge"
    assert page.locator("#join-heading").is_visible()
    assert "Mød bare op i træningstøj" in page.locator("section.how-to-join").inner_text()
    fits(page)
    with page.expect_navigation():
        page.locator("main p.breadcrumb a").click()  # back to the same search
    assert listed(page) == ["Streetbasket lørdag for unge"]

    with page.expect_navigation():
        page.locator('a[href^="/offers/print"]').click()
    assert "/offers/print?" in page.url and "district=" in page.url
    assert page.locator(".print-list article h2").all_inner_texts() == ["Streetbasket lørdag for unge"]
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()   # the print stylesheet leaves the page's frame out
    assert page.locator(".print-list article").is_visible()
    assert "Mød bare op i træningstøj" in page.locator(".print-list").inner_text()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 1_000
    page.emulate_media(media="screen")


def test_a_relative_finds_an_offer_for_the_elderly(phone, live_server):
    page = phone
    page.goto(live_server + "/offers")
    page.fill("#age", "70")
    if not page.locator("#target_group").is_visible():
        page.locator("form.offer-search summary").click()
    page.select_option("#target_group", "elderly")
    submit(page)
    found = listed(page)
    assert "Stolegymnastik for seniorer" in found and "It-hjælp for seniorer" in found
    assert not any("basket" in title.lower() for title in found)
    fits(page)
    with page.expect_navigation():
        page.locator("ul.offers h2 a", has_text="Stolegymnastik for seniorer").click()
    assert "Mød op. Første gang er gratis." in page.locator("section.how-to-join").inner_text()
    assert page.locator('a[href^="tel:"]').count() == 1  # the group leader's phone, one tap away


def test_staff_find_stale_offers_and_the_associations_to_remind(page, live_server):
    page.goto(live_server + "/login")
    page.fill("#login-email", "roskilde-admin@partnerskab.test")
    page.fill("#login-password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.press("#login-password", "Enter")
    page.goto(live_server + "/manage/offers")
    if not page.locator("#show").is_visible():
        page.locator("form.offer-search summary").click()
    page.select_option("#show", "stale")
    submit(page)
    stale = listed(page)
    assert {"Brydning for begyndere", "Weekendfodbold for 14–17-årige"} <= set(stale)
    assert "Streetbasket lørdag for unge" not in stale

    page.goto(live_server + "/todo")
    with page.expect_navigation():
        page.locator('main a[href="/manage/offers/remind"]').first.click()
    rows = page.locator("main table tbody tr")
    assert rows.count() >= 2
    first = rows.first
    organisation = first.locator("td, th").first.inner_text().strip()
    assert organisation
    with page.expect_navigation():
        first.locator("button").click()
    assert "saved=" in page.url
