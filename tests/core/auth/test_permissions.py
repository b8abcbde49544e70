"""Every route declares the permission it needs, and the one decision function answers by
role and scope."""
from __future__ import annotations

import pytest
from starlette.routing import Mount

from core import authz
from core.auth.web import actor_for
from core.models import Account, Municipality, Organisation, Programme
from core.settings import ConfigError


def all_routes(routes, prefix=""):
    for route in routes:
        yield prefix, route
        if isinstance(route, Mount) and not getattr(route, "permission", None) and getattr(route, "routes", None):
            yield from all_routes(route.routes, prefix + route.path)


def test_every_route_declares_a_known_permission(app, platform):
    known = platform.permissions.known_actions | {authz.PUBLIC}
    undeclared = [prefix + getattr(route, "path", repr(route)) for prefix, route in all_routes(app.routes)
                  if authz.route_permission(route) is None]
    assert undeclared == [], f"routes without a permission declaration: {undeclared}"
    unknown = [(getattr(route, "path", ""), authz.route_permission(route)) for _, route in all_routes(app.routes)
               if authz.route_permission(route) not in known]
    assert unknown == []


def test_declare_only_marks_public_routes():
    from starlette.routing import Route

    from core.web.routing import declare
    with pytest.raises(ValueError):
        declare(Route("/x", lambda request: None), "programme.edit")


def test_an_unknown_action_is_an_error_not_a_no(platform):
    with pytest.raises(authz.UnknownPermission):
        authz.can(authz.anonymous(platform.permissions), "programme.edti")


def test_plugins_add_permissions_but_not_roles():
    table = authz.build_permissions([{"consultant": ["action_plan.approve"]}])
    assert table.grants("consultant", "action_plan.approve")
    assert table.grants("platform_admin", "action_plan.approve")
    assert not table.grants("resource_person", "action_plan.approve")
    with pytest.raises(ConfigError):
        authz.build_permissions([{"wizard": ["x.y"]}])


def actor(platform, email):
    return actor_for(platform, Account.get(Account.email == email))


def test_roles_are_held_in_their_scope(platform, dbconn):
    copenhagen = Programme.get(Programme.slug == "kobenhavn-sociale-partnerskaber")
    slagelse = Programme.get(Programme.slug == "slagelse-faellesskabsalliancen")
    rbbc = Organisation.get(Organisation.slug == "roskilde-basketball-club-rbbc")
    other_club = Organisation.get(Organisation.slug == "roskilde-handbold")
    consultant = actor(platform, "kbh-konsulent@partnerskab.test")
    assert authz.can(consultant, "programme.edit", copenhagen)
    assert not authz.can(consultant, "programme.edit", slagelse)
    assert not authz.can(consultant, "organisation.create")
    coordinator = actor(platform, "slagelse-frivilligcenter@partnerskab.test")
    assert authz.can(coordinator, "programme.edit", slagelse)
    assert not authz.can(coordinator, "programme.edit", copenhagen)
    resource_person = actor(platform, "rbbc-ressourceperson@partnerskab.test")
    assert authz.can(resource_person, "organisation.edit", rbbc)
    assert not authz.can(resource_person, "organisation.edit", other_club)
    assert not authz.can(resource_person, "programme.edit")
    admin = actor(platform, "admin@partnerskab.test")
    assert authz.can(admin, "programme.edit", slagelse) and authz.can(admin, "audit.read")
    national = actor(platform, "national@partnerskab.test")
    assert authz.can(national, "shared.read", copenhagen) and not authz.can(national, "programme.edit", copenhagen)
    public = authz.anonymous(platform.permissions)
    assert authz.can(public, "public") and not authz.can(public, "account.self")
    assert not authz.can(public, "programme.edit", copenhagen)
    municipality_admin = actor(platform, "kbh-admin@partnerskab.test")
    assert authz.can(municipality_admin, "organisation.create", Municipality.get(Municipality.code == "0101"))
    assert not authz.can(municipality_admin, "organisation.create", Municipality.get(Municipality.code == "0330"))


def test_account_self_covers_only_ones_own_account(platform, dbconn):
    consultant = actor(platform, "kbh-konsulent@partnerskab.test")
    assert authz.can(consultant, "account.self", consultant.account)
    assert not authz.can(consultant, "account.self", Account.get(Account.email == "admin@partnerskab.test"))
