"""How the reminder scan (`manage.py send_reminders`) holds up over a province.

    .venv/bin/python bench/reminders.py [--database-url URL] [--organizations N] [--runs R] [--reuse]
                                        [--code DIR] [--seed S]

Builds (in the PostgreSQL database of the URL, by default quyche_workers_bench, dropped and created
afresh unless --reuse) a province shaped for the reminder rules, proportional to N (10,000 by default):
a provincial committee, districts and blocs, đảng bộ cơ sở with đảng bộ bộ phận and chi bộ, chi bộ cơ sở,
each with a current term (one in twenty started lately, without its new working regulation yet) and its
bodies; about two people per organization seated in them (immediate emails, digests, none); about two
regulations per organization in force, a fifth of them overdue for review, some citing a superior
document since replaced or repealed; 2,000 amendments at every stage with working groups and
consultations due, due tomorrow or expired; inspections with findings past their deadline; and 60,000
notifications, about 40% of what today's scan finds among them (sent earlier), the rest older ones.
Everything goes in with bulk_create.

Then, R times (3 by default), on a fresh copy of that database: `manage.py send_reminders` run twice,
each in its own process (DEBUG off, emails through the dummy backend, Celery inline as without
Redis): the first scan, then a repeat that finds only duplicates. Printed: the JSON of each scan,
wall and CPU time (user + system) and peak resident memory (the process's ru_maxrss, Django and its
imports included), and the median over the runs. --code DIR runs the command of another checkout
(to compare before/after on the same data).
"""

import argparse
import datetime
import importlib.util
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]


