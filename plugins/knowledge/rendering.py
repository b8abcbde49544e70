"""Markdown as people write it, shown as safe HTML.

markdown-it-py renders CommonMark (raw HTML allowed, so what people paste is not shown as
tags), and nh3 then keeps only an allow-list: text formatting, lists, quotes, code, tables and
links to http(s) and mail addresses. Scripts and styles go with their content, event-handler
attributes and ``javascript:`` links go, and every link gets ``rel="noopener noreferrer nofollow
ugc"``. Headings are moved two levels down (``#`` becomes ``<h3>``), because the page around
the text already has its ``<h1>`` and ``<h2>``s. What a peer instance sends is rendered here
too: no HTML from elsewhere is ever trusted.
"""
from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

MAX_LENGTH = 20_000
TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre", "hr", "a",
        "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "del", "s", "sub", "sup"}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

_parser = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False}).enable("table") \
    .enable("strikethrough")


def _shift_headings(tokens) -> None:
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(6, int(token.tag[1:]) + 2)
            token.tag = f"h{level}"


def to_html(text: str | None) -> Markup:
    """The sanitised HTML of a Markdown text (at most ``MAX_LENGTH`` characters are read)."""
    source = (text or "")[:MAX_LENGTH]
    if not source.strip():
        return Markup("")
    tokens = _parser.parse(source)
    _shift_headings(tokens)
    html = _parser.renderer.render(tokens, _parser.options, {})
    clean = nh3.clean(html, tags=TAGS, clean_content_tags={"script", "style"}, attributes=ATTRIBUTES,
                      url_schemes=URL_SCHEMES, link_rel="noopener noreferrer nofollow ugc", strip_comments=True)
    return Markup(clean)  # nosec B704 - sanitised by nh3 just above

