"""Tenant isolation: ``core.tenancy`` narrows every private query, and over real HTTP nobody
reads or changes another municipality's or organisation's rows.

The matrix test enumerates every route of the app whose declared permission is not public
(core and plugins alike, so a new route joins the matrix by existing), logs in as each demo
account, and for each other tenant — another municipality (Copenhagen 0101 against
Slagelse, Roskilde and Hillerød) and another organisation (a second club in Roskilde, another
volunteer centre) — fills the route's path with that tenant's rows, GETs it and POSTs it with
a valid CSRF token and a plausible form naming that tenant. Every try must be refused (403 or
404) with every table unchanged; a page without the tenant in its address must not link to
the other tenant's private pages. The platform administrator is the control: the same
addresses answer 200 for them, so a refusal is never just a wrong address. The figures go to
stdout and ``/tmp/tenancy-figures.txt``.
"""
from __future__ import annotations

import collections
import dataclasses
import re
from pathlib import Path

import pytest
from starlette.routing import Mount

from core import authz, db, tenancy
from core.auth.web import actor_for
from core.models import Account, Membership, Municipality, Organisation, Programme
from core.models.money import Grant, SignOnFee
from tests.core.auth.conftest import csrf_from
from tests.core.views._manage import (ADMIN, HILLEROD_PROGRAMME, KBH_ADMIN, KBH_CONSULTANT, KBH_PROGRAMME, NATIONAL,
                                      RBBC, RBBC_BOARD, RBBC_RESOURCE_PERSON, ROSKILDE_PROGRAMME,
                                      SLAGELSE_COORDINATOR, SLAGELSE_PROGRAMME, log_in, new_client)

FIGURES_FILE = Path("/tmp/tenancy-figures.txt")
REFUSED = (403, 404)
# Tables that change on every request or log what happened, not registry or account data.
VOLATILE_TABLES = {"audit_entry", "login_session", "login_attempt", "change_counter", "sqlite_sequence",
                   "migratehistory", "schema_migration", "migrations"}


@dataclasses.dataclass(frozen=True)
class Tenant:
    municipality: str | None  # code
    organisation: str         # slug
    programme: str | None     # slug


TENANTS = {
    "københavn": Tenant("0101", "b1908", KBH_PROGRAMME),
    "slagelse": Tenant("0330", "frivilligcenter-slagelse", SLAGELSE_PROGRAMME),
    "roskilde": Tenant("0265", RBBC, ROSKILDE_PROGRAMME),
    "hillerød": Tenant("0219", "frivilligcenter-hillerod", HILLEROD_PROGRAMME),
    # another organisation in the same municipality as RBBC: organisation scope, not municipality scope
    "roskilde-handbold": Tenant(None, "roskilde-handbold", None),
}

# Each demo account and the tenants that are not theirs.
OTHER_TENANTS = {
    KBH_ADMIN: ("slagelse", "roskilde", "hillerød"),
    KBH_CONSULTANT: ("slagelse", "roskilde", "hillerød"),
    SLAGELSE_COORDINATOR: ("københavn", "hillerød", "roskilde"),
    RBBC_RESOURCE_PERSON: ("københavn", "roskilde-handbold", "slagelse"),
    RBBC_BOARD: ("københavn", "roskilde-handbold", "slagelse"),
    NATIONAL: ("københavn", "slagelse", "roskilde"),
}


# ---------------------------------------------------------------- unit tests of core.tenancy

def actor(platform, email):
    return actor_for(platform, Account.get(Account.email == email))


ACTIONS = ("registry.read_private", "organisation.edit", "programme.edit", "membership.edit", "money.record")


@pytest.mark.parametrize("email", [ADMIN, KBH_ADMIN, KBH_CONSULTANT, SLAGELSE_COORDINATOR, RBBC_RESOURCE_PERSON,
                                   RBBC_BOARD, NATIONAL])
def test_scoped_lists_and_can_agree_on_every_row(platform, dbconn, email):
    """For every demo account and action, the rows ``scoped`` returns are exactly those ``can`` allows."""
    person = actor(platform, email)
    for model in (Municipality, Organisation, Programme, Membership, SignOnFee, Grant):
        rows = list(model.select())
        for action in ACTIONS:
            listed = {row.id for row in tenancy.scoped(model.select(), model, person, action)}
            allowed = {row.id for row in rows if authz.can(person, action, row)}
            assert listed == allowed, (email, model.__name__, action)


