"""The action-plan pages: an agreement's plan and its versions, editing a draft (goals,
indicators, targets per year), the workflow buttons, the differences from the version before,
the annex to print, the spreadsheet download and import, and status entries.

Each view loads its row through ``core.tenancy`` (another tenant's row is 404) and asks
``core.authz.can`` for the action on that row (403); the rules in ``plans`` check again and
write. A refusal shows the page again with the problems (422); success redirects (303) with a
``saved`` flag.
"""
from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from core import authz, csv_writer
from core.rules.errors import RuleViolation
from core.views.manage_common import NO_STORE, actor_of, load_or_404, require, saved
from core.web.pages import render
from core.web.routing import page
from plugins.network_life import access, plan_csv, plans
from plugins.network_life.config import (DIRECTIONS, EDITABLE_STATES, OPEN_STATES, PROGRESS, direction_label,
                                         progress_label, settings_of, state_label)
from plugins.network_life.models import ActionPlan, PlanGoal, PlanIndicator, PlanStatus, PlanVersion
from core.models.agreement import Agreement


def _platform(request):
    return request.app.state.platform


def _form(request) -> dict:
    form = request.state.form
    return {key: (form.getlist(key) if len(form.getlist(key)) > 1 else form.get(key)) for key in form.keys()
            if key != "csrf_token"}


def focus_area_titles(platform, programme_type: str) -> dict[int, object]:
    return {area.number: area.title for area in settings_of(platform).focus_areas(programme_type)}


def labels() -> dict:
    return {"state": state_label, "progress": progress_label, "direction": direction_label,
            "progress_values": PROGRESS, "directions": DIRECTIONS}


# --- starting a plan ----------------------------------------------------------------------------

def start(request):
    platform, actor = _platform(request), actor_of(request)
    agreement = load_or_404(request, Agreement, "agreement.read", Agreement.id == request.path_params["agreement_id"])
    existing = ActionPlan.get_or_none(ActionPlan.agreement == agreement.id)
    programme_type = agreement.programme.programme_type
    years = settings_of(platform).for_type(programme_type).plan_years
    first = max(agreement.start_date.year, plans.current_year())
    context = {"agreement": agreement, "existing": existing, "plan_years": years,
               "offered": settings_of(platform).plans_for(programme_type),
               "values": {"first_year": first, "last_year": first + years[-1] - 1, "summary": ""}, "errors": {}}
    if request.method == "GET":
        return render(request, "network_life/start_plan.html", context, headers=NO_STORE)
    require(request, access.PLAN_DRAFT, agreement)
    values = _form(request)
    try:
        version = plans.start_plan(platform, actor, agreement, values)
    except RuleViolation as exc:
        return render(request, "network_life/start_plan.html", {**context, "values": values, "errors": exc.by_field()},
                      status_code=409 if "status" in exc.by_field() else 422, headers=NO_STORE)
    return saved(f"/action-plans/versions/{version.id}", "plan-started")


# --- the plan and its versions ----------------------------------------------------------------

def plan_page(request, errors=None, values=None, status_code=200):
    platform, actor = _platform(request), actor_of(request)
    plan = load_or_404(request, ActionPlan, access.PLAN_READ, ActionPlan.id == request.path_params["actionplan_id"])
    agreement = plan.agreement
    programme_type = agreement.programme.programme_type
    versions = list(PlanVersion.select().where(PlanVersion.plan == plan.id).order_by(PlanVersion.number.desc()))
    approved = next((v for v in versions if v.state == "approved"), None)
    goals = plans.tree([approved.id])[approved.id] if approved else []
    statuses = list(PlanStatus.select().where(PlanStatus.plan == plan.id)
                    .order_by(PlanStatus.recorded_at.desc(), PlanStatus.id.desc()).limit(200))
    latest = plans.latest_statuses([plan.id])
    open_version = next((v for v in versions if v.state in OPEN_STATES), None)
    context = {
        "plan": plan, "agreement": agreement, "organisation": agreement.organisation, "programme": agreement.programme,
        "versions": versions, "approved": approved, "goals": goals, "statuses": statuses,
        "latest": {area: latest.get((plan.id, area)) for area in focus_area_titles(platform, programme_type)},
        "focus_areas": focus_area_titles(platform, programme_type), "open_version": open_version,
        "may_status": approved is not None and authz.can(actor, access.PLAN_STATUS, plan),
        "may_new_version": open_version is None and bool(versions) and authz.can(actor, access.PLAN_DRAFT, plan),
        "this_year": plans.current_year(), "errors": errors or {},
        "values": values or {"year": plans.current_year()}, **labels(),
    }
    return render(request, "network_life/plan.html", context, status_code=status_code, headers=NO_STORE)


