"""The publishing side over HTTP: ``GET /federation/v1/`` describes this instance,
``GET /federation/v1/feeds/<kind>`` serves a feed page, and
``POST /api/federation/v1/reports`` takes a harvester's report of its run.

None of these reads a cookie: each request must carry a signed token of a registered
harvester (``signing``), each nonce is accepted once, and each answer is signed over its body
and the request's nonce. Refusals are 401 with a JSON problem, a log line and an audit row.
The report endpoint sits under ``/api/`` with ``Authorization: Bearer``, the core's rule for
requests that authenticate by header instead of cookies (no CSRF token: a browser on another
site cannot add that header).
"""
from __future__ import annotations

import datetime
import json
import logging
import time

from peewee import IntegrityError
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.routing import Route

from core import clock, db
from core.db import database
from core.models.audit import record_event
from core.web.routing import declare
from plugins.federation import feed, signing
from plugins.federation.kinds import kinds_for
from plugins.federation.models import HarvesterKey, Harvester, ReceivedReport, UsedNonce
from plugins.federation.sharing import identity, shared_scopes

log = logging.getLogger("partnerskab.federation")
PROTOCOL = "partnerskab-federation/1"
REPORT_PATH = "/api/federation/v1/reports"
MAX_REPORT_BYTES = 64 * 1024
MAX_CHANGE_NUMBER = 2**63 - 1


class Problem(Exception):
    def __init__(self, status: int, title: str, detail: str, code: str = ""):
        super().__init__(detail)
        self.status, self.title, self.detail, self.code = status, title, detail, code


def problem_response(problem: Problem) -> Response:
    body = json.dumps({"type": "about:blank", "title": problem.title, "status": problem.status,
                       "detail": problem.detail, "code": problem.code}).encode()
    headers = {"Cache-Control": "no-store"}
    if problem.status == 401:
        headers["WWW-Authenticate"] = signing.AUTH_SCHEME
    return Response(body, status_code=problem.status, media_type="application/problem+json", headers=headers)


def _now() -> float:
    return time.time()


def authenticate(request, platform, now: float) -> tuple[Harvester, dict]:
    """The harvester behind a request and the token's claims, or ``Refused``."""
    scheme, _sep, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != signing.AUTH_SCHEME.lower() or not token.strip():
        raise signing.Refused("no-token", "the request carries no federation token")
    kid = signing.claimed_kid(token.strip())
    key = (HarvesterKey.select(HarvesterKey, Harvester).join(Harvester)
           .where(HarvesterKey.kid == (kid or ""), HarvesterKey.revoked_at.is_null(), Harvester.revoked_at.is_null())
           .first()) if kid else None
    if key is None:
        raise signing.Refused("unknown-key", "the request's key is unknown or revoked")
    client = key.client
    active = (HarvesterKey.select(HarvesterKey.kid).where(HarvesterKey.client == client.id, HarvesterKey.revoked_at.is_null())
              .order_by(HarvesterKey.id))
    secret_key = platform.settings.secret_key
    claims = signing.verify_request_token(token.strip(), [signing.publisher_secret(secret_key, k.kid) for k in active],
                                          identity().instance_id, now)
    expires = datetime.datetime.fromtimestamp(signing.nonce_expiry(claims), clock.UTC)
    try:
        with database.atomic():
            UsedNonce.delete().where(UsedNonce.expires_at < clock.now()).execute()
            UsedNonce.create(nonce=claims["nonce"], expires_at=expires)
    except IntegrityError:
        raise signing.Refused("replayed", "the request token was used before") from None
    if key.last_used_at is None or clock.now() - key.last_used_at > datetime.timedelta(minutes=1):
        HarvesterKey.update(last_used_at=clock.now()).where(HarvesterKey.id == key.id).execute()
    claims["kid"] = key.kid
    return client, claims


def _refused(request, exc: signing.Refused) -> Problem:
    client = request.client.host if request.client else "?"
    log.warning("federation request refused (%s): %s %s from %s", exc.code, request.method, request.url.path, client)
    record_event("anonymous", "federation.refused", "route", f"{request.method} {request.url.path}"[:80],
                 after={"code": exc.code, "client": client})
    return Problem(401, "Unauthorized", exc.message, exc.code)


