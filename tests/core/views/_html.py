"""Small helpers to read the pages the tests fetch (regular expressions over our own markup)."""
from __future__ import annotations

import html
import re

ENGLISH = {"Cookie": "lang=en"}
DANISH = {"Cookie": "lang=da"}


def main(text: str) -> str:
    """The page's <main> element, without the header and navigation."""
    start, end = text.index("<main"), text.index("</main>")
    return text[start:end]


def section(text: str, heading_id: str) -> str:
    """From the <h2 id=...> to the next <h2> (or the end of main)."""
    body = main(text)
    start = body.index(f'<h2 id="{heading_id}">')
    following = body.find("<h2", start + 5)
    return body[start:following if following != -1 else len(body)]


def directory_results(text: str) -> list[str]:
    """The organisation names listed in the directory's results, in order."""
    results = re.search(r'<ul class="results">(.*?)</ul>\s*(?:<nav|$)', main(text) + "\n", re.S)
    assert results, "no results list on the page"
    return [html.unescape(name) for name in re.findall(r'<h2><a href="/organisations/[^"]+">([^<]+)</a></h2>',
                                                       results.group(1))]


def status_total(text: str) -> int:
    status = re.search(r'<p role="status">\s*([\d.,\xa0 ]+)', text)
    assert status, "no status line"
    return int(re.sub(r"\D", "", status.group(1)))


def table_rows(fragment: str) -> list[list[str]]:
    """Rows of the first table body in a fragment, cells as text."""
    body = re.search(r"<tbody>(.*?)</tbody>", fragment, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<br\s*/?>", "\n", cell))).strip() for cell in cells])
    return rows


def danish(component_dir, msgid: str) -> str:
    """The Danish text a component's catalogue gives for a message id (a test fails if there is none)."""
    from pathlib import Path

    from babel.messages.pofile import read_po
    with open(Path(component_dir) / "locale" / "da" / "LC_MESSAGES" / "messages.po", "rb") as fh:
        message = read_po(fh, locale="da").get(msgid)
    assert message is not None and message.string, f"no Danish text for {msgid!r}"
    return message.string