def _version(request, action: str = access.PLAN_READ) -> PlanVersion:
    return load_or_404(request, PlanVersion, action, PlanVersion.id == request.path_params["planversion_id"])


def version_context(request, version: PlanVersion) -> dict:
    platform, actor = _platform(request), actor_of(request)
    plan = version.plan
    agreement = plan.agreement
    previous = (PlanVersion.select().where(PlanVersion.plan == plan.id, PlanVersion.number == version.number - 1)
                .first())
    trees = plans.tree([version.id] + ([previous.id] if previous else []))
    goals = trees[version.id]
    editable = version.state in EDITABLE_STATES and authz.can(actor, access.PLAN_DRAFT, version)
    focus_areas = focus_area_titles(platform, agreement.programme.programme_type)
    by_area = {number: [goal for goal in goals if goal.row.focus_area == number] for number in focus_areas}
    return {
        "version": version, "plan": plan, "agreement": agreement, "organisation": agreement.organisation,
        "programme": agreement.programme, "goals": goals, "by_area": by_area, "focus_areas": focus_areas,
        "previous": previous,
        "differences": plans.differences(previous, trees[previous.id], version, goals) if previous else [],
        "editable": editable,
        "may_submit": editable, "may_feedback": version.state == "submitted" and authz.can(actor, access.PLAN_FEEDBACK,
                                                                                           version),
        "may_approve": version.state == "submitted" and authz.can(actor, access.PLAN_APPROVE, version),
        "plan_years": settings_of(platform).for_type(agreement.programme.programme_type).plan_years,
        "errors": {}, "values": {}, "failed": "", **labels(),
    }


def version_page(request):
    version = _version(request)
    return render(request, "network_life/version.html", version_context(request, version), headers=NO_STORE)


def _act(request, loader, action: str, change, anchor: str = "", flag: str = "plan-saved", form_id: str = ""):
    """Load the row, check the action on it, run the rule; the version page again on a refusal."""
    row = loader()
    require(request, action, row)
    values = _form(request)
    try:
        version = change(row, values)
    except RuleViolation as exc:
        version = row if isinstance(row, PlanVersion) else (row.version if isinstance(row, PlanGoal)
                                                            else row.goal.version)
        version = PlanVersion.get_by_id(version.id)
        context = version_context(request, version)
        errors = exc.by_field()
        context.update(errors=errors, values=values, failed=form_id)
        return render(request, "network_life/version.html", context,
                      status_code=409 if "status" in errors else 422, headers=NO_STORE)
    return RedirectResponse(f"/action-plans/versions/{version.id}?saved={flag}{anchor}", status_code=303)


def version_save(request):
    platform, actor = _platform(request), actor_of(request)
    return _act(request, lambda: _version(request, access.PLAN_DRAFT), access.PLAN_DRAFT,
                lambda version, values: plans.save_version(platform, actor, version, values), form_id="version")


def goal_add(request):
    platform, actor = _platform(request), actor_of(request)

    def change(version, values):
        goal = plans.add_goal(platform, actor, version, values)
        return goal.version
    return _act(request, lambda: _version(request, access.PLAN_DRAFT), access.PLAN_DRAFT, change,
                form_id="goal-new")


