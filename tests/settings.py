"""The suite's settings: the project's, read as the quick start reads them (DEBUG=1 in the environment:
the quick-start key, no HTTPS redirect, static files from their folders). pytest-django still runs every
test with DEBUG off, so pages, errors and the demo's refusal are the ones production shows."""

import os

os.environ.setdefault("DEBUG", "1")

from quyche.settings import *  # noqa: E402, F403
