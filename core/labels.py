"""Words for the codes stored in rows (statuses, kinds), for places outside templates that
show them: exports (``core.csv_writer.Label``), mails. Translated when shown, in the reader's
language; a code without words shows as itself."""
from __future__ import annotations

from core.csv_writer import Label
from core.i18n import lazy_gettext as _

PAYMENT_STATUSES = {"created": _("Waiting for approval"), "approved": _("Approved"), "paid": _("Paid"),
                    "cancelled": _("Cancelled")}
PAYMENT_KINDS = {"sign_on_fee": _("Sign-on fee"), "grant_instalment": _("Grant instalment")}
COMMITMENT_KINDS = {"sign_on_fee": _("Sign-on fee"), "grant": _("Grant")}
APPLICATION_STATUSES = {"draft": _("Draft"), "submitted": _("Submitted"), "under_review": _("Under review"),
                        "accepted": _("Accepted"), "rejected": _("Rejected"), "withdrawn": _("Withdrawn")}


def label(words: dict, code: str | None) -> Label | None:
    """The code with its words from ``words`` (one of the tables above)."""
    if code is None:
        return None
    return Label(code, words.get(code, code))