def _bench_module(name: str):
    """Another benchmark script, imported under a name of its own (its file name is an app's)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


postgres = _bench_module("common").postgres
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/quyche_workers_bench"
TERM_START, TERM_END = datetime.date(2025, 5, 1), datetime.date(2030, 5, 1)
FIRST_NAMES = ["An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Hùng", "Lan", "Long", "Mai", "Minh", "Nam", "Phương",
               "Quân", "Sơn", "Tâm", "Thảo", "Thủy", "Trung", "Tuấn", "Vân", "Yến"]  # fmt: skip
LAST_NAMES = ["Nguyễn Văn", "Trần Thị", "Lê Văn", "Phạm Thị", "Huỳnh Văn", "Võ Thị", "Đặng Văn", "Bùi Thị",
              "Đỗ Văn", "Hồ Thị", "Ngô Văn", "Dương Thị"]  # fmt: skip
DUE_IN = (-6, -2, -1, 1, 1, 2, 3, 4, 5, 8, 12)  # days left to answer a consultation
DOCUMENTS = [
    ("232-QĐ/TW", "Quy định về thi hành Điều lệ Đảng", "in_force"),
    ("24-QĐ/TW", "Quy định thi hành Điều lệ Đảng (2021)", "replaced"),
    ("69-QĐ/TW", "Quy định về xử lý kỷ luật tổ chức đảng, đảng viên vi phạm (2022)", "repealed"),
]


def paths_of(parent_path: str, count: int) -> list[str]:
    from organizations.models import Organization

    depth = len(parent_path) // Organization.steplen + 1
    return [Organization._get_path(parent_path or None, depth, n) for n in range(1, count + 1)]


def organizations(rng: random.Random, total: int) -> list:
    """The tree, bulk-created level by level with treebeard's paths; returns every organization."""
    from demo.province import CELL_UNITS, CELLS, DEPARTMENTS, LOCAL_UNITS, PLACES, SUB_UNITS
    from organizations.models import Organization
    from organizations.models import OrganizationKind as K
    from quyche.text import fold

    def node(parent, path, name, kind, code, symbol):
        return Organization(
            name=name, name_folded=fold(name), kind=kind, code=code, symbol=symbol, parent=parent, path=path,
            depth=len(path) // Organization.steplen, numchild=0,
        )  # fmt: skip

    root = node(None, paths_of("", 1)[0], "Tỉnh ủy Cần Thơ", K.PROVINCIAL, "TU", "TU")
    Organization.objects.bulk_create([root])
    tops = [("Đảng ủy Khối các cơ quan tỉnh", K.BLOC, "ĐUK"), ("Đảng ủy Khối doanh nghiệp tỉnh", K.BLOC, "ĐUK")]
    tops += [(f"Huyện ủy {place}", K.DISTRICT, "HU") for place in PLACES[:12]]
    tops += [("Đảng đoàn Hội đồng nhân dân tỉnh", K.PARTY_DELEGATION, "ĐĐ"),
             ("Ban cán sự đảng Ủy ban nhân dân tỉnh", K.PARTY_AFFAIRS, "BCS")]  # fmt: skip
    level2 = [
        node(root, path, name, kind, f"C{n:02d}", symbol)
        for n, ((name, kind, symbol), path) in enumerate(
            zip(tops, paths_of(root.path, len(tops)), strict=True), start=1
        )
    ]
    Organization.objects.bulk_create(level2)
    parents = [org for org in level2 if org.kind in (K.BLOC, K.DISTRICT)]
    left = total - 1 - len(level2)
    # Of what is left: a tenth đảng bộ cơ sở, three tenths chi bộ cơ sở, the rest under the đảng bộ cơ sở.
    committees_count, cells_count = left // 9, left * 3 // 10
    unit_names = [f"{unit} {place}" for place in PLACES for unit in DEPARTMENTS + LOCAL_UNITS]
    cell_names = [f"{unit} {place}" for place in PLACES for unit in CELL_UNITS]
    level3, children = [], {org.pk: 0 for org in parents}
    for n in range(committees_count + cells_count):
        parent = parents[n % len(parents)]
        children[parent.pk] += 1
        path = Organization._get_path(parent.path, 3, children[parent.pk])
        if n < committees_count:
            name = f"Đảng bộ {unit_names[n % len(unit_names)]} {n // len(unit_names) or ''}".strip()
            level3.append(node(parent, path, name, K.GRASSROOTS_COMMITTEE, f"CS{n:05d}", "ĐU"))
        else:
            name = f"Chi bộ {cell_names[n % len(cell_names)]} {n // len(cell_names) or ''}".strip()
            level3.append(node(parent, path, name, K.GRASSROOTS_CELL, f"CBCS{n:05d}", "CB"))
    Organization.objects.bulk_create(level3, batch_size=1000)
    committees = [org for org in level3 if org.kind == K.GRASSROOTS_COMMITTEE]
    left = total - 1 - len(level2) - len(level3)
    level4, level5 = [], []
    while left > 0:
        for committee in committees:
            if left <= 0:
                break
            subs = rng.randint(0, 2)
            cells = rng.randint(1, 4)
            for k in range(1, subs + cells + 1):
                committee.numchild += 1
                path = Organization._get_path(committee.path, 4, committee.numchild)
                if k <= subs:
                    unit = SUB_UNITS[(committee.numchild + k) % len(SUB_UNITS)]
                    name = f"Đảng bộ bộ phận {unit} {committee.numchild}"
                    level4.append(node(committee, path, name, K.SUB_COMMITTEE, f"BP{committee.numchild:02d}", "ĐU"))
                else:
                    name = f"Chi bộ {CELLS[(committee.numchild + k) % len(CELLS)]} {committee.numchild}"
                    level4.append(node(committee, path, name, K.CELL, f"CB{committee.numchild:02d}", "CB"))
                left -= 1
    Organization.objects.bulk_create(level4, batch_size=1000)
    for sub in (org for org in level4 if org.kind == K.SUB_COMMITTEE):
        for _ in range(min(rng.randint(2, 4), max(left, 0))):
            sub.numchild += 1
            path = Organization._get_path(sub.path, 5, sub.numchild)
            name = f"Chi bộ {CELLS[sub.numchild % len(CELLS)]} {sub.numchild}"
            level5.append(node(sub, path, name, K.CELL, f"CB{sub.numchild:02d}", "CB"))
            left -= 1
    Organization.objects.bulk_create(level5, batch_size=1000)
    everything = [root, *level2, *level3, *level4, *level5]
    numchild = {}
    for org in everything:
        if org.parent_id:
            numchild[org.parent_id] = numchild.get(org.parent_id, 0) + 1
    for org in everything:
        org.numchild = numchild.get(org.pk, 0)
    Organization.objects.bulk_update(everything, ["numchild"], batch_size=1000)
    return everything


