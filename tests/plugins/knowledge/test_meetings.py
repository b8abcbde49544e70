"""A learning links to the meeting it came from when a meetings plugin offers its meetings
(``linkable_meetings``, the knowledge plugin's own optional hook): a soft link, kept with its
words and address, so the learning still reads well without that plugin."""
from __future__ import annotations

import types

import pytest

from core import db
from core.hookspecs import hookimpl
from plugins.knowledge.hookspecs import Meeting
from plugins.knowledge.models import Learning
from tests.core.auth.conftest import csrf_from
from tests.core.views._manage import as_user  # noqa: F401 - a fixture
from tests.plugins.knowledge.helpers import SLAGELSE_COORDINATOR, ids, write

ASKED: list[tuple] = []


@hookimpl(optionalhook=True)
def linkable_meetings(actor, programme_ids):
    ASKED.append((actor.account.email, tuple(programme_ids)))
    return [Meeting(f"meetings:{programme_id}", "Netværksmøde 3. marts", "/meetings/7", programme_id)
            for programme_id in programme_ids[:1]] + [Meeting("x" * 101, "too long a key")]


@pytest.fixture
def meetings_plugin(platform):
    plugin = types.SimpleNamespace(linkable_meetings=linkable_meetings)
    from plugins.knowledge import hookspecs
    with hookspecs._lock:
        if getattr(platform.pm.hook, "linkable_meetings", None) is None \
                or platform.pm.hook.linkable_meetings.spec is None:
            platform.pm.add_hookspecs(hookspecs)
    platform.pm.register(plugin, name="test-meetings")
    yield
    platform.pm.unregister(name="test-meetings")


def test_a_learning_links_to_its_meeting(as_user, meetings_plugin):
    coordinator = as_user(SLAGELSE_COORDINATOR)
    form = coordinator.get("/learnings/new")
    programme_id, _org = ids("slagelse-faellesskabsalliancen")
    assert '<option value="meetings:' in form.text and "Netværksmøde 3. marts" in form.text
    assert "too long a key" not in form.text
    assert ASKED and ASKED[-1][0] == SLAGELSE_COORDINATOR and programme_id in ASKED[-1][1]
    ref = form.text.split('<option value="meetings:', 1)[1].split('"', 1)[0]
    response = coordinator.post("/learnings/new", data={
        "title": "Fra netværksmødet", "summary": "Vi lærte noget.", "visibility": "network",
        "programme": str(programme_id), "meeting": f"meetings:{ref}", "csrf_token": csrf_from(form.text)})
    assert response.status_code == 303
    learning_id = int(response.headers["location"].split("/")[2].split("?")[0])
    page = coordinator.get(f"/learnings/{learning_id}")
    assert '<a href="/meetings/7">Netværksmøde 3. marts</a>' in page.text
    # a meeting no plugin offers is refused
    refused = coordinator.post("/learnings/new", data={
        "title": "Forfalsket", "summary": "x", "visibility": "network", "programme": str(programme_id),
        "meeting": "meetings:999999", "csrf_token": csrf_from(form.text)})
    assert refused.status_code == 422 and 'id="f-meeting-error"' in refused.text


def test_without_a_meetings_plugin_the_link_stays(as_user):
    coordinator = as_user(SLAGELSE_COORDINATOR)
    learning_id = write(coordinator, visibility="network")
    with db.connection():
        Learning.update(meeting_ref="meetings:1", meeting_label="Statusmøde", meeting_url="/meetings/1").where(
            Learning.id == learning_id).execute()
    page = coordinator.get(f"/learnings/{learning_id}")
    assert '<a href="/meetings/1">Statusmøde</a>' in page.text
    form = coordinator.get(f"/learnings/{learning_id}/edit")
    assert '<option value="meetings:1" selected>Statusmøde</option>' in form.text  # kept when edited
