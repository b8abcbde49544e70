"""The consultant's overview (and their to-do page, which lists overdue required meetings) asks
as many questions with many associations, plans, versions and statuses as with few — counted
with peewee's query log around real HTTP requests to the live server in this process."""
from __future__ import annotations

import datetime

import pytest
from playhouse.test_utils import count_queries

from core import db
from core.models.account import Account
from core.models.agreement import Agreement
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.models.programme import Programme
from plugins.network_life.config import PROGRESS
from plugins.network_life.models import ActionPlan, PlanStatus, PlanVersion
from tests.plugins.network_life.conftest import ADMIN, CONSULTANT

PAGES = ("/action-plans", "/action-plans?show=all", "/todo", "/meetings")


def _grow(count: int, made: dict) -> None:
    """``count`` more associations in Copenhagen's programme, followed by the consultant, each
    with a plan in two versions and a status per focus area."""
    programme = Programme.get(Programme.slug == "kobenhavn-sociale-partnerskaber")
    municipality = Municipality.get(Municipality.code == "0101")
    consultant = Account.get(Account.email == CONSULTANT)
    today = datetime.date.today()
    start = len(made["organisations"])
    for n in range(start, start + count):
        organisation = Organisation.create(name=f"Tælleforening {n}", slug=f"taelleforening-{n}", kind="association",
                                           municipality=municipality.id, city="København")
        made["organisations"].append(organisation.id)
        agreement = Agreement.create(programme=programme.id, organisation=organisation.id, cohort=today.year,
                                     start_date=today - datetime.timedelta(days=400),
                                     end_date=today + datetime.timedelta(days=400), consultant=consultant.id)
        made["agreements"].append(agreement.id)
        plan = ActionPlan.create(agreement=agreement.id)
        PlanVersion.create(plan=plan.id, number=1, state="superseded", first_year=today.year, last_year=today.year + 1)
        PlanVersion.create(plan=plan.id, number=2, state="approved", first_year=today.year, last_year=today.year + 1)
        for area in range(1, 7):
            PlanStatus.create(plan=plan.id, focus_area=area, year=today.year, progress=PROGRESS[(n + area) % len(PROGRESS)])


def _counts(client) -> dict[str, int]:
    counts = {}
    for path in PAGES:
        client.get(path)  # warm what a page caches
        with count_queries() as counter:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts[path] = counter.count
    return counts


@pytest.fixture
def grown(app):
    made = {"organisations": [], "agreements": []}
    yield made
    with db.connection(), db.database.atomic():
        plans = ActionPlan.select(ActionPlan.id).where(ActionPlan.agreement.in_(made["agreements"] or [0]))
        PlanStatus.delete().where(PlanStatus.plan.in_(plans)).execute()
        PlanVersion.delete().where(PlanVersion.plan.in_(plans)).execute()
        ActionPlan.delete().where(ActionPlan.agreement.in_(made["agreements"] or [0])).execute()
        Agreement.delete().where(Agreement.id.in_(made["agreements"] or [0])).execute()
        Organisation.delete().where(Organisation.id.in_(made["organisations"] or [0])).execute()


def test_the_overview_asks_as_many_questions_with_30_associations_as_with_2(person, grown):
    for email in (CONSULTANT, ADMIN):
        grown_before = len(grown["organisations"])
        client = person(email)
        with db.connection(), db.database.atomic():
            _grow(2, grown)
        small = _counts(client)
        with db.connection(), db.database.atomic():
            _grow(28, grown)
        large = _counts(client)
        grew = {path: (small[path], large[path]) for path in PAGES if large[path] > small[path]}
        assert not grew, f"{email}: queries grew with the data: {grew}"
        page = client.get("/action-plans?show=all").text
        assert f"Tælleforening {grown_before + 29}" in page  # the rows are there
