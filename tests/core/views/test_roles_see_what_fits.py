"""Each role sees words and ways that fit it, over real HTTP: an association's people are not
offered "Manage" or a consultant's caseload, and see on their agreement page whether their
organisation has been paid; staff who record grants find the grant form from the agreement."""
from __future__ import annotations

import re

import httpx
import pytest

from core import db
from core.demo import DEMO_PASSWORD
from core.models.agreement import Agreement
from core.models.payment import PaymentRequest
from tests.core.auth.conftest import PASSWORD, fresh_address, login, make_account  # noqa: F401 (a fixture)

BOARD_MEMBER = "rbbc-bestyrelse@partnerskab.test"
RESOURCE_PERSON = "rbbc-ressourceperson@partnerskab.test"
CONSULTANT = "kbh-konsulent@partnerskab.test"


@pytest.fixture
def person(live_server):
    clients = []

    def make(email: str, password: str = DEMO_PASSWORD, lang: str = "da") -> httpx.Client:
        client = httpx.Client(base_url=live_server, timeout=20, follow_redirects=False, cookies={"lang": lang},
                              headers={"X-Forwarded-For": fresh_address()})
        clients.append(client)
        assert login(client, email, password).status_code == 303
        return client
    yield make
    for client in clients:
        client.close()


def header(html: str) -> str:
    return html.split("</header>")[0]


def h1(html: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", html, re.S).group(1).strip()


@pytest.mark.parametrize("email", [BOARD_MEMBER, RESOURCE_PERSON])
def test_an_associations_people_see_their_organisation_not_manage_or_a_caseload(person, email):
    client = person(email)
    home = client.get("/").text
    assert '<a href="/manage">Vores organisation</a>' in header(home)
    assert "Administrér" not in home
    manage = client.get("/manage").text
    assert h1(manage) == "Vores organisation"
    assert "Roskilde Basketball Club (RBBC)" in manage
    assert h1(client.get("/agreements").text) == "Vores partnerskabsaftaler"
    assert h1(client.get("/applications").text) == "Vores ansøgninger"
    todo = client.get("/todo").text
    assert 'href="/caseload"' not in todo and "Mine foreninger" not in todo
    caseload = client.get("/caseload")
    assert caseload.status_code == 303 and caseload.headers["location"] == "/agreements"


def test_a_consultant_keeps_manage_and_the_caseload(person):
    client = person(CONSULTANT)
    assert '<a href="/manage">Administrér</a>' in header(client.get("/").text)
    assert 'href="/caseload"' in client.get("/todo").text
    assert 'href="/caseload"' in client.get("/agreements").text
    assert h1(client.get("/caseload").text) == "Mine foreninger"


@pytest.fixture
def paid_association(app, make_account):
    """A new board member of an association that holds an agreement and has been paid."""
    with db.connection():
        payment = (PaymentRequest.select().where(PaymentRequest.status == "paid")
                   .join(Agreement, on=(Agreement.organisation == PaymentRequest.organisation))
                   .order_by(PaymentRequest.id).first())
        organisation = payment.organisation
        agreement = Agreement.get(Agreement.organisation == organisation.id, Agreement.programme == payment.programme_id)
        payments = list(PaymentRequest.select().where(PaymentRequest.organisation == organisation.id,
                                                      PaymentRequest.programme == payment.programme_id))
    email = make_account(role="board_member", municipality=None, organisation=organisation.slug)
    return email, agreement.id, payments


def test_an_association_sees_whether_it_has_been_paid(person, paid_association):
    email, agreement_id, payments = paid_association
    client = person(email, PASSWORD, lang="en")
    page = client.get(f"/agreements/{agreement_id}")
    assert page.status_code == 200
    money = page.text.split('<h2 id="money">', 1)[1].split('<h2 id="contacts">', 1)[0]
    table = re.search(r'<table class="stack" id="agreement-payments">(.*?)</table>', money, re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    assert len(rows) == len(payments)
    for payment, row in zip(payments, rows):
        assert f"Payment {payment.id}" in row
        if payment.status == "paid":
            assert "Paid" in row and payment.paid_on.strftime("%Y") in row
    assert "DKK" in table
    # their own payments, read only: no way into the payment pages they may not open
    assert 'href="/payments/' not in money and "Request a payment" not in money
    assert client.get(f"/payments/{payments[0].id}").status_code == 403


def test_the_agreement_page_leads_to_the_grant_form(person):
    client = person(CONSULTANT, lang="en")
    with db.connection():
        agreement = (Agreement.select().join_from(Agreement, Agreement.programme.rel_model)
                     .where(Agreement.consultant.is_null(False)).order_by(Agreement.id).first())
    page = client.get(f"/agreements/{agreement.id}").text
    actions = re.search(r'<ul class="inline-list" id="agreement-money-actions">(.*?)</ul>', page, re.S)
    assert actions, "no money actions on the agreement page"
    link = re.search(r'href="(/manage/programmes/[^/"]+/grants/new\?organisation=\d+[^"]*)"', actions.group(1))
    assert link, actions.group(1)
    form = client.get(link.group(1).replace("&amp;", "&"))
    assert form.status_code == 200
    assert f'value="{agreement.organisation_id}" selected' in form.text
