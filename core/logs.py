"""Log lines for people (text) or for log collectors (one JSON object a line), each carrying the
id of the request it belongs to, so an error page's "request id" finds every line about it.

The request id lives in a context variable that ``RequestContextMiddleware`` sets; it follows
the request into the worker thread that runs the view (Starlette copies the context), and a
filter copies it onto every record. Every request also leaves one access line
(``partnerskab.access``: method, route, status, duration) — uvicorn's own access log can be
turned off (``--no-access-log``) so nothing is logged twice.
"""
from __future__ import annotations

import contextvars
import datetime
import json
import logging

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("partnerskab_request_id", default="")
access = logging.getLogger("partnerskab.access")
_RESERVED = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id, and any ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if getattr(record, "request_id", ""):
            entry["request_id"] = record.request_id
        for key, value in vars(record).items():
            if key not in _RESERVED and not key.startswith("_"):
                entry[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s [request %(request_id)s]"


def configure(level: str, fmt: str = "text") -> None:
    """Set up the root logger once per process (again replaces the handler, for tests and the CLI)."""
    root = logging.getLogger()
    root.setLevel(level.upper())
    for handler in list(root.handlers):
        if getattr(handler, "_partnerskab", False):
            root.removeHandler(handler)
    if any(not getattr(h, "_partnerskab", False) for h in root.handlers) and fmt == "text":
        # someone (pytest, an embedding program) already logs: only add the request ids to theirs
        for handler in root.handlers:
            if not any(isinstance(f, RequestIdFilter) for f in handler.filters):
                handler.addFilter(RequestIdFilter())
        return
    handler = logging.StreamHandler()
    handler._partnerskab = True
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    root.addHandler(handler)


def log_request(method: str, route: str, path: str, status: int, seconds: float) -> None:
    if access.isEnabledFor(logging.INFO):
        access.info("%s %s %s %.1f ms", method, path, status, seconds * 1000,
                    extra={"method": method, "route": route, "path": path, "status": status,
                           "duration_ms": round(seconds * 1000, 2)})