def test_municipality_grant_sees_its_municipality_only(platform, dbconn):
    consultant = actor(platform, KBH_CONSULTANT)
    slugs = {p.slug for p in tenancy.scoped(Programme.select(), Programme, consultant, "programme.edit")}
    assert KBH_PROGRAMME in slugs and SLAGELSE_PROGRAMME not in slugs and ROSKILDE_PROGRAMME not in slugs
    codes = {o.municipality.code for o in tenancy.scoped(Organisation.select(), Organisation, consultant,
                                                         "organisation.edit")}
    assert codes == {"0101"}
    assert tenancy.get_scoped(Programme, consultant, "programme.edit", Programme.slug == SLAGELSE_PROGRAMME) is None
    assert tenancy.get_scoped(Programme, consultant, "programme.edit", Programme.slug == KBH_PROGRAMME).slug == \
        KBH_PROGRAMME


def test_organisation_grant_sees_what_the_organisation_owns_or_joins(platform, dbconn):
    coordinator = actor(platform, SLAGELSE_COORDINATOR)
    programmes = {p.slug for p in tenancy.scoped(Programme.select(), Programme, coordinator, "programme.edit")}
    assert programmes == {SLAGELSE_PROGRAMME}
    organisations = {o.slug for o in tenancy.scoped(Organisation.select(), Organisation, coordinator,
                                                    "organisation.edit")}
    assert organisations == {"frivilligcenter-slagelse"}
    resource_person = actor(platform, RBBC_RESOURCE_PERSON)
    memberships = list(tenancy.scoped(Membership.select(), Membership, resource_person, "registry.read_private"))
    assert memberships and {m.organisation.slug for m in memberships} == {RBBC}
    assert list(tenancy.scoped(Programme.select(), Programme, resource_person, "programme.edit")) == []


def test_no_grant_no_rows_and_instance_wide_everything(platform, dbconn):
    public = authz.anonymous(platform.permissions)
    assert tenancy.scoped(Programme.select(), Programme, public, "programme.edit").count() == 0
    national = actor(platform, NATIONAL)  # holds no action on the registry's private side
    assert tenancy.scoped(Programme.select(), Programme, national, "programme.edit").count() == 0
    assert tenancy.tenant_condition(Programme, actor(platform, ADMIN), "programme.edit") is None
    assert tenancy.scoped(Programme.select(), Programme, actor(platform, ADMIN), "programme.edit").count() == \
        Programme.select().count()
    # an action the role does not hold narrows to nothing even inside the role's own scope
    consultant = actor(platform, KBH_CONSULTANT)
    assert tenancy.scoped(Programme.select(), Programme, consultant, "programme.create").count() == 0
    # "public" is everyone's
    assert tenancy.tenant_condition(Programme, public, "public") is None


def test_a_model_without_a_rule_is_an_error_not_everything(platform, dbconn):
    from core.models.changes import ChangeCounter
    with pytest.raises(TypeError, match="no tenancy rule"):
        tenancy.scoped(ChangeCounter.select(), ChangeCounter, actor(platform, KBH_ADMIN), "programme.edit")


# ---------------------------------------------------------------- the HTTP matrix

def private_routes(app):
    def walk(routes, prefix=""):
        for route in routes:
            if isinstance(route, Mount) and not getattr(route, "permission", None) and getattr(route, "routes", None):
                yield from walk(route.routes, prefix + route.path)
            else:
                yield prefix, route
    found = []
    for prefix, route in walk(app.routes):
        permission = authz.route_permission(route)
        if permission in (None, authz.PUBLIC) or not hasattr(route, "path"):
            continue
        methods = sorted({m for m in (route.methods or ()) if m in ("GET", "POST")})
        found.append((prefix + route.path, permission, methods))
    return found


PARAM = re.compile(r"{(\w+)(?::\w+)?}")


def _model_by_stem(platform, stem: str):
    """The model a ``{<stem>_id}`` parameter names: by class or table name (payment -> payment_request)."""
    from core import models as core_models
    candidates = {cls for cls in vars(core_models).values() if isinstance(cls, type) and hasattr(cls, "_meta")}
    candidates |= set(platform.models or ())
    exact = [cls for cls in candidates if stem in (cls.__name__.lower(), cls._meta.table_name)]
    prefixed = [cls for cls in candidates if cls._meta.table_name.startswith(stem + "_")]
    found = sorted(exact or prefixed, key=lambda cls: cls.__name__)
    return found[0] if len(found) == 1 else None


