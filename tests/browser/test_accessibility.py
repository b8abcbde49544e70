"""Accessibility in a real browser: keyboard use, labels, headings, language, no-JavaScript use,
colour contrast (WCAG 2.1 AA, 4.5:1) and a clean console under the Content-Security-Policy."""
from __future__ import annotations

import re

import httpx
import pytest

from tests.browser.conftest import CSP_REPORTER

pytestmark = pytest.mark.browser

ROSKILDE_ORG = "Roskilde Basketball Club (RBBC)"

# Relative luminance and contrast ratio per WCAG 2.1, over computed styles. The background is
# found by compositing every ancestor's background colour (alpha included) over white.
CONTRAST_JS = """
(selector) => {
  const parse = (value) => {
    const m = value.match(/rgba?\\(([^)]+)\\)/);
    if (!m) throw new Error('unparsed colour ' + value);
    const parts = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1};
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a), a: 1});
  const luminance = (c) => {
    const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  };
  const element = document.querySelector(selector);
  if (!element) return null;
  const layers = [];
  for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
    const style = getComputedStyle(node);
    if (style.backgroundImage !== 'none') throw new Error('background image behind ' + selector);
    layers.push(parse(style.backgroundColor));
  }
  let background = {r: 255, g: 255, b: 255, a: 1};
  for (const layer of layers.reverse()) background = over(layer, background);
  const foreground = over(parse(getComputedStyle(element).color), background);
  const [light, dark] = [luminance(foreground), luminance(background)].sort((x, y) => y - x);
  return {ratio: (light + 0.05) / (dark + 0.05), color: getComputedStyle(element).color,
          background: `rgb(${background.r.toFixed(0)}, ${background.g.toFixed(0)}, ${background.b.toFixed(0)})`};
}
"""


@pytest.fixture(scope="module")
def sample_paths(live_server) -> list[str]:
    """One of every kind of page, with real slugs taken from the demo data."""
    def first_link(path: str, prefix: str) -> str:
        html = httpx.get(live_server + path, timeout=10).text
        match = re.search(r'<main.*?href="(%s[^"?#]+)"' % re.escape(prefix), html, re.S)
        assert match, f"no link to {prefix}... on {path}"
        return match.group(1)

    return ["/", "/organisations", "/organisations?q=zzzz-nothing",
            first_link("/organisations?q=Roskilde+Basketball", "/organisations/"), "/programmes",
            first_link("/programmes", "/programmes/"), "/municipalities",
            first_link("/municipalities", "/municipalities/"), "/no-such-page"]


def forget_expected_404(page) -> None:
    """The deliberate visit to a missing page logs its 404; that one error is expected."""
    page.problems[:] = [problem for problem in page.problems if "/no-such-page" not in problem]


