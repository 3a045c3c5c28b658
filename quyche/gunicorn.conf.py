"""Gunicorn's settings for Quy chế, read from the environment:

    .venv/bin/gunicorn -c quyche/gunicorn.conf.py

GUNICORN_BIND (default 127.0.0.1:8000), WEB_CONCURRENCY (workers; default two per core plus one, at
most 12), GUNICORN_TIMEOUT (seconds a request may take, default 30), GUNICORN_MAX_REQUESTS (requests
a worker serves before it is replaced, default 1000, give or take a tenth so they do not all restart
at once). Requests are logged by the app (quyche.logs); gunicorn's own lines are written as the app's
(LOG_FORMAT: one JSON object a line in production), to stderr.
"""

import gc
import multiprocessing
import os

from quyche.settings import LOGGING

wsgi_app = "quyche.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, 12))
# A request that takes longer is killed with its worker: large imports and PDFs belong on the Celery worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced now and then, so that memory a large page took is given back.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = max_requests // 10
# Reloads and stops go through signals (systemd's ExecReload sends HUP), not gunicorn's control socket.
control_socket_disable = True
# No access log of gunicorn's: quyche.logs.RequestLogMiddleware logs each request with its id and user.
accesslog = None
logconfig_dict = {
    **LOGGING,
    "loggers": {
        **LOGGING["loggers"],
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
    },
}


def post_worker_init(worker):
    """Once a worker has loaded the site, what it loaded (Django, the URLs, the templates' code: about 175,000
    objects) is set aside from the garbage collector, which otherwise walks all of it at each full collection:
    the desk gathered afresh for a province's auditor took 34 ms of CPU a request, 25 ms so (bench/README.md)."""
    gc.collect()
    gc.freeze()
