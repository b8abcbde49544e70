"""/manage: what the logged-in person may change, scoped to their municipality or organisation."""
from __future__ import annotations

from tests.core.views._manage import (ADMIN, KBH_ADMIN, KBH_PROGRAMME, NATIONAL, RBBC, RBBC_RESOURCE_PERSON,
                                      SLAGELSE_COORDINATOR, SLAGELSE_PROGRAMME, as_user)

__all__ = ["as_user"]


def test_municipality_admin_sees_their_municipality_only(as_user):
    client = as_user(KBH_ADMIN)
    page = client.get("/manage")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert f"/manage/programmes/{KBH_PROGRAMME}/edit" in page.text
    assert f"/manage/programmes/{KBH_PROGRAMME}/grants/new" in page.text
    assert SLAGELSE_PROGRAMME not in page.text and RBBC not in page.text
    assert "/manage/organisations/b1908/edit" in page.text
    assert "/manage/organisations/new" in page.text and "/manage/programmes/new" in page.text
    assert 'href="/manage"' in client.get("/").text  # the header links here


def test_organisation_roles_see_their_own(as_user):
    page = as_user(RBBC_RESOURCE_PERSON).get("/manage").text
    assert f"/manage/organisations/{RBBC}/edit" in page
    assert "/manage/organisations/roskilde-handbold/edit" not in page and "/manage/programmes/" not in page
    page = as_user(SLAGELSE_COORDINATOR).get("/manage").text
    assert f"/manage/programmes/{SLAGELSE_PROGRAMME}/network" in page
    # the volunteer centre pays the sign-on fees of its own partnership (plugins/local_partnership/model.py)
    assert f"/manage/programmes/{SLAGELSE_PROGRAMME}/fees/new" in page
    assert KBH_PROGRAMME not in page and "/manage/organisations/new" not in page


def test_platform_admin_sees_every_tenant(as_user):
    page = as_user(ADMIN).get("/manage").text
    assert KBH_PROGRAMME in page and SLAGELSE_PROGRAMME in page


def test_who_may_not(as_user):
    anonymous = as_user()
    assert anonymous.get("/manage").headers["location"] == "/login?next=/manage"
    assert 'href="/manage"' not in anonymous.get("/").text
    national = as_user(NATIONAL)
    assert national.get("/manage").status_code == 403
    assert 'href="/manage"' not in national.get("/").text
