"""The first-run pages (``/setup``): a fresh instance's municipality, look, first programme and
first call, for its platform administrator, without JavaScript.

Only a real deployment has them (``demo = false``: a demo's places come from its demo data),
and only an actor with ``instance.setup`` (the platform administrator) reaches them. Each step
is an ordinary form: the CSRF check runs in front of it, ``core.rules.first_run`` decides and
writes (audit-logged), and a refusal shows the form again with a message per field. The look
the administrator chooses reaches every page through ``/look.css`` and ``/look/logo``.
"""
from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from core import look
from core.criteria import VOCABULARY
from core.i18n import lazy_gettext as _
from core.rules import first_run
from core.rules.errors import RuleViolation
from core.views.manage_common import NO_STORE, actor_of, form_values, show_form
from core.web.pages import NavLink, render
from core.web.routing import page

PERMISSION = "instance.setup"


def _platform(request):
    return request.app.state.platform


def _fresh_instance_only(request) -> first_run.Progress:
    if _platform(request).settings.demo:
        raise HTTPException(404)
    return first_run.progress(_platform(request))


def _next(progress: first_run.Progress) -> str:
    if progress.municipality is None:
        return "/setup/municipality"
    if progress.programme is None:
        return "/setup/programme"
    if progress.call is None:
        return "/setup/call"
    return f"/calls/{progress.call.id}"


def setup_index(request):
    progress = _fresh_instance_only(request)
    return render(request, "setup/index.html", {"progress": progress, "next": _next(progress)}, headers=NO_STORE)


def municipality_form(request):
    progress = _fresh_instance_only(request)
    if progress.municipality is not None:
        return RedirectResponse("/setup", status_code=303)
    if request.method == "GET":
        return show_form(request, "setup/municipality.html", {"values": {}})
    values = form_values(request, ("code", "name", "region"))
    try:
        first_run.add_municipality(values, actor_of(request).label)
    except RuleViolation as exc:
        return show_form(request, "setup/municipality.html", {"values": values}, exc.by_field())
    return RedirectResponse("/setup?saved=municipality", status_code=303)


def look_form(request):
    progress = _fresh_instance_only(request)
    current = progress.look
    defaults = {"brand": current.brand if current else "#0b4f6c", "accent": current.accent if current else "#8a3b12"}
    if request.method == "GET":
        return show_form(request, "setup/look.html", {"values": defaults, "look": current})
    values = form_values(request, ("brand", "accent"))
    upload = request.state.form.get("logo")
    logo = None
    if upload is not None and not isinstance(upload, str) and upload.filename:
        logo = (upload.filename, upload.file.read(look.MAX_LOGO_BYTES + 1))
    try:
        first_run.choose_look(_platform(request), values, logo, actor_of(request).label)
    except RuleViolation as exc:
        return show_form(request, "setup/look.html", {"values": values, "look": current}, exc.by_field())
    return RedirectResponse("/setup?saved=look", status_code=303)


def _programme_context(request, progress, values):
    platform = _platform(request)
    return {"values": values, "municipality": progress.municipality, "vocabulary": list(VOCABULARY.values()),
            "target_groups": list(platform.target_groups.values())}


def programme_form(request):
    progress = _fresh_instance_only(request)
    if progress.municipality is None:
        return RedirectResponse("/setup/municipality", status_code=303)
    if progress.programme is not None:
        return RedirectResponse("/setup", status_code=303)
    if request.method == "GET":
        values = {"owner": "municipality", "criteria": [], "target_groups": []}
        return show_form(request, "setup/programme.html", _programme_context(request, progress, values))
    values = form_values(request, first_run.TEXT_FIELDS + first_run.LIST_FIELDS, multi=first_run.LIST_FIELDS)
    try:
        first_run.declare_programme(_platform(request), values, actor_of(request).label)
    except RuleViolation as exc:
        return show_form(request, "setup/programme.html", _programme_context(request, progress, values),
                         exc.by_field())
    return RedirectResponse("/setup/call?saved=programme", status_code=303)


def call_form(request):
    progress = _fresh_instance_only(request)
    if progress.programme is None:
        return RedirectResponse("/setup/programme", status_code=303)
    if progress.call is not None:
        return RedirectResponse(f"/calls/{progress.call.id}", status_code=303)
    context = {"programme": progress.programme}
    if request.method == "GET":
        return show_form(request, "setup/call.html", {**context, "values": {}})
    values = form_values(request, ("title", "description", "opens_on", "closes_on", "questions"))
    try:
        call = first_run.open_call(_platform(request), progress.programme, values, actor_of(request).label)
    except RuleViolation as exc:
        return show_form(request, "setup/call.html", {**context, "values": values}, exc.by_field())
    return RedirectResponse(f"/calls/{call.id}", status_code=303)


def look_css(request):
    chosen = look.current(_platform(request).settings.instance_dir)
    return Response(chosen.css() if chosen else "", media_type="text/css",
                    headers={"Cache-Control": "public, max-age=300"})


def look_logo(request):
    """The uploaded logo, as an image only: no sniffing, and an SVG sandboxed if opened on its own."""
    instance = _platform(request).settings.instance_dir
    chosen = look.current(instance)
    if chosen is None or not chosen.logo:
        raise HTTPException(404)
    kind = chosen.logo.rsplit(".", 1)[-1]
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=300",
               "Content-Disposition": f'inline; filename="logo.{kind}"'}
    if kind == "svg":
        headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return Response((instance / chosen.logo).read_bytes(), media_type=look.LOGO_TYPES[kind], headers=headers)


def navigation_links(request) -> list[NavLink]:
    """'Set up' for the administrator of a real deployment until its first call is open."""
    actor = getattr(request.state, "actor", None)
    platform = _platform(request)
    if platform.settings.demo or actor is None or not actor.is_authenticated:
        return []
    from core import authz
    if not authz.can(actor, PERMISSION) or first_run.progress(platform).done:
        return []
    return [NavLink("/setup", _("Set up"), order=1)]


def routes():
    both = ("GET", "POST")
    return [
        page("/setup", setup_index, name="setup", permission=PERMISSION),
        page("/setup/municipality", municipality_form, name="setup_municipality", methods=both,
             permission=PERMISSION),
        page("/setup/look", look_form, name="setup_look", methods=both, permission=PERMISSION),
        page("/setup/programme", programme_form, name="setup_programme", methods=both, permission=PERMISSION),
        page("/setup/call", call_form, name="setup_call", methods=both, permission=PERMISSION),
        page("/look.css", look_css, name="look_css"),
        page("/look/logo", look_logo, name="look_logo"),
    ]

