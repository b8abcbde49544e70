"""The programme list and each programme's page over real HTTP: the rules of its type, the
budget as a table and as an SVG chart, the network and the money."""
from __future__ import annotations

import datetime
import re

import pytest

from core import db
from core.models.membership import Membership
from core.models.programme import Programme, ProgrammeBudget
from tests.core.views._html import DANISH, ENGLISH, main, section, table_rows

PROGRAMMES = {
    "kobenhavn-sociale-partnerskaber": ("Sociale partnerskaber", "Københavns Kommune"),
    "roskilde-sociale-partnerskabsforeninger": ("Sociale partnerskabsforeninger", "Roskilde Kommune"),
    "slagelse-faellesskabsalliancen": ("Fællesskabsalliancen", "Slagelse Kommune"),
    "hillerod-tuff": ("TUFF – Trivsel, Unge, Fællesskaber og Foreningsliv", "Hillerød Kommune"),
}


def page(http, slug, language=ENGLISH):
    response = http.get(f"/programmes/{slug}", headers=language)
    assert response.status_code == 200
    return response.text


def test_programme_list_shows_every_programme(http):
    response = http.get("/programmes", headers=ENGLISH)
    assert response.status_code == 200
    rows = table_rows(main(response.text))
    by_name = {row[0].split("\n")[0]: row for row in rows}
    for slug, (name, municipality) in PROGRAMMES.items():
        assert f'<a href="/programmes/{slug}">{name}</a>' in response.text
        assert by_name[name][1] == municipality
    with db.connection():
        copenhagen = Programme.get(Programme.slug == "kobenhavn-sociale-partnerskaber")
        members = Membership.select().where(Membership.programme == copenhagen.id,
                                            Membership.deleted_at.is_null()).count()
    assert by_name["Sociale partnerskaber"][5] == str(members)
    assert by_name["Sociale partnerskaber"][3] == "2012–"  # permanent: no end year
    assert by_name["Sociale partnerskabsforeninger"][3] == "2021–2023"


def test_programme_list_shows_the_latest_budget_in_danish(http):
    rows = table_rows(main(http.get("/programmes", headers=DANISH).text))
    latest = {row[0].split("\n")[0]: row[6] for row in rows}
    this_year = datetime.date.today().year  # the demo gives the permanent programmes a budget this year
    assert latest["Sociale partnerskaber"] == f"6.000.000 kr. ({this_year})"
    assert latest["Sociale partnerskabsforeninger"] == "750.000 kr. (2023)"
    assert latest["Fællesskabsalliancen"] == f"1.200.000 kr. ({this_year})"


def test_copenhagen_rules(http):
    rules = section(page(http, "kobenhavn-sociale-partnerskaber"), "rules")
    assert "Social partnerships (Copenhagen)" in rules
    assert "at least 20 hours a week" in rules
    assert "4 years, can be extended" in rules
    focus = re.search(r"<ol>(.*?)</ol>", rules, re.S).group(1)
    assert re.findall(r'<li value="(\d)">', focus) == ["1", "2", "3", "4", "5", "6"]
    assert "Involving parents" in focus and "added in 2020" in focus
    assert "Children, Young people" in rules
    danish = section(page(http, "kobenhavn-sociale-partnerskaber", DANISH), "rules")
    assert "200.000 kr." in danish
    assert "20" in re.search(r"<dd>\s*([^<]*\b20\b[^<]*)</dd>", danish).group(1)
    assert len(re.findall(r'<li value="\d">', danish)) == 6


def test_roskilde_rules(http):
    rules = section(page(http, "roskilde-sociale-partnerskabsforeninger"), "rules")
    assert "10–12 hours a week" in rules
    # a fixed agreement period, not a length in years
    assert "Agreement period" in rules and "2021" in rules and "2023" in rules
    assert "Agreement length" not in rules
    assert "<h3>Focus areas</h3>" not in rules
    assert "Sign-on fee" not in rules
    assert "10–12" in section(page(http, "roskilde-sociale-partnerskabsforeninger", DANISH), "rules")


@pytest.mark.parametrize("slug", ["slagelse-faellesskabsalliancen", "hillerod-tuff"])
def test_local_partnership_rules(http, slug):
    danish = section(page(http, slug, DANISH), "rules")
    assert "30.000 kr." in danish
    english = section(page(http, slug), "rules")
    assert "up to DKK 30,000 per organisation" in english
    assert "Young people aged 16–24" in english
    assert "4 years" in english
    # these programmes have sign-on fees, so the page has a section for them (none recorded yet)
    assert '<h2 id="fees">' in page(http, slug)


