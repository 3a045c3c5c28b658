"""deploy/backup and deploy/restore: the demo with an issued text's kept PDF, backed up, restored into a fresh
database and empty storage, serves the same texts, the same history of an article and the same PDF bytes
(gunicorn, DEBUG off, on each). Once with the files in MEDIA_ROOT, restored into an empty folder, and once in an
S3-compatible bucket (moto's server), restored into a fresh bucket."""

import difflib
import re
import subprocess
import sys
from io import StringIO
from types import SimpleNamespace

import pytest
from django.conf import global_settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from organizations.models import User
from regulations import services
from regulations.models import Provision, ProvisionKind, Version
from tests import stack


def run(script: str, *args, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(stack.ROOT / "deploy" / script), *map(str, args)],
        env={**env, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def restored_database():
    with stack.fresh_database("restored") as url:
        yield url


@pytest.fixture(params=["disk", "s3"])
def storage(request, settings, tmp_path):
    """Where the site keeps its files (this process stores the PDF there too), and fresh storage of the same
    kind to restore into: an empty folder, or a new bucket on the same S3-compatible server."""
    if request.param == "disk":
        new_media = tmp_path / "new-media"
        yield SimpleNamespace(
            site={"MEDIA_ROOT": settings.MEDIA_ROOT},
            restored={"MEDIA_ROOT": new_media},
            read_restored=lambda name: (new_media / name).read_bytes(),
        )
        return
    s3 = stack.S3Server(tmp_path)
    fresh_bucket = "quyche-tep-phuc-hoi"
    s3.client().create_bucket(Bucket=fresh_bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": s3.BUCKET,
                "endpoint_url": s3.env["STORAGE_S3_ENDPOINT_URL"],
                "access_key": s3.env["STORAGE_S3_ACCESS_KEY"],
                "secret_key": s3.env["STORAGE_S3_SECRET_KEY"],
                "region_name": s3.env["STORAGE_S3_REGION"],
                "file_overwrite": False,
            },
        },
    }
    try:
        # MEDIA_ROOT named but never made: every file goes to a bucket.
        unused = {"MEDIA_ROOT": tmp_path / "not-used"}
        yield SimpleNamespace(
            site={**s3.env, **unused},
            restored={**s3.env, **unused, "STORAGE_S3_BUCKET": fresh_bucket},
            read_restored=lambda name: s3.client().get_object(Bucket=fresh_bucket, Key=name)["Body"].read(),
        )
        assert not unused["MEDIA_ROOT"].exists()
    finally:
        s3.stop()


def served(host: stack.WebHost, username: str, urls: list[str]) -> list[bytes]:
    browser = stack.Browser()
    browser.log_in(host.url, username)
    pages = []
    for url in urls:
        status, _, body = browser.get(host.url + url)
        assert status == 200, (url, status, host.output())
        # The CSRF token (in forms, and in the headers htmx sends) is masked afresh on every page.
        pages.append(re.sub(rb'(name="csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]+"', rb"\1", body))
    return pages


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_dump and pg_restore back up PostgreSQL: run with DATABASE_URL pointing at one (.ci/run does)",
)
def test_a_backup_restored_into_a_fresh_database_serves_the_same_texts_history_and_pdfs(
    settings, tmp_path, static_root, restored_database, storage, stages
):
    settings.DEBUG = True  # the demo seeds a development database only
    call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False
    issued = services.version_pdf_store(version=Version.objects.get(number="08-QC/ĐUK"))
    assert issued.pdf.name and issued.regulation.versions.filter(number="02-QC/ĐUK").exists()  # it replaced one
    article = Provision.objects.filter(version=issued, kind=ProvisionKind.ARTICLE).order_by("position").first()
    urls = [
        reverse("regulations:detail", args=[issued.regulation_id]),
        reverse("regulations:version", args=[issued.pk]),
        reverse("regulations:article", args=[issued.pk, article.key]),
        reverse("regulations:version_pdf", args=[issued.pk]),
    ]
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # the hosts check it as production does
    reader = User.objects.get(username="btv.khoi")
    reader.set_password(stack.PASSWORD)
    reader.save(update_fields=["password"])

    site = stack.production_env(
        SECRET_KEY=stack.secret_key(),
        DATABASE_URL=stack.database_url(),
        STATIC_ROOT=static_root,
        **storage.site,
    )
    original = stack.WebHost("original", site, tmp_path)
    try:
        before = served(original, reader.username, urls)
    finally:
        original.stop()
    assert before[-1].startswith(b"%PDF") and before[-1] == issued.pdf.read()
    assert article.heading.encode() in before[2] and b"02-QC/" in before[2]  # the article across both versions

    made = run("backup", tmp_path / "backups", env=site)
    assert made.returncode == 0, made.stderr
    folder = made.stdout.strip().splitlines()[-1]
    assert "1 stored files copied" in made.stdout

    new_site = {**site, "DATABASE_URL": restored_database, **{k: str(v) for k, v in storage.restored.items()}}
    restored = run("restore", folder, restored_database, env=new_site)
    assert restored.returncode == 0, restored.stderr
    assert storage.read_restored(issued.pdf.name) == before[-1]

    again = run("restore", folder, restored_database, env=new_site)
    assert again.returncode != 0 and "is not empty" in again.stderr  # never over a database in use

    host = stack.WebHost("restored", new_site, tmp_path)
    try:
        after = served(host, reader.username, urls)
    finally:
        host.stop()
    for url, page_before, page_after in zip(urls, before, after, strict=True):
        assert page_after == page_before, (url, differences(page_before, page_after))


def differences(before: bytes, after: bytes) -> str:
    lines = difflib.unified_diff(*(page.decode(errors="replace").splitlines() for page in (before, after)))
    return "\n".join(list(lines)[:40])


def test_the_backup_refuses_clearly_without_its_tools(tmp_path):
    refused = subprocess.run(
        ["/bin/bash", str(stack.ROOT / "deploy" / "backup"), str(tmp_path)],
        env={"PATH": str(tmp_path / "empty"), "DATABASE_URL": "postgres://quyche@db/quyche"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode != 0 and "pg_dump is missing: apt-get install postgresql-client" in refused.stderr
    assert list(tmp_path.iterdir()) == []  # nothing made
