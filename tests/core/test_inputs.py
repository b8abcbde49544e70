"""``core.inputs``: the one place that bounds numbers and dates from outside (issue 7, item 5)
and reads dates as Danes type them; and over HTTP, the cases that used to answer 500."""
from __future__ import annotations

import contextlib
import datetime
import re
import uuid

import httpx
import pytest

from core import i18n, inputs
from core.auth import api_tokens
from core.models.agreement import Agreement
from core.models.application import Application
from core.rules import applications as application_rules, calls as call_rules
from core.rules.errors import Collector, RuleViolation
from tests.core.rules.conftest import COPENHAGEN_TYPE, Builder, unique
from tests.core.rules.money.test_payments import PASSWORD, account

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
DEC_1 = datetime.date(2026, 12, 1)


@pytest.mark.parametrize("typed", ["1.12.2026", "01.12.2026", "1/12/2026", "01/12/2026", "1-12-2026", "2026-12-01",
                                   " 1. 12. 2026 ", "2026-12-1"])
def test_dates_as_danes_type_them(typed):
    assert inputs.parse_date(typed, "d") == DEC_1


@pytest.mark.parametrize(("typed", "words"), [
    ("31.02.2026", "is not a date"), ("12/31/2026", "is not a date"), ("1.12.26", "is not a date"),
    ("1. december 2026", "is not a date"), ("2026/12/01", "is not a date"), ("1.12-2026", "is not a date"),
    ("9999-12-31", "in the years 1900 to 2200"), ("31.12.9999", "in the years 1900 to 2200"),
    ("1.1.1899", "in the years 1900 to 2200"), ("١.١٢.٢٠٢٦", "is not a date"),
])
def test_dates_out_of_shape_or_range_are_refused_with_words(typed, words):
    problems = Collector()
    with i18n.locale_context("en"):
        assert inputs.parse_date(typed, "start_date", problems) is None
        assert words in str(problems.problems[0]) and problems.problems[0].field == "start_date"
    with pytest.raises(RuleViolation):
        inputs.parse_date(typed, "start_date")


def test_the_api_keeps_iso_dates():
    assert inputs.parse_date("2026-12-01", "d", iso_only=True) == DEC_1
    for typed in ("1.12.2026", "2026-12-1", "01/12/2026"):
        with pytest.raises(RuleViolation, match="YYYY-MM-DD"):
            inputs.parse_date(typed, "d", iso_only=True)


def test_a_date_object_is_bounded_too():
    assert inputs.parse_date(datetime.datetime(2026, 12, 1, 10, 0), "d") == DEC_1
    with pytest.raises(RuleViolation):
        inputs.parse_date(datetime.date(9999, 12, 31), "d")
    assert inputs.parse_date("", "d", Collector(), required=False) is None


def test_ids_and_whole_numbers():
    assert inputs.parse_id("42") == 42 and inputs.parse_id(" 42 ") == 42 and inputs.parse_id(42) == 42
    for bad in ("0", "-1", "042", str(2**63), "9" * 19, "²", "١٢", "1_0", "", None, True, 2**63, "4.2"):
        assert inputs.parse_id(bad) is None, bad
    assert inputs.parse_id("9" * 18) == 10**18 - 1 < 2**63
    assert inputs.parse_int("7", "n", minimum=1, maximum=10) == 7
    for bad in ("11", "0", "1_0", "²", "7.0", "0x7", str(2**64)):
        with pytest.raises(RuleViolation):
            inputs.parse_int(bad, "n", minimum=1, maximum=10)
    assert inputs.parse_year("2024") == 2024
    for bad in ("1899", "2201", "99999", "²⁰²⁴"):
        with pytest.raises(RuleViolation):
            inputs.parse_year(bad)


def test_the_id_convertor_matches_only_ids_that_fit_the_database():
    import re as regex
    convertor = inputs.IdConvertor()
    pattern = regex.compile(convertor.regex)
    assert pattern.fullmatch("1") and pattern.fullmatch("9" * 18)
    for bad in ("0", "01", "9" * 19, "-1", "²", "١"):
        assert not pattern.fullmatch(bad), bad
    with pytest.raises(ValueError):
        convertor.to_string(2**63)


