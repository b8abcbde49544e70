"""Harvesting (the national instance): every registered peer, every kind both sides know.

``harvest_all(platform)`` is what ``partnerskab harvest`` runs (and what a scheduled job will
run): peer after peer, each with its own report, so one bad peer never stops the run.

* Each request is signed and each answer's signature checked (``signing``); connect and read
  timeouts bound every request, a deadline bounds each peer and a watchdog the whole run; a
  body is read in chunks with the clock checked between them and a size limit.
* 429 and 503 are retried after ``Retry-After`` (or an exponential back-off), a few times.
* A page is validated whole — envelope, order, each item's data — before any of it is
  applied; then its items and the cursor are committed in one transaction.
* A new epoch on the peer starts a new generation: cursors go back to 0, and once a kind has
  been read to its end every item not seen again is swept away.
* Data stays when a peer fails; dashboards mark a peer stale 90 days after its last success.
* An item whose data did not change is not written, so harvesting the same data twice changes
  nothing.
"""
from __future__ import annotations

import dataclasses
import datetime
import email.utils
import json
import time
from typing import Callable
from urllib.parse import parse_qs, urlsplit

import httpx

from core import db
from core.clock import now as utc_now
from core.db import database
from plugins.federation import signing
from plugins.federation.feed import FEED_PATH, MAX_LIMIT
from plugins.federation.kinds import FeedKind, Invalid, kinds_for
from plugins.federation.models import HarvestCursor, HarvestedItem, HarvestRun, Peer, PeerKey
from plugins.federation.publish_views import REPORT_PATH

STALE_AFTER = datetime.timedelta(days=90)
FACET_DEFAULTS = {"municipality_code": "", "municipality_name": "", "programme_type": "", "category": "",
                  "year": None, "value": None, "suppressed": False}


@dataclasses.dataclass(frozen=True)
class Options:
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    peer_deadline: float = 600.0    # seconds for one peer
    run_deadline: float = 3600.0    # the watchdog for the whole run
    page_limit: int = 200
    max_retries: int = 3
    max_backoff: float = 30.0
    max_body_bytes: int = 20 * 1024 * 1024


class PeerError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


class PageInvalid(PeerError):
    def __init__(self, message: str):
        super().__init__("invalid-page", message)


@dataclasses.dataclass
class PeerReport:
    peer: str
    status: str = "ok"
    updated: int = 0
    deleted: int = 0
    pages: int = 0
    message: str = ""
    kinds: dict = dataclasses.field(default_factory=dict)
    seconds: float = 0.0
    run_id: int = 0

    def line(self) -> str:
        text = (f"{self.peer}: {self.status} — {self.updated} updated, {self.deleted} deleted, "
                f"{self.pages} page(s) in {self.seconds:.1f} s")
        return text + (f" ({self.message})" if self.message else "")


def is_stale(peer: Peer, now: datetime.datetime | None = None) -> bool:
    now = now or utc_now()
    return peer.last_success_at is None or now - peer.last_success_at > STALE_AFTER


# --- one peer's HTTP conversation --------------------------------------------------------------

