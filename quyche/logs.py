"""Logs a collector can read: with LOG_FORMAT=json every line is one JSON object, and every request is
logged once, by the app, with an id that its other lines carry too.

gunicorn's configuration loads this module before Django is set up: it imports no settings.
"""

import contextvars
import datetime
import json
import logging
import re
import time
import uuid

from django.utils.functional import empty

# The request being served in this thread or task, added to every line logged meanwhile.
request_id = contextvars.ContextVar("request_id", default=None)

# The attributes every LogRecord has; anything else on a record came from `extra=` and is written out.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


class JSONFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the request's id, `extra=` fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        current = request_id.get()
        if current:
            entry["request_id"] = current
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


# An id the proxy gave the request (nginx's $request_id: 32 hex digits) is kept; anything else is replaced.
_GIVEN_ID = re.compile(r"[A-Za-z0-9-]{8,64}")

requests_logger = logging.getLogger("quyche.requests")


class RequestLogMiddleware:
    """The access log: one line a request, with its id (also sent back as X-Request-ID), method, path, status,
    duration and user. First in MIDDLEWARE, so that it times and tags everything the others do."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        token = request_id.set(given if _GIVEN_ID.fullmatch(given) else uuid.uuid4().hex)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            # The user as far as the view looked (a page that never asked costs no query here).
            user = getattr(request, "user", None)
            user = getattr(user, "_wrapped", user)
            requests_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    "user_id": user.pk if user not in (None, empty) and user.is_authenticated else None,
                },
            )
            response["X-Request-ID"] = request_id.get()
            return response
        finally:
            request_id.reset(token)
