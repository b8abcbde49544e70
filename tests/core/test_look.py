"""The instance's look: colours must keep text readable (WCAG AA against white) and a logo
must be an image that cannot run or fetch anything."""
from __future__ import annotations

import pytest

from core import i18n, look
from core.rules.errors import Collector


@pytest.mark.parametrize("first, second, ratio", [
    ("#000000", "#ffffff", 21.0), ("#ffffff", "#ffffff", 1.0), ("#0b4f6c", "#ffffff", 8.94), ("#767676", "#ffffff", 4.54)])
def test_contrast_is_the_wcag_ratio(first, second, ratio):
    assert look.contrast(first, second) == pytest.approx(ratio, abs=0.01)
    assert look.contrast(second, first) == pytest.approx(ratio, abs=0.01)


@pytest.mark.parametrize("colour, problem", [
    ("#0b4f6c", None), ("#767676", None), ("#777777", "#777777 has a contrast of 4.48:1 with white"),
    ("#ffff00", "#ffff00 has a contrast of 1.07:1 with white"), ("red", "six hexadecimal digits"),
    ("#12345", "six hexadecimal digits"), ("", "six hexadecimal digits")])
def test_a_colour_needs_aa_contrast_with_white(colour, problem):
    problems = Collector()
    look.check_colour(problems, "brand", colour)
    with i18n.locale_context("en"):
        messages = [str(p.message) for p in problems.problems]
    if problem is None:
        assert messages == []
    else:
        assert len(messages) == 1 and problem in messages[0]


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">%s</svg>'


@pytest.mark.parametrize("content, problem", [
    (SVG % b'<circle cx="5" cy="5" r="4" fill="#fff"/>', None),
    (SVG % b'<style>circle { fill: red }</style><circle r="1"/><use href="#c"/>', None),
    (SVG % b"<script>alert(1)</script>", look.ACTIVE_SVG),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', look.ACTIVE_SVG),
    (SVG % b'<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>', look.ACTIVE_SVG),
    (SVG % b'<a href="javascript:alert(1)"><circle r="1"/></a>', look.ACTIVE_SVG),
    (SVG % b'<image href="https://tracker.example/pixel.png"/>', look.OUTSIDE_SVG),
    (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink"><image x:href="file:///etc/passwd"/></svg>',
     look.OUTSIDE_SVG),
    (SVG % b'<style>@import url(https://evil.example/x.css);</style>', look.OUTSIDE_SVG),
    (SVG % b'<rect style="fill: url(https://evil.example/p)"/>', look.OUTSIDE_SVG),
    (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
     look.ACTIVE_SVG),
    (b"<svg><circle r='1'/>", look.NOT_AN_SVG),
    (b'<html xmlns="http://www.w3.org/1999/xhtml"/>', look.NOT_AN_SVG),
])
def test_an_svg_logo_may_not_run_or_fetch_anything(content, problem):
    assert look.svg_problem(content) == problem


def test_a_logo_is_an_svg_or_a_png_of_a_bounded_size():
    problems = Collector()
    assert look.check_logo(problems, "logo", "logo.png", look.PNG_SIGNATURE + b"\0" * 100) == "png"
    assert look.check_logo(problems, "logo", "logo.svg", SVG % b"") == "svg"
    assert not problems.problems
    assert look.check_logo(problems, "logo", "logo.gif", b"GIF89a....") is None
    assert look.check_logo(problems, "logo", "big.png", look.PNG_SIGNATURE + b"\0" * look.MAX_LOGO_BYTES) is None
    assert [p.message.msgid for p in problems.problems] == ["The logo must be an SVG or a PNG image",
                                                            "The logo can be at most %(max)s kB"]


def test_the_look_is_saved_in_the_instance_folder_and_read_back(tmp_path):
    assert look.current(tmp_path) is None
    saved = look.save(tmp_path, "#0b4f6c", "#8a3b12", ("svg", SVG % b""), "test")
    assert (saved.brand, saved.accent, saved.logo) == ("#0b4f6c", "#8a3b12", "look-logo.svg")
    assert "--brand: #0b4f6c" in saved.css()
    again = look.save(tmp_path, "#1d4f2a", "#8a3b12", ("png", look.PNG_SIGNATURE), "test")
    assert again.logo == "look-logo.png" and not (tmp_path / "look-logo.svg").exists()
    kept = look.save(tmp_path, "#1d4f2a", "#0b4f6c", None, "test")
    assert kept.logo == "look-logo.png"  # no new logo: the old one stays
