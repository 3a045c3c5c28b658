"""A whole reminder scan over a small province built as bench/reminders.py builds a large one: every rule has
work (reviews due, overdue and escalated, new terms, replaced bases, consultations, stalled amendments,
overdue findings), people choose immediate emails, digests or none, some offices set their own thresholds,
and earlier scans stored part of what is due.

The reminders a scan stores are compared with those the scan stored before it was made set-based
(reminder_scan.json, written by the code of commit 743f081, then again once the basis rule also reminded texts
that cite a replaced document beside one still in force, 7 bases due instead of 15; the bench stores 40% of
what is due beforehand, chosen in id order read as numbers so that any database's ids give the same
choice, which shifted which others were already stored): the same people, reasons,
subjects, periods, words, links and email states. The records' ids differ from one database to another, so
subjects and links name each record by its rank among its kind (regulation #3, the third regulation created).
"""

import datetime
import importlib.util
import json
import random
import re
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from notifications import services
from notifications.models import Notification
from organizations.models import User

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).with_name("reminder_scan.json")
TODAY = datetime.date(2026, 6, 10)

spec = importlib.util.spec_from_file_location("bench_reminders", ROOT / "bench" / "reminders.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def province(organizations: int, seed: int = 9) -> None:
    rng = random.Random(seed)
    admin = User.objects.create_superuser("admin", "admin@example.vn", "mat-khau")
    orgs = bench.organizations(rng, organizations)
    seated = bench.people(rng, orgs, TODAY)
    regs = bench.regulations(rng, orgs, seated["terms"], TODAY, admin)
    bench.amendments(rng, regs, orgs, seated["staff"], TODAY, admin, organizations // 2)
    bench.inspections(rng, orgs, TODAY, admin, organizations // 6)
    bench.notifications(rng, seated["users"], TODAY, organizations * 6)


@pytest.fixture
def at_eight():
    with time_machine.travel(datetime.datetime(2026, 6, 10, 8, tzinfo=datetime.timezone(datetime.timedelta(hours=7))),
                             tick=False):  # fmt: skip
        yield


SUBJECTS = {
    "regulation": "regulations.Regulation", "term": "organizations.Term", "version": "regulations.Version",
    "request": "reviews.ConsultationRequest", "amendment": "reviews.Amendment", "finding": "inspections.Finding",
    "document": "regulations.SuperiorDocument",
}  # fmt: skip
LINKS = {
    "regulations:list": "organizations.Organization", "regulations:version": "regulations.Version",
    "regulations:detail": "regulations.Regulation", "reviews:draft": "reviews.Amendment",
    "reviews:consultation": "reviews.Amendment", "reviews:detail": "reviews.Amendment",
    "inspections:detail": "inspections.Inspection",
}  # fmt: skip


class Ranks(dict):
    """The rank of a record among its kind, by id: the same on any database for data created in one order."""

    def __call__(self, label: str, pk) -> int:
        if label not in self:
            model = apps.get_model(label)
            self[label] = {
                pk: rank for rank, pk in enumerate(model.objects.order_by("pk").values_list("pk", flat=True))
            }
        return self[label][int(pk)]


def described(notifications) -> list[list[str]]:
    ranks = Ranks()
    rows = []
    for n in notifications.select_related("recipient"):
        kind, pk = n.subject.split(":")
        subject = f"{kind}#{ranks(SUBJECTS[kind], pk)}"
        period = n.period
        if period.startswith("document:"):
            period = f"document#{ranks(SUBJECTS['document'], period.split(':')[1])}"
        elif re.fullmatch(r"\d+:\d{4}-\d\d-\d\d", period):
            stage, day = period.split(":")
            period = f"stage#{ranks('reviews.Stage', stage)}:{day}"
        path, _, fragment = n.url.partition("#")
        match = resolve(path)
        pk = match.args[0] if match.args else next(iter(match.kwargs.values()))
        url = f"{match.view_name}#{ranks(LINKS[match.view_name], pk)}"
        if fragment:
            url += f" finding#{ranks('inspections.Finding', fragment.removeprefix('han-che-'))}"
        rows.append([n.recipient.username, n.reason, subject, period, n.title, n.body, url, n.email_status])
    return sorted(rows)


def scan(today) -> dict:
    """What `tasks.scan_reminders` does, its emails sent after its counts as a worker sends them (calling the
    services: a task run inline here would leave Celery without its Redis result backend for test_celery)."""
    result = services.reminders_store(today)
    counts = services.scan_counts(result)
    services.send_emails(result["to_email"])
    return counts


def test_it_stores_the_same_reminders_as_before_and_none_the_second_time(db, at_eight):
    province(80)
    before = Notification.objects.count()
    first = scan(TODAY)
    found = {
        "counts": first,  # "emailed" counts what went before the scan returned: here the emails go after it
        "emails": sorted([message.to[0], message.subject] for message in mail.outbox),
        "reminders": described(Notification.objects.filter(scan__isnull=False)),
    }
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert found["counts"] == expected["counts"]
    assert found["emails"] == expected["emails"]
    assert found["reminders"] == expected["reminders"]
    assert len(mail.outbox) == Notification.objects.filter(emailed_at__isnull=False).count()
    assert Notification.objects.count() == before + first["created"]

    again = scan(TODAY)
    assert again == {"created": 0, "emailed": 0, "not_queued": 0,
                     "skipped_duplicates": first["created"] + first["skipped_duplicates"]}  # fmt: skip
    assert len(mail.outbox) == Notification.objects.filter(emailed_at__isnull=False).count()


def scan_queries(organizations: int) -> int:
    """The queries of a scan but its INSERTs, which go in batches of rows (1,000 on PostgreSQL, fewer on SQLite)."""
    province(organizations)
    with CaptureQueriesContext(connection) as queries:
        result = services.reminders_store(TODAY)
    assert result["created"] > organizations  # every rule had work
    return sum(1 for query in queries if not query["sql"].startswith(("INSERT", "SAVEPOINT", "RELEASE SAVEPOINT")))


@pytest.mark.parametrize("organizations", [30, 150])
def test_a_scan_takes_the_same_queries_for_30_or_150_organizations(db, at_eight, organizations):
    assert scan_queries(organizations) == 17
