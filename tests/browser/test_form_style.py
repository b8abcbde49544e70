"""One form style in a real browser: a checkbox or radio button sits beside its own words, the
buttons follow one hierarchy (approving is the primary action, cancelling a payment a danger
action that does not look like it, and neither stretches across the page), and every form
shows its problems in the same error summary. Nothing is written: the forms are shown, or
sent with problems."""
from __future__ import annotations

import pytest

from core.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

KBH_PROGRAMME = "kobenhavn-sociale-partnerskaber"

GAP = """(selector) => {
  const box = document.querySelector(selector);
  const label = box.closest('label');
  const text = [...label.childNodes].find((n) => n.nodeType === 3 && n.textContent.trim());
  const range = document.createRange();
  range.selectNodeContents(text);
  const words = range.getBoundingClientRect();
  const control = box.getBoundingClientRect();
  return {gap: words.left - control.right, middle: Math.abs((words.top + words.bottom) / 2 - (control.top + control.bottom) / 2)};
}"""


def log_in(page, live_server: str, email: str) -> None:
    page.goto(live_server + "/login")
    page.fill("#login-email", email)
    page.fill("#login-password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.press("#login-password", "Enter")


def style(locator, *properties: str) -> dict:
    return locator.evaluate("(el, names) => Object.fromEntries(names.map((n) => [n, getComputedStyle(el)[n]]))",
                            list(properties))


def test_checkboxes_and_radio_buttons_sit_beside_their_words(page, live_server):
    log_in(page, live_server, "rbbc-ressourceperson@partnerskab.test")
    page.goto(live_server + "/agreements")
    page.locator("#agreements a").first.click()
    page.wait_for_load_state()
    checkbox = 'input[type="checkbox"][name="adult"]'
    assert page.locator(checkbox).count() == 1
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        measured = page.evaluate(GAP, checkbox)
        assert 0 <= measured["gap"] <= 16, (width, measured)
        assert measured["middle"] <= 12, (width, measured)


def test_one_button_hierarchy_on_a_payment(page, live_server):
    """A payment waiting for approval, as the administrator who may approve or cancel it."""
    log_in(page, live_server, "kbh-admin@partnerskab.test")
    page.goto(live_server + "/payments?status=created")
    page.locator("main table a[href^='/payments/']").first.click()
    page.wait_for_load_state()
    approve = page.locator("form[action$='/approve'] button")
    cancel = page.locator("form[action$='/cancel'] button")
    assert approve.count() == 1 and cancel.count() == 1
    primary, danger = (style(b, "backgroundColor", "color", "borderTopColor") for b in (approve, cancel))
    assert primary["backgroundColor"] != danger["backgroundColor"]  # filled vs outlined
    assert danger["color"] == danger["borderTopColor"] != primary["borderTopColor"]  # red outline and words
    main_width = page.locator("main").bounding_box()["width"]
    for button in (approve, cancel):
        assert button.bounding_box()["width"] < main_width / 2  # not full width


def test_every_form_shows_its_problems_in_the_same_summary(page, live_server):
    log_in(page, live_server, "kbh-admin@partnerskab.test")
    # a management form (core/templates/manage/_form.html)
    page.goto(live_server + f"/manage/programmes/{KBH_PROGRAMME}/budget")
    page.fill("#f-year", "")
    page.fill("#f-amount", "lots")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    first = page.locator(".error-summary")
    assert first.count() == 1 and first.locator("h2").count() == 1
    managed = style(first, "borderLeftColor", "borderLeftWidth", "backgroundColor")
    heading = first.locator("h2").inner_text()
    # a lifecycle form (core/templates/lifecycle/macros.html: problems)
    page.goto(live_server + "/agreements")
    page.locator("#agreements a", has_text="Brønshøj Boldklub").first.click()  # Sociale partnerskaber: extendable
    page.wait_for_load_state()
    page.fill("#extend-end", "")
    with page.expect_navigation():
        page.locator("form[action$='/extend'] button").click()
    second = page.locator(".error-summary")
    assert second.count() == 1
    assert style(second, "borderLeftColor", "borderLeftWidth", "backgroundColor") == managed
    assert second.locator("h2").inner_text() == heading
    page.problems[:] = [p for p in page.problems if not ("HTTP 4" in p or "status of 4" in p)]  # refusals were the point