def people(rng: random.Random, orgs: list, today: datetime.date) -> dict:
    """Bodies, terms (one in twenty new), users and their seats; returns what later steps need."""
    from notifications.models import ReminderSettings
    from organizations.models import Body, BodyKind, EmailMode, Position, Role, Term, User, body_name
    from organizations.services import default_bodies

    bodies = [
        Body(organization=org, kind=kind, name=body_name(kind, org.kind))
        for org in orgs
        for kind in default_bodies(org.kind)
    ]
    Body.objects.bulk_create(bodies, batch_size=2000)
    body_of = {(body.organization_id, body.kind): body for body in bodies}
    terms = []
    for org in orgs:
        if rng.random() < 0.05:
            start = today - datetime.timedelta(days=rng.randint(40, 200))
            terms.append(
                Term(organization=org, name="Nhiệm kỳ mới", start=start, end=start + datetime.timedelta(days=1826))
            )
        else:
            terms.append(Term(organization=org, name="Nhiệm kỳ 2025 - 2030", start=TERM_START, end=TERM_END))
    Term.objects.bulk_create(terms, batch_size=2000)
    # A few offices set their own thresholds.
    ReminderSettings.objects.bulk_create(
        ReminderSettings(
            organization=org,
            review_notice_days=30,
            review_escalation_days=10,
            term_rules_days=60,
            consultation_notice_days=6,
            stalled_stage_days=7,
        )  # fmt: skip
        for org in orgs
        if rng.random() < 0.03
    )
    term_of = {term.organization_id: term for term in terms}
    seats = []  # (organization, body kind, role)
    for org in orgs:
        seats.append((org, BodyKind.EXECUTIVE, Role.SECRETARY))
        if (org.pk, BodyKind.OFFICE) in body_of:
            seats += [(org, BodyKind.OFFICE, Role.OFFICE_CHIEF), (org, BodyKind.OFFICE, Role.OFFICE_STAFF)]
            seats += [(org, BodyKind.EXECUTIVE, Role.COMMITTEE_MEMBER)] * 3
            if (org.pk, BodyKind.STANDING) in body_of:
                seats.append((org, BodyKind.STANDING, Role.STANDING_MEMBER))
        elif rng.random() < 0.7:
            seats.append((org, BodyKind.EXECUTIVE, Role.DEPUTY_SECRETARY))
    modes = [EmailMode.IMMEDIATE] * 15 + [EmailMode.DIGEST] * 3 + [EmailMode.NONE] * 2
    users = [
        User(
            username=f"u{n:06d}",
            password="!",
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            email="" if rng.random() < 0.05 else f"u{n:06d}@example.vn",
            email_mode=rng.choice(modes),
        )  # fmt: skip
        for n in range(len(seats))
    ]
    User.objects.bulk_create(users, batch_size=2000)
    positions = []
    staff = {}  # organization -> users who do its paperwork (for working groups)
    for user, (org, kind, role) in zip(users, seats, strict=True):
        term = term_of[org.pk]
        positions.append(
            Position(user=user, body=body_of[(org.pk, kind)], term=term, role=role, start=term.start, end=term.end)
        )
        staff.setdefault(org.pk, []).append(user)
    Position.objects.bulk_create(positions, batch_size=2000)
    return {"terms": term_of, "staff": staff, "users": users}