def _tenant_condition(model, municipality_ids, organisation_ids, depth=0):
    """The rows of ``model`` in a tenant: its own tenancy rule, else through a foreign key to a
    model that has one (an application through its call, a review through its application)."""
    try:
        return tenancy.condition_for(model, municipality_ids, organisation_ids)
    except TypeError:
        if depth > 3:
            raise
    for field in model._meta.fields.values():
        rel = getattr(field, "rel_model", None)
        if rel is None or rel is model:
            continue
        try:
            condition = _tenant_condition(rel, municipality_ids, organisation_ids, depth + 1)
        except TypeError:
            continue
        return field.in_(rel.select(rel.id).where(condition))
    raise TypeError(f"{model.__name__}: no tenancy rule and no foreign key to a model with one")


def resolve(platform, path: str, tenant: Tenant, extra_values: dict[str, list[str]]):
    """Fill ``path``'s parameters with rows of ``tenant``: a list of URLs (several when a
    parameter takes several values), [] when the tenant has no such row, or a str naming
    the parameter the matrix does not know how to fill."""
    params = PARAM.findall(path)
    municipality = Municipality.get_or_none(Municipality.code == tenant.municipality) if tenant.municipality else None
    organisation = Organisation.get(Organisation.slug == tenant.organisation)
    m_ids, o_ids = [municipality.id if municipality else 0], [organisation.id]
    chosen: dict[str, object] = {}  # model -> row, for consistent nested parameters
    values: dict[str, list[str]] = {}
    for name in params:
        if name in extra_values:
            values[name] = extra_values[name]
            continue
        if name == "slug":
            segment = path.split("{slug")[0].rstrip("/").rsplit("/", 1)[-1]
            if segment == "programmes":
                if not tenant.programme:
                    return []
                row = Programme.get(Programme.slug == tenant.programme)
            elif segment == "organisations":
                row = organisation
            else:
                return f"{{slug}} after /{segment}/"
            chosen[type(row)] = row
            values[name] = [row.slug]
            continue
        if name in ("code", "municipality_code") and municipality is not None:
            values[name] = [municipality.code]
            continue
        stem = name[:-3] if name.endswith("_id") else ("" if name == "id" else None)
        model = _model_by_stem(platform, stem) if stem else None
        if model is None:
            return f"{{{name}}}"
        try:
            condition = _tenant_condition(model, m_ids, o_ids)
        except TypeError as exc:
            return f"{{{name}}} ({exc})"
        query = model.select().where(condition)
        for field in model._meta.fields.values():  # inside the rows already chosen for this URL
            rel = getattr(field, "rel_model", None)
            if rel in chosen:
                query = query.where(field == chosen[rel].id)
        row = query.order_by(model.id).first()
        if row is None:
            return []
        chosen[model] = row
        values[name] = [str(row.id)]
    urls = [path]
    for name in params:
        urls = [re.sub(r"{" + name + r"(?::\w+)?}", value, url, count=1) for url in urls for value in values[name]]
    return urls


def tenant_in_path(path: str, extra_values: dict) -> bool:
    """Does the address name a row (a tenant), not just a choice like an export's format?"""
    return any(name not in extra_values for name in PARAM.findall(path))


# Open calls invite applications from any association: applying names another tenant's call
# by design. The probe's application is incomplete, so it must be refused (400/422) unwritten.
OPEN_TO_EVERY_TENANT = {"/calls/{call_id:id}/apply"}