@pytest.mark.parametrize("slug", sorted(PROGRAMMES))
def test_budget_table_and_chart(http, slug):
    text = page(http, slug)
    budget = section(text, "budget")
    with db.connection():
        programme = Programme.get(Programme.slug == slug)
        years = [b.year for b in ProgrammeBudget.select().where(ProgrammeBudget.programme == programme.id)
                 .order_by(ProgrammeBudget.year)]
    assert years
    rows = table_rows(budget)
    assert [int(row[0]) for row in rows] == years
    svg = re.search(r"<svg [^>]*>.*?</svg>", budget, re.S)
    assert svg, "no chart"
    opening = re.match(r"<svg [^>]*>", svg.group(0)).group(0)
    assert 'role="img"' in opening
    title_id = re.search(r'aria-labelledby="([^"]+)"', opening).group(1).split()[0]  # then the description
    title = re.search(rf'<title id="{title_id}">([^<]+)</title>', svg.group(0))
    assert title and title.group(1).strip()
    # one group of bars per year in the table, labelled with the year
    assert re.findall(r'<text class="row-label"[^>]*>(\d{4})</text>', svg.group(0)) == [str(y) for y in years]
    assert len(re.findall(r'class="bar-(?:committed|over)"', svg.group(0))) == len(years)
    # the chart comes with its table, not instead of it
    assert budget.index("<svg") < budget.index("<table")


def test_chart_bars_follow_the_money_and_show_the_figures(http):
    """Copenhagen 2022: 5 million of 6 million committed and, the year being over, paid: the
    bars are in that proportion on an axis in kroner, each with its figure, in the table's words."""
    budget = section(page(http, "kobenhavn-sociale-partnerskaber"), "budget")
    svg = re.search(r"<svg .*?</svg>", budget, re.S).group(0)

    def width(series):
        return float(re.search(rf'class="bar-{series}" x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg).group(1))
    assert width("committed") / width("budget") == pytest.approx(5 / 6, abs=0.01)
    assert width("paid") / width("budget") == pytest.approx(5 / 6, abs=0.01)
    values = re.findall(r'<text class="value"[^>]*>([^<]+)</text>', svg)
    assert values[:3] == ["DKK 6,000,000", "DKK 5,000,000", "DKK 5,000,000"]
    ticks = re.findall(r'<text class="tick"[^>]*>([^<]+)</text>', svg)
    assert ticks[0] == "0" and ticks[-1] == "6m"
    assert '<text class="axis-title"' in svg
    description = re.search(r"<desc id=\"([^\"]+)\">([^<]+)</desc>", svg)
    assert description.group(1) in re.match(r"<svg [^>]*>", svg).group(0)  # read with the title
    assert description.group(2).startswith("2022: Budget DKK 6,000,000, committed DKK 5,000,000, "
                                           "paid DKK 5,000,000, left DKK 1,000,000.")
    # the same words as the table's columns
    legend = re.findall(r"</svg> ([^<]+)</li>", budget)
    assert legend == ["Budget", "Committed", "Paid"]
    assert all(f'<th scope="col" class="num">{word}</th>' in budget for word in legend)


def test_network_lists_the_members(http):
    network = section(page(http, "roskilde-sociale-partnerskabsforeninger"), "network")
    rows = table_rows(network)
    roles = {row[0]: row[1] for row in rows}
    assert roles["Roskilde Basketball Club (RBBC)"] == "Partner"
    assert roles["Skoler i Roskilde Kommune"] == "Local actor"
    assert all(row[2].endswith("2021") for row in rows)


def test_programme_facts(http):
    text = main(page(http, "slagelse-faellesskabsalliancen"))
    assert '<a href="/organisations/frivilligcenter-slagelse">Frivilligcenter Slagelse</a>' in text
    assert '<a href="/organisations/socialstyrelsen">Socialstyrelsen</a>' in text
    assert '<a href="/municipalities/0330">Slagelse Kommune</a>' in text


def test_unknown_programme_is_404(http):
    assert http.get("/programmes/no-such-programme").status_code == 404
