"""What the benchmark scripts share: Django set up on a database of their own, and that database made afresh.

A script run as `python bench/NAME.py` has this folder first on its path; `setup` puts the project before
it, or bench/oversight.py would stand for the oversight app.
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]


def setup(database_url: str, *, throttled: bool = True) -> None:
    """Django on `database_url`, migrated, answering the test client; without the API's rates if not `throttled`."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DEBUG", "1")  # the quick-start key; pages still render as in production
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quyche.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test client's host
    if not throttled:
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    call_command("migrate", verbosity=0)


def postgres(url: str, action: str) -> bool:
    """Drop and create the database named in the URL ("create"), drop it ("drop"), or tell whether it exists
    ("exists"), from the maintenance database."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        if action == "exists":
            return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if action == "create":
            connection.execute(f'CREATE DATABASE "{name}"')
    return True
