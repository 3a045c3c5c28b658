"""Settings for bench/load.py only: the project's, with a bare view to compare the pages with
(`bench/baseline/`, one query and 10 KB behind the same middleware and login) and the number of
queries of each request in an `X-Queries` header (counted by `connection.execute_wrapper`, DEBUG off)."""

from quyche.settings import *  # noqa: F403
from quyche.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.views.count_queries", *MIDDLEWARE]