def probe_form(tenant: Tenant) -> dict[str, str]:
    """A plausible form naming the other tenant: what each of the app's forms asks for."""
    organisation = Organisation.get(Organisation.slug == tenant.organisation)
    programme = Programme.get(Programme.slug == tenant.programme) if tenant.programme else None
    return {
        "name": "Tenancy probe", "kind": "association", "municipality": tenant.municipality or "",
        "municipality_code": tenant.municipality or "", "organisation": str(organisation.id),
        "organisation_id": str(organisation.id), "owner_organisation": str(organisation.id),
        "programme": str(programme.id) if programme else "", "programme_id": str(programme.id) if programme else "",
        "programme_type": programme.programme_type if programme else "", "funder": "",
        "description": "probe", "start_date": "2024-01-01", "end_date": "", "status": "active",
        "role": "partner", "joined_on": "2024-01-01", "amount": "100", "granted_on": "2024-06-01",
        "year": "2024", "note": "probe", "purpose": "probe", "reason": "probe", "reference": "probe",
        "paid_on": "2024-06-01", "email": "tenancy-probe@example.org", "title": "Tenancy probe",
        "kind_of_payment": "grant", "decision": "approved", "comment": "probe", "text": "probe",
        "opens_on": "2024-01-01", "closes_on": "2024-12-31", "months": "12", "until": "2025-12-31",
        "hours_per_week": "10", "person_name": "Tenancy Probe",
    }


def database_state() -> dict[str, list]:
    """Every row of every table except the volatile ones (sessions, login attempts, the audit log)."""
    state = {}
    for table in sorted(db.database.get_tables()):
        if table in VOLATILE_TABLES or table.startswith(("organisation_search", "sqlite_")):
            continue
        rows = db.database.execute_sql(f'SELECT * FROM "{table}"').fetchall()
        state[table] = sorted(map(repr, rows))
    return state


def _diff(before, after) -> list[str]:
    return [table for table in before if before[table] != after.get(table)]


def _export_names(client) -> list[str]:
    page = client.get("/exports")
    return sorted(set(re.findall(r'href="/exports/([\w-]+)\.(?:csv|xlsx)"', page.text))) or ["none"]


