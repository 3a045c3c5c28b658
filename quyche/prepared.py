"""On PostgreSQL, a page's queries are planned once per connection, not at every request.

A page reads through joins (a version with its regulation, organization, terms and neighbours: seven tables),
and PostgreSQL plans such a query afresh each time Django sends it: 1.3 ms of the database's CPU to plan a
query that runs in 0.2 ms (bench/README.md, "Prepared reads"). Django binds parameters on the client by
default, so each query reaches the server as a new text and cannot be kept planned. While a GET or HEAD
request is answered, this middleware has the connection bind them on the server (psycopg's `Cursor`, as
Django's OPTIONS "server_side_binding" would) and prepare a query the second time the connection sends it:
from then on the server runs the plan it kept. Connections live across requests (CONN_MAX_AGE), and so do
their prepared queries, up to psycopg's hundred most recently used.

Only reading requests: a form's bulk insert can pass more parameters than the server binds in one query
(65,535), which client-side binding does not limit. Each connection is given back as it was, and a
connection opened during the request is set up the same way (`connection_created`).

Off with PREPARED_READS=0 (settings), for a pooler that does not keep prepared statements (PgBouncer in
transaction mode before 1.21); SQLite has nothing to prepare.
"""

import threading

from django.conf import settings
from django.db import connection
from django.db.backends.signals import connection_created

# The second time a connection sends a query, it is prepared (psycopg: "after it is executed more than
# prepare_threshold times"); a query sent once is not kept.
PREPARE_AFTER = 1

_reading = threading.local()


def _server_binding(wrapper) -> None:
    """Have this connection bind on the server and prepare, until the request ends; unless it records its
    queries (DEBUG, a test's CaptureQueriesContext): psycopg keeps no text of a prepared query's execution
    for Django to record."""
    from django.db.backends.postgresql.base import ServerBindingCursor

    if wrapper.queries_logged:
        return
    raw = wrapper.connection
    _reading.saved.append((raw, raw.cursor_factory, raw.prepare_threshold))
    raw.cursor_factory, raw.prepare_threshold = ServerBindingCursor, PREPARE_AFTER


def _on_connection_created(sender, connection, **kwargs):
    if getattr(_reading, "saved", None) is not None and connection.alias == "default":
        _server_binding(connection)


connection_created.connect(_on_connection_created, dispatch_uid="quyche.prepared")


class PreparedReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = settings.PREPARED_READS and connection.vendor == "postgresql"

    def __call__(self, request):
        if not self.enabled or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        _reading.saved = []
        try:
            if connection.connection is not None:
                _server_binding(connection)
            return self.get_response(request)
        finally:
            saved, _reading.saved = _reading.saved, None
            for raw, factory, threshold in saved:
                raw.cursor_factory, raw.prepare_threshold = factory, threshold
