"""What the knowledge plugin keeps about a person, and forgetting it.

A learning, a method and a comment name their author (an adult with an account). The person's
own-data download lists what they wrote; when they delete their account, their comments go
(a conversation is theirs) and the learnings and methods stay, as the organisation's knowledge,
without their name.
"""
from __future__ import annotations

from plugins.knowledge.models import Comment, Learning, Method


def _iso(value):
    return value.isoformat() if value is not None else None


def export(account) -> dict | None:
    learnings = [{"id": row.id, "title": row.title, "summary": row.summary, "body": row.body,
                  "visibility": row.visibility, "created_at": _iso(row.created_at),
                  "deleted": row.deleted_at is not None}
                 for row in Learning.select().where(Learning.author == account.id).order_by(Learning.id)]
    methods = [{"id": row.id, "title": row.title, "learning": row.learning_id, "created_at": _iso(row.created_at)}
               for row in Method.select().where(Method.author == account.id).order_by(Method.id)]
    comments = [{"id": row.id, "learning": row.learning_id, "body": row.body, "created_at": _iso(row.created_at)}
                for row in Comment.select().where(Comment.author == account.id).order_by(Comment.id)]
    if not (learnings or methods or comments):
        return None
    return {"learnings": learnings, "methods": methods, "comments": comments}


def forget(account) -> None:
    """Inside the account deletion's transaction."""
    Comment.delete().where(Comment.author == account.id).execute()
    for model in (Learning, Method):
        # a plain UPDATE: the feeds carry no author, so nothing harvested changes and no change number is due
        model.update(author=None, author_name="").where(model.author == account.id).execute()