def focused(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement;
        return {tag: el.tagName, id: el.id, cls: el.className, href: el.getAttribute('href'),
                hreflang: el.getAttribute('hreflang')};
    }""")


def test_skip_link_is_first_and_moves_focus_to_main(page, live_server):
    page.goto(live_server + "/organisations")
    skip = page.locator("a.skip-link")
    assert skip.bounding_box()["x"] < 0, "the skip link hides until focused"

    page.keyboard.press("Tab")
    assert focused(page)["cls"] == "skip-link"
    box = skip.bounding_box()
    viewport = page.viewport_size
    assert 0 <= box["x"] < viewport["width"] and 0 <= box["y"] < viewport["height"]
    assert box["width"] > 20 and box["height"] > 10
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused skip link shows a focus outline"

    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    assert page.url.endswith("#main")
    # The next Tab continues inside the main content, not back at the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


def test_every_form_control_has_a_label(page, live_server):
    for path in ("/", "/organisations"):
        page.goto(live_server + path)
        unlabelled = page.evaluate("""() => {
            const controls = document.querySelectorAll('input:not([type=hidden]), select, textarea, button');
            const missing = [];
            for (const control of controls) {
                const byLabel = Array.from(control.labels || []).map((l) => l.innerText.trim()).join(' ');
                const byAria = (control.getAttribute('aria-label') || '').trim();
                const byRef = (control.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
                    .map((id) => (document.getElementById(id) || {}).innerText || '').join(' ').trim();
                const byText = control.tagName === 'BUTTON' ? control.innerText.trim() : '';
                if (!(byLabel || byAria || byRef || byText)) missing.push(control.outerHTML);
            }
            return {count: controls.length, missing};
        }""")
        assert unlabelled["count"] >= 2, path
        assert not unlabelled["missing"], f"{path}: {unlabelled['missing']}"
    # The directory's search form is a named search landmark.
    page.goto(live_server + "/organisations")
    assert page.get_by_role("search").count() == 1
    assert page.locator("form[role=search]").get_attribute("aria-label")


def test_one_h1_and_a_language_on_every_page(page, live_server, sample_paths):
    for path in sample_paths:
        page.goto(live_server + path)
        assert page.locator("h1").count() == 1, path
        assert page.locator("h1").inner_text().strip(), path
        assert page.locator("html").get_attribute("lang") in ("da", "en"), path
        assert page.title().strip(), path
        assert page.locator("main#main").count() == 1, path
    forget_expected_404(page)


def test_language_switch_with_keyboard_only(page, live_server):
    page.goto(live_server + "/organisations")
    assert page.locator("html").get_attribute("lang") == "da"
    for _ in range(10):
        page.keyboard.press("Tab")
        if focused(page)["hreflang"] == "en":
            break
    else:
        pytest.fail("the English link is not reachable with Tab from the top of the page")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"

    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.rstrip("/").endswith("/organisations"), "the switch returns to the same page"
    assert page.locator("a[hreflang=en]").get_attribute("aria-current") == "true"
    assert page.locator("a[hreflang=da]").get_attribute("aria-current") is None
    # The choice is remembered for the next page.
    page.goto(live_server + "/programmes")
    assert page.locator("html").get_attribute("lang") == "en"


def test_search_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, locale="da-DK")
    try:
        page = context.new_page()
        page.goto(live_server + "/")
        page.locator("#home-q").fill("Roskilde Basketball")
        page.locator("#home-q").press("Enter")
        page.wait_for_url(re.compile(r"/organisations\?"))
        page.locator(".results h2 a", has_text=ROSKILDE_ORG).click()
        page.wait_for_url(re.compile(r"/organisations/[^/?]+$"))
        assert page.locator("h1").inner_text() == ROSKILDE_ORG

        page.goto(live_server + "/organisations")
        page.select_option("#municipality", label="Københavns Kommune")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(r"municipality="))
        assert page.locator(".pagination a[rel=next]").count() == 1
    finally:
        context.close()


CONTRAST_CHECKS = {
    "/organisations": ["main h1", "main [role=status]", ".results li > p.muted", ".results h2 a",
                       ".tags .tag", ".pagination a", ".pagination [aria-current=page]",
                       ".site-header a.brand", ".site-header .language a", ".main-nav a",
                       "form.search label", "form.search input", "form.search select",
                       "form.search button", ".site-footer p"],
    "/": [".lead", ".stats strong", ".stats li", ".card h3 a", ".card .muted"],
}


def test_text_contrast_is_at_least_4_5(page, live_server):
    """Body text, links, header text on the brand colour and button text all reach 4.5:1."""
    failures = []
    for path, selectors in CONTRAST_CHECKS.items():
        page.goto(live_server + path)
        for selector in selectors:
            result = page.evaluate(CONTRAST_JS, selector)
            if result is None:
                failures.append(f"{path}: nothing matches {selector}")
            elif result["ratio"] < 4.5:
                failures.append(f"{path}: {selector} {result['ratio']:.2f}:1 "
                                f"({result['color']} on {result['background']})")
    assert not failures, "\n".join(failures)


def test_focused_skip_link_contrast(page, live_server):
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    result = page.evaluate(CONTRAST_JS, "a.skip-link")
    assert result["ratio"] >= 4.5, result


def test_no_console_errors_or_csp_violations(page, live_server, sample_paths):
    for path in sample_paths:
        page.goto(live_server + path)
        page.wait_for_load_state("load")
    forget_expected_404(page)
    assert not page.problems, page.problems


def test_csp_violations_are_detected(browser, live_server):
    """The reporter works: an inline style, which the CSP forbids, is reported."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(CSP_REPORTER)
        messages = []
        page.on("console", lambda msg: messages.append(msg.text) if msg.type == "error" else None)
        page.goto(live_server + "/")
        page.evaluate("document.body.insertAdjacentHTML('beforeend', '<style>body{color:red}</style>')")
        page.wait_for_timeout(100)
        assert any("CSP violation" in text for text in messages), messages
        assert page.evaluate("getComputedStyle(document.body).color") != "rgb(255, 0, 0)"
    finally:
        context.close()
