"""A test plugin (not a real municipality's): a programme type of "Odense" whose sign-on fee
goes only to organisations *new to the network*, a rule the core does not know, added through
the ``check_rules`` hook inside the money rules' transaction, with its messages in Danish and
English from its own catalogue.

New to the network, as this plugin defines it: an organisation is new to the network of a
programme of this type when

1. it joined the programme's network after the programme started (its membership's
   ``joined_on`` is later than the programme's start date; founding members, and members
   without a date, are not new), and
2. it was not in the network of an earlier programme of the same municipality — one that
   started before this one — at any time (a membership that has since ended counts too).
"""
from __future__ import annotations

from core.hookspecs import hookimpl
from core.i18n import lazy_gettext as _
from core.models.membership import Membership
from core.models.programme import Programme
from core.programme_types import ProgrammeType

__version__ = "0.1.0"

TYPE_KEY = "odense-new-network-members"

PROGRAMME_TYPE = ProgrammeType(
    key=TYPE_KEY,
    name=_("New in the network (Odense, test)"),
    plugin="odense",
    summary=_("A sign-on fee for associations that are new to the network."),
    owner_kinds=("municipality",),
    agreement_years=2,
    sign_on_fee_cap_ore=20_000 * 100,
)


def earlier_network(programme, organisation_id: int) -> Programme | None:
    """An earlier programme of the municipality whose network the organisation was in, if any."""
    return (Programme.select(Programme.name).join(Membership, on=(Membership.programme == Programme.id))
            .where(Membership.organisation == organisation_id, Programme.id != programme.id,
                   Programme.municipality == programme.municipality_id,
                   Programme.start_date < programme.start_date)
            .order_by(Programme.start_date).first())


def check_newcomer(check) -> None:
    """Refuse a sign-on fee to an organisation that is not new to the network (see above). An
    organisation outside the network is the core's refusal already."""
    from core.models.organisation import Organisation
    programme = check.programme
    membership = Membership.get_or_none(Membership.programme == programme.id,
                                        Membership.organisation == check.organisation_id)
    if membership is None:
        return
    name = Organisation.get_by_id(check.organisation_id).name
    if membership.joined_on is None or membership.joined_on <= programme.start_date:
        check.problems.add("organisation", "%(organisation)s is not new to the network: it has been a member "
                                           "since the programme started", organisation=name)
        return
    earlier = earlier_network(programme, check.organisation_id)
    if earlier is not None:
        check.problems.add("organisation", "%(organisation)s is not new to the network: it was already in the "
                                           "network of %(programme)s", organisation=name, programme=earlier.name)


@hookimpl
def register_programme_types():
    return [PROGRAMME_TYPE]


@hookimpl
def check_rules(platform, check):
    if check.action != "sign_on_fee.record" or check.programme_type is None \
            or check.programme_type.key != TYPE_KEY:
        return
    check_newcomer(check)