def _goal(request, action) -> PlanGoal:
    return load_or_404(request, PlanGoal, action, PlanGoal.id == request.path_params["plangoal_id"])


def goal_save(request):
    platform, actor = _platform(request), actor_of(request)
    goal_id = request.path_params["plangoal_id"]

    def change(goal, values):
        if values.get("action") == "delete":
            version = goal.version
            plans.delete_goal(actor, goal)
            return version
        return plans.save_goal(platform, actor, goal, values).version
    return _act(request, lambda: _goal(request, access.PLAN_DRAFT), access.PLAN_DRAFT, change,
                form_id=f"goal-{goal_id}")


def indicator_add(request):
    actor = actor_of(request)
    goal_id = request.path_params["plangoal_id"]
    return _act(request, lambda: _goal(request, access.PLAN_DRAFT), access.PLAN_DRAFT,
                lambda goal, values: plans.add_indicator(actor, goal, values).goal.version,
                form_id=f"indicator-new-{goal_id}")


def indicator_save(request):
    actor = actor_of(request)
    indicator_id = request.path_params["planindicator_id"]

    def change(indicator, values):
        version = indicator.goal.version
        if values.get("action") == "delete":
            plans.delete_indicator(actor, indicator)
            return version
        plans.save_indicator(actor, indicator, values)
        return version
    return _act(request, lambda: load_or_404(request, PlanIndicator, access.PLAN_DRAFT,
                                             PlanIndicator.id == indicator_id),
                access.PLAN_DRAFT, change, form_id=f"indicator-{indicator_id}")


def submit(request):
    actor = actor_of(request)
    return _act(request, lambda: _version(request, access.PLAN_DRAFT), access.PLAN_DRAFT,
                lambda version, values: plans.submit(actor, version), flag="plan-submitted", form_id="submit")


def feedback(request):
    actor = actor_of(request)
    return _act(request, lambda: _version(request, access.PLAN_FEEDBACK), access.PLAN_FEEDBACK,
                lambda version, values: plans.give_feedback(actor, version, values), flag="feedback-given",
                form_id="feedback")


def approve(request):
    actor = actor_of(request)
    return _act(request, lambda: _version(request, access.PLAN_APPROVE), access.PLAN_APPROVE,
                lambda version, values: plans.approve(actor, version), flag="plan-approved", form_id="approve")


def new_version(request):
    actor = actor_of(request)
    plan = load_or_404(request, ActionPlan, access.PLAN_DRAFT, ActionPlan.id == request.path_params["actionplan_id"])
    try:
        version = plans.new_version(actor, plan)
    except RuleViolation as exc:
        return plan_page(request, errors=exc.by_field(), status_code=409)
    return saved(f"/action-plans/versions/{version.id}", "version-started")


def status(request):
    platform, actor = _platform(request), actor_of(request)
    plan = load_or_404(request, ActionPlan, access.PLAN_STATUS, ActionPlan.id == request.path_params["actionplan_id"])
    values = _form(request)
    try:
        plans.record_status(platform, actor, plan, values)
    except RuleViolation as exc:
        errors = exc.by_field()
        return plan_page(request, errors=errors, values=values, status_code=409 if "status" in errors else 422)
    return saved(f"/action-plans/{plan.id}", "status-recorded")


# --- the annex, the spreadsheet ---------------------------------------------------------------

def annex(request):
    """The version as a printable annex to the agreement (A4; the print stylesheet hides the
    site's navigation). Only an approved version is the annex; others print marked as drafts."""
    version = _version(request)
    context = version_context(request, version)
    context["approved_by_name"] = version.approved_by.split(":")[-1] if version.approved_by else ""
    return render(request, "network_life/annex.html", context, headers=NO_STORE)


