"""Metrics in Prometheus' text format, kept in this process, without a client library.

What an operator watches: requests by route and status, a latency histogram per route, errors
(5xx), the database pool (connections in use, idle, the most allowed) and job runs. Routes are
counted by their template ('/organisations/{slug}'), never by the path a visitor typed, so the
number of series stays fixed. Each server process counts its own requests and says which it is
(the ``instance`` label: host and pid); docs/operations.md runs one process per port behind the
proxy and lets Prometheus scrape each, which is also how its rates stay right.

``/metrics`` (core/views/health.py) answers only the addresses in ``metrics_addresses`` or a
request with ``Authorization: Bearer <metrics_token>``.
"""
from __future__ import annotations

import bisect
import os
import socket
import threading
import time

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
INSTANCE = f"{socket.gethostname()}:{os.getpid()}"
_lock = threading.Lock()
_requests: dict[tuple[str, str, str], int] = {}
_errors: dict[tuple[str, str], int] = {}
_latency: dict[str, list] = {}  # route -> [bucket counts..., +Inf count, sum]
_jobs: dict[tuple[str, str], int] = {}
_job_seconds: dict[str, float] = {}
STARTED = time.time()


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    """Count one finished request (called by the request middleware)."""
    with _lock:
        key = (method, route, str(status))
        _requests[key] = _requests.get(key, 0) + 1
        if status >= 500:
            _errors[(method, route)] = _errors.get((method, route), 0) + 1
        counts = _latency.setdefault(route, [0] * (len(BUCKETS) + 1) + [0.0])
        counts[bisect.bisect_left(BUCKETS, seconds)] += 1
        counts[-1] += seconds


def observe_job(name: str, ok: bool, seconds: float) -> None:
    """Count one run of a scheduled job (``core.jobs``)."""
    with _lock:
        key = (name, "ok" if ok else "error")
        _jobs[key] = _jobs.get(key, 0) + 1
        _job_seconds[name] = _job_seconds.get(name, 0.0) + seconds


def reset() -> None:
    """Forget everything counted (tests)."""
    with _lock:
        for store in (_requests, _errors, _latency, _jobs, _job_seconds):
            store.clear()


def _labels(**labels: str) -> str:
    def escape(value: str) -> str:
        return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')
    return "{" + ",".join(f'{key}="{escape(str(value))}"' for key, value in labels.items()) + "}"


def pool_state() -> dict[str, int] | None:
    """Connections of this process's database pool: in use, idle, the most allowed."""
    from core import db
    pool = db.database.obj
    if pool is None or not hasattr(pool, "_in_use"):
        return None
    return {"in_use": len(pool._in_use), "idle": len(pool._connections), "max": pool._max_connections or 0}


def exposition() -> str:
    """Everything counted, in Prometheus' text exposition format (version 0.0.4)."""
    instance = INSTANCE
    lines = ["# HELP partnerskab_http_requests_total Requests answered, by method, route template and status.",
             "# TYPE partnerskab_http_requests_total counter"]
    with _lock:
        requests = dict(_requests)
        errors = dict(_errors)
        latency = {route: list(counts) for route, counts in _latency.items()}
        jobs = dict(_jobs)
        job_seconds = dict(_job_seconds)
    for (method, route, status), count in sorted(requests.items()):
        lines.append(f"partnerskab_http_requests_total"
                     f"{_labels(instance=instance, method=method, route=route, status=status)} {count}")
    lines += ["# HELP partnerskab_http_errors_total Requests that ended in a server error (5xx).",
              "# TYPE partnerskab_http_errors_total counter"]
    for (method, route), count in sorted(errors.items()):
        lines.append(f"partnerskab_http_errors_total{_labels(instance=instance, method=method, route=route)} {count}")
    lines += ["# HELP partnerskab_http_request_duration_seconds Time from the request to the last byte sent.",
              "# TYPE partnerskab_http_request_duration_seconds histogram"]
    for route, counts in sorted(latency.items()):
        cumulative = 0
        for bound, count in zip((*BUCKETS, "+Inf"), counts[:-1]):
            cumulative += count
            lines.append(f"partnerskab_http_request_duration_seconds_bucket"
                         f"{_labels(instance=instance, route=route, le=str(bound))} {cumulative}")
        lines.append(f"partnerskab_http_request_duration_seconds_sum{_labels(instance=instance, route=route)} "
                     f"{counts[-1]:.6f}")
        lines.append(f"partnerskab_http_request_duration_seconds_count{_labels(instance=instance, route=route)} "
                     f"{cumulative}")
    pool = pool_state()
    lines += ["# HELP partnerskab_db_pool_connections Database connections of this process's pool, by state.",
              "# TYPE partnerskab_db_pool_connections gauge"]
    if pool is not None:
        for state in ("in_use", "idle", "max"):
            lines.append(f"partnerskab_db_pool_connections{_labels(instance=instance, state=state)} {pool[state]}")
    lines += ["# HELP partnerskab_job_runs_total Runs of scheduled jobs, by job and outcome.",
              "# TYPE partnerskab_job_runs_total counter"]
    for (name, outcome), count in sorted(jobs.items()):
        lines.append(f"partnerskab_job_runs_total{_labels(instance=instance, job=name, outcome=outcome)} {count}")
    lines += ["# HELP partnerskab_job_seconds_total Time spent in scheduled jobs.",
              "# TYPE partnerskab_job_seconds_total counter"]
    for name, seconds in sorted(job_seconds.items()):
        lines.append(f"partnerskab_job_seconds_total{_labels(instance=instance, job=name)} {seconds:.6f}")
    lines += ["# HELP partnerskab_process_start_time_seconds When this server process started (Unix time).",
              "# TYPE partnerskab_process_start_time_seconds gauge",
              f"partnerskab_process_start_time_seconds{_labels(instance=instance)} {STARTED:.3f}"]
    return "\n".join(lines) + "\n"
