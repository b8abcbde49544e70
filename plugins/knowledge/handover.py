"""The handover kit on an agreement's page: the learnings and methods of that partnership, so a
new resource person starts from what those before them learned.

"That partnership" is the agreement's programme: first what the agreement's own organisation
wrote in it, then what others in the programme's network wrote, and the programme's methods,
each only if the reader may read it. Four queries whatever the data (the reader's reach is
worked out once per request).
"""
from __future__ import annotations

from peewee import JOIN

from core import authz
from core.models.organisation import Organisation
from core.web.pages import PageBlock
from plugins.knowledge import vocabulary
from plugins.knowledge.models import Learning, Method
from plugins.knowledge.visibility import readable, reach_for

SHOWN = 10


def blocks(request, context) -> list[PageBlock]:
    agreement = context["agreement"]
    reach = reach_for(request)
    base = (Learning.select(Learning, Organisation).join(Organisation, JOIN.LEFT_OUTER)
            .where(Learning.programme == agreement.programme_id, readable(Learning, reach))
            .order_by(Learning.id.desc()).limit(SHOWN))
    own = list(base.where(Learning.organisation == agreement.organisation_id))
    network = list(base.where(Learning.organisation.is_null() | (Learning.organisation != agreement.organisation_id)))
    methods = list(Method.select().where(Method.programme == agreement.programme_id, readable(Method, reach))
                   .order_by(Method.title).limit(SHOWN))
    return [PageBlock("knowledge/handover_block.html", order=30, context={
        "knowledge_own": own, "knowledge_network": network, "knowledge_methods": methods,
        "knowledge_method_label": vocabulary.method_label,
        "knowledge_may_write": authz.can(request.state.actor, "knowledge.write"),
    })]