def test_no_one_reads_or_changes_another_tenants_rows(app, platform, live_server):
    routes = private_routes(app)
    assert routes, "no private routes found"
    admin = log_in(new_client(live_server), ADMIN)
    extra_values = {"dataset": _export_names(admin), "fmt": ["csv"]}
    figures = collections.Counter()
    statuses = collections.Counter()
    problems: list[str] = []
    unresolvable: set[str] = set()
    no_rows: set[tuple[str, str]] = set()
    own_account_routes: set[str] = set()
    tried_routes: set[str] = set()

    # the addresses of each tenant's private pages, resolved once
    with db.connection():
        urls = {}
        for tenant_name, tenant in TENANTS.items():
            for path, permission, methods in routes:
                if not PARAM.search(path):
                    continue
                if not tenant_in_path(path, extra_values) and tenant_name != next(iter(TENANTS)):
                    urls[(path, tenant_name)] = urls[(path, next(iter(TENANTS)))]
                    continue
                resolved = resolve(platform, path, tenant, extra_values)
                if isinstance(resolved, str):
                    unresolvable.add(f"{path}: {resolved}")
                    continue
                if not resolved:
                    no_rows.add((path, tenant_name))
                urls[(path, tenant_name)] = resolved
        forms = {name: probe_form(tenant) for name, tenant in TENANTS.items()}
        names = {name: [Organisation.get(Organisation.slug == tenant.organisation).name]
                 + ([Programme.get(Programme.slug == tenant.programme).name] if tenant.programme else [])
                 for name, tenant in TENANTS.items()}
    tenant_urls = {name: {url for (path, t), resolved in urls.items() if t == name for url in resolved
                          if tenant_in_path(path, extra_values)}
                   for name in TENANTS}

    # the control: the platform administrator reaches every one of those addresses
    for (path, tenant_name), resolved in urls.items():
        methods = next(m for p, _, m in routes if p == path)
        if "GET" in methods:
            for url in resolved:
                status = admin.get(url).status_code
                figures["control GETs by the platform administrator"] += 1
                if status != 200:
                    problems.append(f"control: platform administrator got {status} for GET {url}")

    for email, others in OTHER_TENANTS.items():
        client = log_in(new_client(live_server), email)
        token = csrf_from(client.get("/me").text)
        with db.connection():
            person = actor(platform, email)
        figures["roles"] += 1
        for tenant_name in others:
            for path, permission, methods in routes:
                route_allowed = authz.can(person, permission)
                if tenant_in_path(path, extra_values):
                    resolved = urls.get((path, tenant_name))
                    if not resolved:
                        continue
                    tried_routes.add(path)
                    for url in resolved:
                        for method in methods:
                            with db.connection():
                                before = database_state()
                            if method == "GET":
                                response = client.get(url)
                            else:
                                response = client.post(url, data={**forms[tenant_name], "csrf_token": token})
                            with db.connection():
                                after = database_state()
                            figures["tries (route × role × tenant × method)"] += 1
                            statuses[response.status_code] += 1
                            kind = "at the route (permission)" if not route_allowed else "on the row (tenancy)"
                            changed = _diff(before, after)
                            if response.status_code in REFUSED and not changed:
                                figures[f"refused {kind}"] += 1
                                figures["refused"] += 1
                            elif path in OPEN_TO_EVERY_TENANT and response.status_code in (400, 422) \
                                    and not changed:
                                figures["refused"] += 1
                                figures[f"open calls: an application naming the other tenant refused with "
                                        f"{response.status_code}"] += 1
                            else:
                                problems.append(f"{email} {method} {url} [{tenant_name}]: {response.status_code}, "
                                                f"changed {_diff(before, after)}")
                    continue
                # no tenant in the address: what the page shows must not lead into the other tenant,
                # and a download (CSV) must not name its programme or organisation
                tried_routes.add(path)
                for url in (urls.get((path, tenant_name)) or [path]) if "GET" in methods else []:
                    response = client.get(url)
                    figures["tries (route × role × tenant × method)"] += 1
                    statuses[response.status_code] += 1
                    leaked = [u for u in tenant_urls[tenant_name] if f'href="{u}"' in response.text
                              or f'action="{u}"' in response.text]
                    if response.status_code == 200 and "text/html" not in response.headers.get("content-type", ""):
                        leaked += [name for name in names[tenant_name] if name in response.text]
                    if leaked:
                        problems.append(f"{email} GET {url} shows {tenant_name}'s {leaked[:3]}")
                    else:
                        figures["refused"] += 1
                        key = "refused at the route (permission)" if response.status_code in REFUSED else \
                            "pages and downloads without the tenant in the address showing nothing of it"
                        figures[key] += 1
                if "POST" in methods:
                    if permission == authz.AUTHENTICATED or permission == "account.self":
                        own_account_routes.add(path)  # acts on the person's own account: no tenant to cross
                        continue
                    with db.connection():
                        before = database_state()
                    response = client.post(path, data={**forms[tenant_name], "csrf_token": token})
                    with db.connection():
                        after = database_state()
                    figures["tries (route × role × tenant × method)"] += 1
                    statuses[response.status_code] += 1
                    changed = _diff(before, after)
                    if response.status_code in REFUSED + (400, 422) and not changed:
                        figures["refused"] += 1
                        figures[f"forms naming the other tenant refused with {response.status_code}"] += 1
                    else:
                        problems.append(f"{email} POST {path} naming {tenant_name}: {response.status_code}, "
                                        f"changed {changed}")
        client.close()
    admin.close()

    lines = [
        "Tenant-isolation matrix (tests/core/test_tenancy.py)",
        f"private routes (permission not public): {len(routes)}",
        f"routes tried: {len(tried_routes)}; own-account POST routes (no tenant to cross): {len(own_account_routes)}",
        f"roles (demo accounts): {figures['roles']} + the platform administrator as control",
        f"tenants: {len(TENANTS)} ({', '.join(TENANTS)}); each role tries the 3 that are not its own",
        f"tries (route × role × tenant × method): {figures['tries (route × role × tenant × method)']}",
        f"refused with data unchanged: {figures['refused']}",
        *(f"  {key}: {value}" for key, value in sorted(figures.items()) if key.startswith(("refused ", "forms", "pages", "open"))),
        f"status codes: {dict(sorted(statuses.items()))}",
        f"control GETs by the platform administrator (expect 200): {figures['control GETs by the platform administrator']}",
        f"route × tenant pairs skipped, the tenant has no such row in the demo data: {len(no_rows)}"
        + (f" ({', '.join(sorted({p for p, _ in no_rows}))})" if no_rows else ""),
        f"routes whose parameters the matrix cannot fill: {sorted(unresolvable) or 'none'}",
        f"problems: {len(problems)}",
        *problems[:50],
    ]
    report = "\n".join(lines)
    print("\n" + report)
    FIGURES_FILE.write_text(report + "\n")
    assert not unresolvable, f"teach the matrix to fill these route parameters: {sorted(unresolvable)}"
    assert not problems, report
    assert figures["refused"] == figures["tries (route × role × tenant × method)"]