class Connection:
    """Signed requests to one peer, within a deadline."""

    def __init__(self, peer: Peer, keys: list[tuple[str, str]], options: Options, deadline: float,
                 clock: Callable[[], float], sleep: Callable[[float], None]):
        self.peer, self.keys, self.options = peer, keys, options
        self.deadline, self.clock, self.sleep = deadline, clock, sleep
        self.client = httpx.Client(base_url=peer.base_url.rstrip("/"), follow_redirects=False, trust_env=False)

    def close(self) -> None:
        self.client.close()

    def remaining(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise PeerError("watchdog", "the time allowed for this peer ran out")
        return left

    def request(self, method: str, path: str, body: bytes | None = None) -> dict:
        options = self.options
        for attempt in range(options.max_retries + 1):
            left = self.remaining()
            token, nonce = signing.make_request_token(self.keys, self.peer.instance_id, self.clock())
            headers = {"Authorization": f"{signing.AUTH_SCHEME} {token}", "Accept": "application/json"}
            if body is not None:
                headers["Content-Type"] = "application/json"
            timeout = httpx.Timeout(connect=min(options.connect_timeout, left), read=min(options.read_timeout, left),
                                    write=min(options.read_timeout, left), pool=min(options.connect_timeout, left))
            try:
                with self.client.stream(method, path, headers=headers, content=body, timeout=timeout) as response:
                    if response.status_code in (429, 503) and attempt < options.max_retries:
                        asked = _retry_after(response.headers.get("retry-after"))
                        wait = min(2 ** attempt if asked is None else asked, options.max_backoff)
                        if wait >= self.remaining():
                            raise PeerError("busy", f"the peer answered {response.status_code} until the time ran out")
                        self.sleep(wait)
                        continue
                    content = self._read(response)
                    status, signature = response.status_code, response.headers.get(signing.SIGNATURE_HEADER)
            except httpx.ConnectError as exc:
                raise PeerError("down", f"cannot connect: {_reason(exc)}") from None
            except httpx.TimeoutException:
                raise PeerError("timeout", "the peer did not answer in time") from None
            except httpx.HTTPError as exc:
                raise PeerError("network", f"the connection failed: {_reason(exc)}") from None
            if status == 401:
                raise PeerError("refused", f"the peer refused our request: {_problem_detail(content)}")
            if status != 200:
                raise PeerError("http", f"the peer answered HTTP {status}")
            try:
                signing.verify_response(self.keys, signature, nonce, content)
            except signing.BadResponse as exc:
                raise PeerError("bad-signature", str(exc)) from None
            try:
                return json.loads(content)
            except ValueError:
                raise PeerError("garbage", "the answer is not JSON") from None
        raise PeerError("busy", "the peer stayed busy (429/503)")

    def _read(self, response: httpx.Response) -> bytes:
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.options.max_body_bytes:
                raise PeerError("too-large", "the answer is larger than allowed")
            chunks.append(chunk)
            self.remaining()
        return b"".join(chunks)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdecimal():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _reason(exc: Exception) -> str:
    return (str(exc) or type(exc).__name__)[:200]


def _problem_detail(content: bytes) -> str:
    try:
        problem = json.loads(content)
        return str(problem.get("detail") or problem.get("title"))[:200]
    except (ValueError, AttributeError):
        return "no reason given"


# --- validating a page ---------------------------------------------------------------------------

def validate_page(payload, kind: FeedKind, peer: Peer, after: int, limit: int) -> list[tuple[str, str, int, dict | None]]:
    """``[(state, item id, change number, cleaned data or None)]`` or ``PageInvalid``: every item is
    checked before any is applied."""
    if not isinstance(payload, dict) or not isinstance(payload.get("items"), list):
        raise PageInvalid("the page has no item list")
    if payload.get("instance") != peer.instance_id or payload.get("kind") != kind.key:
        raise PageInvalid("the page is from another instance or kind")
    if payload.get("epoch") != peer.epoch:
        raise PeerError("epoch-changed", "the peer's epoch changed during the run; the next run reads everything again")
    items = payload["items"]
    if len(items) > limit:
        raise PageInvalid("the page has more items than asked for")
    checked = []
    previous = (after, "")
    for position, item in enumerate(items):
        where = f"item {position + 1}"
        if not isinstance(item, dict):
            raise PageInvalid(f"{where} is not an object")
        state, item_id, modified = item.get("state"), item.get("id"), item.get("modified")
        if state not in ("updated", "deleted") or item.get("kind") != kind.key:
            raise PageInvalid(f"{where}: unknown state or kind")
        if not isinstance(item_id, str) or not 1 <= len(item_id) <= 100:
            raise PageInvalid(f"{where}: bad id")
        if not isinstance(modified, int) or isinstance(modified, bool) or not after < modified < 2**63:
            raise PageInvalid(f"{where}: change number not after the cursor")
        if (modified, item_id) <= previous:
            raise PageInvalid(f"{where}: items are not in change-number order")
        previous = (modified, item_id)
        data = None
        if state == "updated":
            if not isinstance(item.get("data"), dict):
                raise PageInvalid(f"{where}: an updated item without data")
            try:
                data = kind.validate(item["data"])
            except Invalid as exc:
                raise PageInvalid(f"{where} ({item_id}): {exc}") from None
            except (KeyError, TypeError, AttributeError, ValueError) as exc:
                raise PageInvalid(f"{where} ({item_id}): malformed data ({type(exc).__name__})") from None
        checked.append((state, item_id, modified, data))
    last = checked[-1][2] if checked else after
    nxt = payload.get("next")
    parts = urlsplit(nxt) if isinstance(nxt, str) and len(nxt) < 500 else None
    if (parts is None or parts.path != FEED_PATH.format(kind=kind.key)
            or parse_qs(parts.query).get("afterChangeNumber") != [str(last)]):
        raise PageInvalid("the page's next link does not continue after its last item")
    return checked


# --- applying a page ------------------------------------------------------------------------------

def _facets(kind: FeedKind, data: dict) -> dict:
    facets = dict(FACET_DEFAULTS)
    facets.update({key: value for key, value in kind.facets(data).items() if key in FACET_DEFAULTS})
    facets["municipality_code"] = (facets["municipality_code"] or "")[:4]
    facets["municipality_name"] = (facets["municipality_name"] or "")[:100]
    facets["programme_type"] = (facets["programme_type"] or "")[:80]
    facets["category"] = (facets["category"] or "")[:40]
    return facets


def apply_page(peer: Peer, kind: FeedKind, cursor: HarvestCursor, items: list, generation: int) -> tuple[int, int]:
    """Apply a validated page and move the cursor, in one transaction; returns (updated, deleted)."""
    updated = deleted = 0
    now = utc_now()
    with database.atomic():
        ids = [item_id for _s, item_id, _m, _d in items]
        existing = {row.item_id: row for row in HarvestedItem.select().where(
            HarvestedItem.peer == peer.id, HarvestedItem.kind == kind.key, HarvestedItem.item_id.in_(ids))} if ids else {}
        for state, item_id, modified, data in items:
            row = existing.get(item_id)
            if state == "deleted":
                if row is not None:
                    row.delete_instance()
                    existing.pop(item_id)
                    deleted += 1
                continue
            text = json.dumps(data, sort_keys=True, ensure_ascii=False)
            facets = _facets(kind, data)
            if row is not None and row.data == text:
                if row.generation != generation or row.modified != modified:
                    HarvestedItem.update(generation=generation, modified=modified).where(
                        HarvestedItem.id == row.id).execute()
                continue
            if row is None:
                row = HarvestedItem(peer=peer.id, kind=kind.key, item_id=item_id, first_harvested_at=now)
                existing[item_id] = row
            row.modified, row.generation, row.data, row.changed_at = modified, generation, text, now
            for key, value in facets.items():
                setattr(row, key, value)
            row.save()
            updated += 1
        if items:
            cursor.after = items[-1][2]
        cursor.updated_at = now
        cursor.save()
    return updated, deleted


def sweep(peer: Peer, kind: FeedKind, cursor: HarvestCursor, generation: int) -> int:
    """After a kind was read to its end in this generation: drop what was not seen again."""
    with database.atomic():
        gone = HarvestedItem.delete().where(HarvestedItem.peer == peer.id, HarvestedItem.kind == kind.key,
                                            HarvestedItem.generation < generation).execute()
        cursor.complete, cursor.updated_at = True, utc_now()
        cursor.save()
    return gone


# --- one peer, then all of them ------------------------------------------------------------------

def _describe(connection: Connection, peer: Peer) -> dict:
    described = connection.request("GET", "/federation/v1/")
    if not isinstance(described, dict) or described.get("id") != peer.instance_id:
        raise PeerError("garbage", "the description is not this peer's")
    epoch = described.get("epoch")
    if not isinstance(epoch, str) or not 1 <= len(epoch) <= 32 or not isinstance(described.get("kinds"), list):
        raise PeerError("garbage", "the description has no epoch or kinds")
    return described


def _start_generation(peer: Peer, described: dict) -> None:
    """Remember the peer's epoch; a different one than before starts a new generation."""
    with database.atomic():
        if peer.epoch and peer.epoch != described["epoch"]:
            peer.generation += 1
            HarvestCursor.update(after=0, complete=False, generation=peer.generation).where(
                HarvestCursor.peer == peer.id).execute()
        peer.epoch = described["epoch"]
        peer.instance_name = str(described.get("name") or "")[:200]
        peer.save()


def _cursor(peer: Peer, kind: FeedKind) -> HarvestCursor:
    cursor = HarvestCursor.get_or_none(HarvestCursor.peer == peer.id, HarvestCursor.kind == kind.key)
    if cursor is None:
        with database.atomic():
            cursor = HarvestCursor.create(peer=peer.id, kind=kind.key, generation=peer.generation)
    if cursor.generation != peer.generation:
        cursor.after, cursor.complete, cursor.generation = 0, False, peer.generation
        with database.atomic():
            cursor.save()
    return cursor


def _harvest_kind(connection: Connection, peer: Peer, kind: FeedKind, report: PeerReport, options: Options,
                  on_page: Callable | None) -> None:
    cursor = _cursor(peer, kind)
    counts = report.kinds.setdefault(kind.key, {"updated": 0, "deleted": 0, "pages": 0})
    limit = min(options.page_limit, MAX_LIMIT)
    while True:
        payload = connection.request("GET", f"{FEED_PATH.format(kind=kind.key)}?afterChangeNumber={cursor.after}"
                                            f"&limit={limit}")
        items = validate_page(payload, kind, peer, cursor.after, limit)
        if not items:
            if not cursor.complete:
                gone = sweep(peer, kind, cursor, peer.generation)
                counts["deleted"] += gone
                report.deleted += gone
            return
        updated, deleted = apply_page(peer, kind, cursor, items, peer.generation)
        counts["updated"] += updated
        counts["deleted"] += deleted
        counts["pages"] += 1
        report.updated += updated
        report.deleted += deleted
        report.pages += 1
        if on_page is not None:
            on_page(peer, kind, items)


def harvest_peer(platform, peer: Peer, options: Options, deadline: float, clock: Callable[[], float],
                 sleep: Callable[[float], None], on_page: Callable | None = None) -> PeerReport:
    started, started_at = time.monotonic(), utc_now()
    report = PeerReport(peer.name)
    keys = [(key.kid, key.secret) for key in PeerKey.select().where(PeerKey.peer == peer.id, PeerKey.revoked_at.is_null())
            .order_by(PeerKey.id)]
    connection = None
    try:
        if not keys:
            raise PeerError("no-key", "no key for this peer: ask its administrator for one")
        connection = Connection(peer, keys, options, min(deadline, started + options.peer_deadline), clock, sleep)
        described = _describe(connection, peer)
        _start_generation(peer, described)
        offered = {entry.get("key") for entry in described["kinds"] if isinstance(entry, dict)}
        problems = []
        for key, kind in kinds_for(platform).items():
            if key not in offered:
                continue
            try:
                _harvest_kind(connection, peer, kind, report, options, on_page)
            except PageInvalid as exc:
                problems.append(f"{key}: {exc.message}")
                report.kinds.setdefault(key, {})["error"] = exc.message
        if problems:
            report.status, report.message = "partial", "; ".join(problems)[:2000]
    except PeerError as exc:
        report.status, report.message = "failed", f"{exc.code}: {exc.message}"
    report.seconds = time.monotonic() - started
    _record(peer, report, started_at)
    if connection is not None:
        if report.status != "failed" or not report.message.startswith(("down", "timeout", "watchdog")):
            _deliver(connection, peer, report, started_at)
        connection.close()
    return report


def _record(peer: Peer, report: PeerReport, started_at: datetime.datetime) -> None:
    now = utc_now()
    with database.atomic():
        run = HarvestRun.create(peer=peer.id, started_at=started_at, finished_at=now, status=report.status,
                                updated=report.updated, deleted=report.deleted, pages=report.pages,
                                message=report.message, detail=json.dumps(report.kinds, sort_keys=True))
        peer.last_run_at, peer.last_status, peer.last_message = now, report.status, report.message
        if report.status == "ok":
            peer.last_success_at = now
        peer.save()
    report.run_id = run.id


def _deliver(connection: Connection, peer: Peer, report: PeerReport, started_at: datetime.datetime) -> None:
    """Send the run's report back to the peer, so its administrators see it too (best effort)."""
    body = json.dumps({"status": report.status, "started_at": started_at.isoformat().replace("+00:00", "Z"),
                       "finished_at": utc_now().isoformat().replace("+00:00", "Z"),
                       "summary": {"updated": report.updated, "deleted": report.deleted, "pages": report.pages,
                                   "message": report.message, "kinds": report.kinds}}).encode()
    try:
        connection.deadline = max(connection.deadline, time.monotonic() + 10)
        connection.request("POST", REPORT_PATH, body)
    except PeerError:
        return
    with database.atomic():
        HarvestRun.update(delivered=True).where(HarvestRun.id == report.run_id).execute()


def harvest_all(platform, *, peer_names: list[str] | None = None, options: Options | None = None,
                progress: Callable[[str], None] | None = None, clock: Callable[[], float] = time.time,
                sleep: Callable[[float], None] = time.sleep, on_page: Callable | None = None) -> list[PeerReport]:
    """Harvest every active peer (or those named), one report each; never raises for a peer."""
    options = options or Options()
    run_deadline = time.monotonic() + options.run_deadline
    reports = []
    with db.connection():
        query = Peer.select().where(Peer.active == True).order_by(Peer.name)  # noqa: E712 - SQL
        if peer_names:
            query = query.where(Peer.name.in_(peer_names))
        for peer in list(query):
            if time.monotonic() >= run_deadline:
                report = PeerReport(peer.name, "failed", message="watchdog: the run's time ran out before this peer")
                _record(peer, report, utc_now())
            else:
                report = harvest_peer(platform, peer, options, run_deadline, clock, sleep, on_page)
            reports.append(report)
            if progress is not None:
                progress(report.line())
    return reports
