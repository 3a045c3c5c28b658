"""Which release of the code is running, to keep apart what different releases keep in a shared cache.

A value kept in Redis by one release (oversight rows, a drawn text) may not be what the next release
expects: during a rolling upgrade both run side by side over the same Redis. Each release names its own
entries with this stamp; what they share on purpose (the versions that say a thing changed) is not stamped.

`RELEASE` from the environment if the deployment sets it (a tag, a commit); otherwise a digest of the
code and templates, the same on every host that runs the same files.
"""

import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("quyche", "organizations", "notifications", "regulations", "inspections", "reviews", "oversight", "demo")
SOURCES += ("templates",)


@cache
def release() -> str:
    if settings.RELEASE:
        return settings.RELEASE
    digest = hashlib.blake2b(digest_size=8)
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".py", ".html", ".txt") and "migrations" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()