def download(request):
    platform = _platform(request)
    version = _version(request)
    dialect = csv_writer.dialect_named(request.query_params.get("dialect"))
    if dialect is None:
        raise HTTPException(400)
    name = f"action-plan-{version.plan.agreement.organisation.slug}-v{version.number}.csv"
    return Response(plan_csv.export(platform, version, dialect), media_type=csv_writer.MEDIA_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{name}"', **NO_STORE})


def import_file(request):
    platform, actor = _platform(request), actor_of(request)
    version = _version(request, access.PLAN_DRAFT)
    require(request, access.PLAN_DRAFT, version)
    upload = request.state.form.get("file")
    if upload is None or isinstance(upload, str):
        data = (upload or "").encode("utf-8")
    else:  # an uploaded file, already spooled by the form parser: read it here, in the worker thread
        try:
            upload.file.seek(0)
            data = upload.file.read(plan_csv.MAX_BYTES + 1)
        finally:  # the parser's temporary file: closed here, or it warns when collected
            upload.file.close()
    try:
        if not data.strip():
            raise RuleViolation.one("file", "Choose the CSV file to import")
        changed = plan_csv.import_file(platform, actor, version, data)
    except RuleViolation as exc:
        context = version_context(request, PlanVersion.get_by_id(version.id))
        errors = exc.by_field()
        context.update(errors=errors, failed="import")
        return render(request, "network_life/version.html", context, status_code=409 if "status" in errors else 422,
                      headers=NO_STORE)
    flag = "import-changed" if changed else "import-unchanged"
    return RedirectResponse(f"/action-plans/versions/{version.id}?saved={flag}", status_code=303)


def routes():
    return [
        page("/agreements/{agreement_id:id}/action-plan", start, name="network_life_plan_start",
             methods=("GET", "POST"), permission=access.PLAN_READ),
        page("/action-plans/{actionplan_id:id}", plan_page, name="network_life_plan", permission=access.PLAN_READ),
        page("/action-plans/{actionplan_id:id}/new-version", new_version, name="network_life_plan_new_version",
             methods=("POST",), permission=access.PLAN_DRAFT),
        page("/action-plans/{actionplan_id:id}/status", status, name="network_life_plan_status", methods=("POST",),
             permission=access.PLAN_STATUS),
        page("/action-plans/versions/{planversion_id:id}", version_page, name="network_life_version",
             permission=access.PLAN_READ),
        page("/action-plans/versions/{planversion_id:id}/save", version_save, name="network_life_version_save",
             methods=("POST",), permission=access.PLAN_DRAFT),
        page("/action-plans/versions/{planversion_id:id}/goals", goal_add, name="network_life_goal_add",
             methods=("POST",), permission=access.PLAN_DRAFT),
        page("/action-plans/goals/{plangoal_id:id}", goal_save, name="network_life_goal_save", methods=("POST",),
             permission=access.PLAN_DRAFT),
        page("/action-plans/goals/{plangoal_id:id}/indicators", indicator_add, name="network_life_indicator_add",
             methods=("POST",), permission=access.PLAN_DRAFT),
        page("/action-plans/indicators/{planindicator_id:id}", indicator_save, name="network_life_indicator_save",
             methods=("POST",), permission=access.PLAN_DRAFT),
        page("/action-plans/versions/{planversion_id:id}/submit", submit, name="network_life_version_submit",
             methods=("POST",), permission=access.PLAN_DRAFT),
        page("/action-plans/versions/{planversion_id:id}/feedback", feedback, name="network_life_version_feedback",
             methods=("POST",), permission=access.PLAN_FEEDBACK),
        page("/action-plans/versions/{planversion_id:id}/approve", approve, name="network_life_version_approve",
             methods=("POST",), permission=access.PLAN_APPROVE),
        page("/action-plans/versions/{planversion_id:id}/annex", annex, name="network_life_version_annex",
             permission=access.PLAN_READ),
        page("/action-plans/versions/{planversion_id:id}/plan.csv", download, name="network_life_version_csv",
             permission=access.PLAN_READ),
        page("/action-plans/versions/{planversion_id:id}/import", import_file, name="network_life_plan_import",
             methods=("POST",), permission=access.PLAN_DRAFT),
    ]