def signed_endpoint(handler):
    """A route handler that authenticates the harvester, runs ``handler(request, platform,
    client, claims) -> dict`` and answers with the signed JSON body."""
    def in_thread(request):
        platform = request.app.state.platform
        with db.connection():
            try:
                client, claims = authenticate(request, platform, _now())
            except signing.Refused as exc:
                return problem_response(_refused(request, exc))
            try:
                payload = handler(request, platform, client, claims)
            except Problem as problem:
                return problem_response(problem)
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        secret = signing.publisher_secret(platform.settings.secret_key, claims["kid"])
        return Response(body, media_type="application/json", headers={
            signing.SIGNATURE_HEADER: signing.sign_response(secret, claims["nonce"], body),
            "Cache-Control": "no-store"})

    async def endpoint(request):
        if request.method == "POST":
            request.state.body = await request.body()
        return await run_in_threadpool(in_thread, request)
    return endpoint


def describe(request, platform, client, claims) -> dict:
    from plugins import federation
    row = identity()
    shared = shared_scopes()
    keys = [k.kid for k in HarvesterKey.select(HarvesterKey.kid).where(HarvesterKey.client == client.id,
                                                                  HarvesterKey.revoked_at.is_null()).order_by(HarvesterKey.id)]
    return {
        "protocol": PROTOCOL, "id": row.instance_id, "name": platform.settings.site_name,
        "epoch": row.epoch, "epochStartedAt": row.epoch_started_at.isoformat().replace("+00:00", "Z"),
        "version": federation.__version__, "harvester": client.name, "keys": keys,
        "kinds": [{"key": key, "version": kind.version, "shared": bool(shared.get(key)),
                   "href": feed.FEED_PATH.format(kind=key)} for key, kind in kinds_for(platform).items()],
    }


def _int_param(request, name: str, default: int, minimum: int, maximum: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdecimal() or len(raw) > 19 or not minimum <= int(raw) <= maximum:
        raise Problem(400, "Bad request", f"{name} must be a whole number from {minimum} to {maximum}", "bad-parameter")
    return int(raw)


def feed_page(request, platform, client, claims) -> dict:
    kind = kinds_for(platform).get(request.path_params["kind"])
    if kind is None:
        raise Problem(404, "Not found", "no such feed kind", "unknown-kind")
    after = _int_param(request, "afterChangeNumber", 0, 0, MAX_CHANGE_NUMBER)
    limit = _int_param(request, "limit", feed.DEFAULT_LIMIT, 1, feed.MAX_LIMIT)
    page = feed.page(kind, after, limit)
    row = identity()
    return {"instance": row.instance_id, "epoch": row.epoch, "kind": kind.key, **page}


REPORT_STATUSES = ("ok", "partial", "failed")


def receive_report(request, platform, client, claims) -> dict:
    body = request.state.body
    try:
        if len(body) > MAX_REPORT_BYTES:
            raise ValueError("too large")
        report = json.loads(body)
        status = report["status"]
        if status not in REPORT_STATUSES:
            raise ValueError("status")
        started = _timestamp(report.get("started_at"))
        finished = _timestamp(report.get("finished_at"))
        summary = report.get("summary")
        if not isinstance(summary, dict):
            raise ValueError("summary")
    except (ValueError, KeyError, TypeError):
        raise Problem(400, "Bad request", "a report is JSON with status, started_at, finished_at and summary",
                      "bad-report") from None
    with database.atomic():
        ReceivedReport.create(client=client.id, status=status, started_at=started, finished_at=finished,
                              summary=json.dumps(summary, ensure_ascii=False)[:MAX_REPORT_BYTES])
    return {"received": True}


def _timestamp(value) -> datetime.datetime | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError("timestamp")
    return clock.as_utc(datetime.datetime.fromisoformat(value.replace("Z", "+00:00")))  # naive is UTC


def routes() -> list:
    return [
        declare(Route("/federation/v1/", signed_endpoint(describe), name="federation_describe")),
        declare(Route("/federation/v1/feeds/{kind:str}", signed_endpoint(feed_page), name="federation_feed")),
        declare(Route(REPORT_PATH, signed_endpoint(receive_report), methods=["POST"], name="federation_report")),
    ]