def regulations(rng: random.Random, orgs: list, terms: dict, today: datetime.date, admin) -> list:
    """About two regulations per organization, each with one version in force."""
    from organizations.models import ALLOWED_BODIES, BodyKind
    from quyche.text import fold
    from regulations.models import Regulation, RegulationKind, SuperiorDocument, Version, VersionStatus

    documents = [SuperiorDocument(number=number, title=title, status=status) for number, title, status in DOCUMENTS]
    SuperiorDocument.objects.bulk_create(documents)
    documents[1].replaced_by = documents[0]
    documents[1].save(update_fields=["replaced_by"])
    text = _bench_module("pdf_render").synthetic(8)  # the text as imported, kept with each version
    plan = []
    for org in orgs:
        plan.append((org, RegulationKind.COMMITTEE_RULES, "Quy chế làm việc của Ban Chấp hành"))
        if BodyKind.INSPECTION in ALLOWED_BODIES[org.kind]:
            plan.append((org, RegulationKind.INSPECTION_RULES, "Quy chế làm việc của Ủy ban Kiểm tra"))
        if rng.random() < 0.85:
            plan.append((org, RegulationKind.OTHER, "Quy định về chế độ thông tin, báo cáo"))
    regs, versions = [], []
    for n, (org, kind, title) in enumerate(plan):
        term = terms[org.pk]
        new_term = term.start > TERM_START
        if new_term and kind == RegulationKind.COMMITTEE_RULES and rng.random() < 0.7:
            continue  # not yet issued for the new term: the term reminder
        issued = TERM_START + datetime.timedelta(days=rng.randint(20, 150))
        roll = rng.random()
        if roll < 0.2:
            due = today - datetime.timedelta(days=rng.randint(1, 300))
        elif roll < 0.25:
            due = today + datetime.timedelta(days=rng.randint(0, 13))
        else:
            due = today + datetime.timedelta(days=rng.randint(15, 180))
        regs.append(
            Regulation(
                organization=org,
                kind=kind,
                title=f"{title} {org.name}",
                title_folded=fold(f"{title} {org.name}"),
                term=None if new_term else term,
                next_review_on=due,
                last_reviewed_on=issued + datetime.timedelta(days=30) if roll < 0.1 else None,
                created_by=admin,
            )  # fmt: skip
        )
        versions.append(
            Version(
                status=VersionStatus.IN_FORCE,
                number=f"{n % 90 + 1:02d}-QC/{org.symbol}",
                issued=issued,
                issued_year=issued.year,
                effective=issued,
                issuing_organization=org,
                kind=kind,
                term=None if new_term else term,
                title=title,
                source_text=text,
                created_by=admin,
            )  # fmt: skip
        )
    Regulation.objects.bulk_create(regs, batch_size=1000)
    for regulation, version in zip(regs, versions, strict=True):
        version.regulation = regulation
    Version.objects.bulk_create(versions, batch_size=500)
    for regulation, version in zip(regs, versions, strict=True):
        regulation.current_version = version
    Regulation.objects.bulk_update(regs, ["current_version"], batch_size=1000)
    through = Version.cited_documents.through
    cites = []
    for n, version in enumerate(versions):
        # One in forty cites a document since replaced or repealed instead of the one in force; another, both.
        if n % 40 != 3:
            cites.append(through(version_id=version.pk, superiordocument_id=documents[0].pk))
        if n % 40 in (3, 23):
            cites.append(through(version_id=version.pk, superiordocument_id=documents[1 + n // 40 % 2].pk))
    through.objects.bulk_create(cites, batch_size=2000)
    return regs


def amendments(rng: random.Random, regs: list, orgs: list, staff: dict, today: datetime.date, admin, total: int) -> int:
    """Amendments at every stage (nine in ten under way), with working groups and consultations."""
    from django.utils import timezone

    from regulations.models import RegulationKind, Version, VersionStatus
    from reviews.models import Amendment, AmendmentStatus, ConsultationRequest, Stage, StageKind, WorkingGroupMember

    stages = {}
    for stage in Stage.objects.all():
        stages.setdefault(stage.organization_kind, []).append(stage)
    children = {}
    for org in orgs:
        if org.parent_id:
            children.setdefault(org.parent_id, []).append(org)
    candidates = [r for r in regs if r.kind == RegulationKind.COMMITTEE_RULES and r.organization.kind in stages]
    chosen = rng.sample(candidates, min(total, len(candidates)))
    now = timezone.now()
    drafts, rows = [], []
    for regulation in chosen:
        base = regulation.current_version
        kind_stages = stages[regulation.organization.kind]
        consulting = [stage for stage in kind_stages if stage.kind == StageKind.CONSULTATION]
        # A third in consultation, the others at any stage.
        stage = rng.choice(consulting if consulting and rng.random() < 0.33 else kind_stages)
        drafts.append(
            Version(
                regulation=regulation,
                status=VersionStatus.DRAFT,
                issuing_organization=regulation.organization,
                kind=regulation.kind,
                term=regulation.term,
                title=base.title,
                source_text=base.source_text,
                created_by=admin,
            )  # fmt: skip
        )
        rows.append(
            Amendment(
                regulation=regulation,
                base_version=base,
                title=f"Sửa đổi, bổ sung {regulation.title}",
                stage=stage,
                status=AmendmentStatus.IN_PROGRESS if rng.random() < 0.9 else AmendmentStatus.WITHDRAWN,
                stage_entered_at=now - datetime.timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 23)),
                created_by=admin,
                reason="Rà soát định kỳ",
            )  # fmt: skip
        )
    Version.objects.bulk_create(drafts, batch_size=500)
    for amendment, draft in zip(rows, drafts, strict=True):
        amendment.draft = draft
    Amendment.objects.bulk_create(rows, batch_size=500)
    members, requests = [], []
    for amendment in rows:
        org = amendment.regulation.organization
        for user in staff[org.pk][:3]:
            members.append(WorkingGroupMember(amendment=amendment, user=user, added_by=admin))
        if amendment.stage.kind == StageKind.CONSULTATION:
            for child in children.get(org.pk, [])[:6]:
                requests.append(
                    ConsultationRequest(
                        amendment=amendment,
                        organization=child,
                        due=today + datetime.timedelta(days=rng.choice(DUE_IN)),
                        created_by=admin,
                        answered_at=now if rng.random() < 0.3 else None,
                    )  # fmt: skip
                )
            for user in staff[org.pk][3:6]:
                requests.append(
                    ConsultationRequest(
                        amendment=amendment,
                        user=user,
                        due=today + datetime.timedelta(days=rng.choice(DUE_IN)),
                        created_by=admin,
                        answered_at=now if rng.random() < 0.3 else None,
                    )  # fmt: skip
                )
    WorkingGroupMember.objects.bulk_create(members, batch_size=2000)
    ConsultationRequest.objects.bulk_create(requests, batch_size=2000)
    return len(requests)


def inspections(rng: random.Random, orgs: list, today: datetime.date, admin, total: int) -> int:
    """Inspections by a superior of one below it, two or three findings each, some past their deadline."""
    from inspections.models import Finding, FindingKind, FindingStatus, Inspection, InspectionKind

    by_pk = {org.pk: org for org in orgs}
    inspected = rng.sample([org for org in orgs if org.parent_id], total)
    rows = [
        Inspection(
            inspecting=by_pk[org.parent_id],
            inspected=org,
            kind=rng.choice(InspectionKind.values),
            date=today - datetime.timedelta(days=rng.randint(30, 300)),
            team="Đoàn kiểm tra của cấp ủy cấp trên",
            scope="Việc xây dựng và thực hiện quy chế làm việc",
            created_by=admin,
        )  # fmt: skip
        for org in inspected
    ]
    Inspection.objects.bulk_create(rows, batch_size=1000)
    statuses = [FindingStatus.OPEN] * 4 + [FindingStatus.REPORTED, FindingStatus.REOPENED, FindingStatus.CLOSED]
    findings = [
        Finding(
            inspection=inspection,
            kind=rng.choice(FindingKind.values),
            description="Chưa ban hành kịp thời quy chế làm việc nhiệm kỳ mới; một số điều chưa sát thực tế.",
            remediation="Rà soát, sửa đổi, bổ sung quy chế làm việc và báo cáo kết quả.",
            deadline=today + datetime.timedelta(days=rng.randint(-90, 60)),
            status=rng.choice(statuses),
            created_by=admin,
        )  # fmt: skip
        for inspection in rows
        for _ in range(rng.randint(2, 3))
    ]
    Finding.objects.bulk_create(findings, batch_size=2000)
    return len(findings)


def _in_creation_order(key: tuple) -> tuple:
    """A reminder's key with the ids in it as numbers ("regulation:99" before "regulation:100"), so that the
    same data makes the same choices on any database, whatever ids its sequences hand out."""
    return tuple(tuple(int(part) if part.isdigit() else part for part in str(value).split(":")) for value in key)


def notifications(rng: random.Random, users: list, today: datetime.date, total: int) -> int:
    """About 40% of what a scan today finds, stored by earlier scans; older reminders up to `total`."""
    from django.utils import timezone

    from notifications.models import EmailStatus, Notification, NotificationReason
    from notifications.reminders import due_today

    now = timezone.now()
    # One of each (a scan may find the same reminder twice: two expired requests of one amendment).
    found = {(item.recipient_id, item.reason, item.subject, item.period): item for item in due_today(today)}
    due = [found[key] for key in sorted(found, key=_in_creation_order) if rng.random() < 0.4]
    statuses = [EmailStatus.SENT] * 6 + [EmailStatus.SKIPPED, EmailStatus.DIGEST]
    rows = [
        Notification(
            recipient_id=item.recipient_id,
            reason=item.reason,
            subject=item.subject,
            period=item.period,
            title=item.title[:300],
            body=item.body,
            url=item.url,
            email_status=rng.choice(statuses),
        )  # fmt: skip
        for item in due
    ]
    for n in range(max(total - len(rows), 0)):
        user = users[n % len(users)]
        status = EmailStatus.FAILED if n % 1000 == 0 else rng.choice(statuses)
        rows.append(
            Notification(
                recipient=user,
                reason=NotificationReason.REVIEW_DUE,
                subject=f"regulation:{n}",
                period=f"2025-{n % 12 + 1:02d}-15",
                title=f"Đến hạn rà soát quy chế (cũ) {n}",
                body="Quy chế được rà soát định kỳ sáu tháng một lần.",
                url="/quy-che/1/",
                email_status=status,
                email_attempts=3 if status == EmailStatus.FAILED else 1,
                read_at=None if n % 3 else now,
            )  # fmt: skip
        )
    Notification.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quyche.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(url: str, total: int, seed: int) -> None:
    setup(url)
    from django.db import connection
    from django.utils import timezone

    from organizations.models import User

    rng = random.Random(seed)
    today = timezone.localdate()
    started = time.perf_counter()
    scale = total / 10_000
    admin = User.objects.create_superuser("admin", "admin@example.vn", "mat-khau")
    orgs = organizations(rng, total)
    seated = people(rng, orgs, today)
    regs = regulations(rng, orgs, seated["terms"], today, admin)
    requests = amendments(rng, regs, orgs, seated["staff"], today, admin, round(2_000 * scale))
    findings = inspections(rng, orgs, today, admin, round(1_500 * scale))
    stored = notifications(rng, seated["users"], today, round(60_000 * scale))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts = {
        "organizations": len(orgs), "users": len(seated["users"]) + 1, "regulations": len(regs),
        "amendments": round(2_000 * scale), "consultation requests": requests, "findings": findings,
        "notifications": stored, "seconds": round(time.perf_counter() - started, 1),
    }  # fmt: skip
    print(json.dumps(counts), flush=True)


# Measuring --------------------------------------------------------------------------------------


def copy_database(url: str, copy_url: str) -> None:
    """A fresh copy of the generated database (CREATE DATABASE … TEMPLATE) for one run of the scans."""
    import psycopg

    parts = urlsplit(url)
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    name, copy = parts.path.lstrip("/"), urlsplit(copy_url).path.lstrip("/")
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')


def scan(code: Path, url: str) -> tuple[dict, float, float, float]:
    """One `send_reminders` in its own process: its JSON, wall and CPU seconds, and peak resident MB."""
    env = {
        **os.environ, "DATABASE_URL": url, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "REDIS_URL": "",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend", "DJANGO_SETTINGS_MODULE": "quyche.settings",
    }  # fmt: skip
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "manage.py", "send_reminders"], cwd=code, env=env, stdout=out,
                                   stderr=err)  # fmt: skip
        _, status, usage = os.wait4(process.pid, 0)  # this child's own peak, not the largest of all children
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        if process.returncode:
            raise SystemExit(f"send_reminders failed:\n{err.read().decode()}")
        cpu = usage.ru_utime + usage.ru_stime  # less sensitive than the wall time to a busy machine
        return json.loads(out.read().decode().strip().splitlines()[-1]), seconds, cpu, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--organizations", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="measure on the database already generated")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose manage.py is measured")
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    # The project, not this folder, first: bench/oversight.py would otherwise stand for the oversight app.
    sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]
    url = arguments.database_url
    if arguments.generate_only:
        generate(url, arguments.organizations, arguments.seed)
        return
    if not arguments.reuse:
        postgres(url, "create")
        # In its own process, so that no connection to the template is left open for the copies.
        subprocess.run([sys.executable, __file__, "--generate-only", "--database-url", url,
                        "--organizations", str(arguments.organizations), "--seed", str(arguments.seed)],
                       check=True)  # fmt: skip
    copy_url = url.rstrip("/") + "_scan"
    figures = {"first": [], "repeat": []}
    print(f"code: {arguments.code}")
    for run in range(arguments.runs):
        copy_database(url, copy_url)
        for which in ("first", "repeat"):
            counts, seconds, cpu, peak = scan(arguments.code, copy_url)
            figures[which].append((seconds, cpu, peak))
            print(f"run {run + 1} {which:<6} {seconds:6.2f} s {cpu:6.2f} s CPU {peak:5.0f} MB  {json.dumps(counts)}",
                  flush=True)  # fmt: skip
    postgres(copy_url, "drop")
    for which, rows in figures.items():
        seconds, cpu, peak = (statistics.median(row[i] for row in rows) for i in range(3))
        print(f"median {which:<6} {seconds:6.2f} s {cpu:6.2f} s CPU {peak:5.0f} MB")


if __name__ == "__main__":
    main()
