"""Browser fixtures: Playwright driving Debian's Chromium (never Playwright's own download).

`make test` installs the `chromium` package first (target `browser`), so a missing Chromium is
a broken setup and fails loudly instead of skipping. Set CHROMIUM_PATH to use another binary.
"""
from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

# Reports from inside the page when the browser blocks something under the Content-Security-
# Policy; the page fixture fails a test on any console error, so a violation fails it too.
CSP_REPORTER = """
document.addEventListener('securitypolicyviolation', (event) => {
  console.error('CSP violation: ' + event.violatedDirective + ' blocked '
                + (event.blockedURI || 'inline') + ' at ' + event.sourceFile + ':' + event.lineNumber);
});
"""


def chromium_path() -> str:
    candidates = [os.environ.get("CHROMIUM_PATH"), shutil.which("chromium"), "/usr/bin/chromium"]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail("No Chromium found for the browser tests. Install Debian's package "
                "(`make browser`, i.e. `apt-get install chromium`) or set CHROMIUM_PATH. "
                "Playwright's own browser download is not used.", pytrace=False)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    """A fresh context per test: no cookies (language choice) leak between tests."""
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context, live_server):
    """A page that records console errors, CSP violations, failed requests and uncaught
    exceptions in `page.problems`; the test fails if any are left at its end."""
    page = context.new_page()
    page.add_init_script(CSP_REPORTER)
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(f"console error: {msg.text} ({msg.location.get('url')})")
            if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("response", lambda response: problems.append(f"HTTP {response.status}: {response.url}")
            if response.status >= 400 else None)
    page.problems = problems
    yield page
    assert not problems, "The browser reported errors:\n" + "\n".join(problems)