# --- over HTTP: what answered 500 before ----------------------------------------------------------

@pytest.fixture
def decider(platform, dbconn, live_server):
    """A submitted application in a fresh programme, and its municipality's administrator logged in."""
    build = Builder(platform)
    admin = account(platform)
    programme = build.programme(COPENHAGEN_TYPE, start=datetime.date(2020, 1, 1), end=None)
    today = datetime.date.today()
    call = call_rules.create_call(platform, programme=programme, actor="test", data={
        "title": unique("Runde"), "opens_on": today - datetime.timedelta(days=1),
        "closes_on": today + datetime.timedelta(days=10)})
    organisation = build.organisation(email="club@example.org", description="We play football")
    application = application_rules.start_application(platform, call=call, organisation=organisation, actor="test",
                                                      today=call.opens_on)
    application_rules.save_answers(platform, application, {
        "contact_email": "a@b.example", "criterion:min_members_under_25": "150",
        "criterion:vulnerable_urban_areas": "yes", "criterion:experience": "3"}, actor="test")
    application_rules.submit(platform, application, actor="test")
    n = uuid.uuid4().int
    client = httpx.Client(base_url=live_server, timeout=30, follow_redirects=False,
                          headers={"X-Forwarded-For": f"10.{n % 250 + 1}.{(n >> 8) % 250 + 1}.{n % 7 + 1}"})
    page = client.get("/login")
    assert client.post("/login", data={"email": admin.account.email, "password": PASSWORD,
                                       "csrf_token": CSRF_FIELD.search(page.text).group(1)}).status_code == 303
    with contextlib.closing(client):
        yield client, application, admin


def test_accepting_with_a_start_in_year_9999_is_a_message_not_a_500(decider):
    client, application, _admin = decider
    path = f"/applications/{application.id}"
    page = client.get(path)
    token = CSRF_FIELD.search(page.text).group(1)
    client.cookies.set("lang", "en")
    for typed in ("9999-12-31", "31.12.9999", "1.1.1800"):
        response = client.post(f"{path}/decide", data={"csrf_token": token, "decision": "accept",
                                                       "reason": "Good plan", "start_date": typed})
        assert response.status_code == 400, response.text
        assert "Give a date in the years 1900 to 2200" in response.text
    assert Application.get_by_id(application.id).status == "submitted"  # nothing half-written
    assert not Agreement.select().where(Agreement.application == application.id).exists()
    accepted = client.post(f"{path}/decide", data={"csrf_token": token, "decision": "accept", "reason": "Good plan",
                                                   "start_date": "1.2.2025"})
    assert accepted.status_code == 303
    agreement = Agreement.get(Agreement.application == application.id)
    assert agreement.start_date == datetime.date(2025, 2, 1)  # typed the Danish way


def test_the_api_refuses_a_start_in_year_9999_and_a_danish_date(decider):
    client, application, admin = decider
    _token, secret = api_tokens.create_token(admin.account, name="fuzz", actor="test")
    headers = {"Authorization": f"Bearer {secret}"}
    path = f"/api/v1/applications/{application.id}/decide"
    for typed in ("9999-12-31", "1.2.2025"):
        response = client.post(path, json={"decision": "accept", "reason": "Good", "start_date": typed},
                               headers=headers)
        assert response.status_code == 400, response.text
        assert "start_date" in response.json()["errors"]
    assert Application.get_by_id(application.id).status == "submitted"


@pytest.mark.parametrize("path", ["/calls/{}", "/applications/{}", "/agreements/{}", "/payments/{}"])
def test_huge_ids_in_paths_are_not_found(decider, path):
    client, _application, _admin = decider
    for value in (2**63 - 1, 2**63, 2**64, 10**40):
        assert client.get(path.format(value)).status_code == 404
    page = client.get("/me/tokens")
    token = CSRF_FIELD.search(page.text).group(1)
    for value in (2**63, 2**64):
        assert client.post(f"/me/tokens/{value}/revoke", data={"csrf_token": token}).status_code == 404
