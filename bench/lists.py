"""How the lists every user opens hold up in a province: amendments (page and API), việc cần làm,
notifications, and an organization's regulations.

    .venv/bin/python bench/lists.py [--database-url URL] [--rebuild] [--runs N] [--explain]

The database (default postgres://postgres@127.0.0.1:5432/quyche_amendments_bench) is built once and
kept: a later run measures the same data again (before and after a change), --rebuild makes it afresh.
The province, written in bulk: a city with a Đảng ủy Khối of about 5,000 organizations (as in
bench/oversight.py: 400 đảng bộ cơ sở with their đảng bộ bộ phận and chi bộ, and chi bộ cơ sở) and
twelve quận ủy of about 420 each, 10,027 organizations in all, each with its bodies and a current
term; about 20,000 users holding the positions (Bí thư, cấp ủy viên, ủy viên BTV, văn phòng); two
regulations per organization (19,826 with one text each); 2,005 amendments at every stage and status,
with their dossiers and drafts (heavy text columns filled), working groups, and consultation requests
to the organizations below and to BCH members; 60,000 notifications, a third unread.

Then, for each persona (the Khối's office, an ủy viên BTV of the city, a cấp ủy viên of the Khối, the
superuser) and each page: one warm-up, then the median of --runs single requests through the test
client (session, middleware, template), with the query count of the last. --explain prints the plans
of each page's slowest queries for the Khối's office.
"""

import argparse
import datetime
import logging
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/quyche_amendments_bench"
SEED = 13
TERM_START, TERM_END = datetime.date(2025, 1, 1), datetime.date(2030, 1, 1)
DISTRICTS = ["Ninh Kiều", "Bình Thủy", "Cái Răng", "Ô Môn", "Thốt Nốt", "Phong Điền", "Cờ Đỏ", "Vĩnh Thạnh",
             "Thới Lai", "Vị Thanh", "Ngã Bảy", "Long Mỹ"]  # fmt: skip
PERSONAS = ("vanphong.khoi", "btv.thanhuy", "bch.khoi", "admin")
PASSWORD = "mat-khau-bench"


def setup(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DEBUG", "1")  # the quick-start key; pages still render as in production
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quyche.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test client's host
    settings.DEBUG = False  # as served: no debug pages, no query log kept by the connection
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per login otherwise


def recreate(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


# Building the province --------------------------------------------------------------------------


class Node:
    __slots__ = ("name", "kind", "code", "children", "row")

    def __init__(self, name, kind, code):
        self.name, self.kind, self.code, self.children, self.row = name, kind, code, [], None

    def add(self, name, kind, code):
        child = Node(name, kind, code)
        self.children.append(child)
        return child


def shape(rng: random.Random) -> Node:
    """The tree: the Khối of 4,979 below the city, twelve districts filling up to 10,027."""
    city = Node("Thành ủy Cần Thơ", "provincial", "TUCT")
    bloc = city.add("Đảng ủy Khối Cơ quan Dân Chính Đảng thành phố", "bloc", "DUK")
    count = 1
    for number in range(1, 401):
        committee = bloc.add(f"Đảng bộ cơ sở số {number} của Khối", "grassroots_committee", f"CS{number:03d}")
        count += 1
        for sub in range(1, rng.randint(0, 4) + 1):
            sub_committee = committee.add(f"Đảng bộ bộ phận {sub} – Đảng bộ {number}", "sub_committee", f"BP{sub}")
            count += 1
            for cell in range(1, rng.randint(2, 4) + 1):
                sub_committee.add(f"Chi bộ {cell} – Đảng bộ bộ phận {sub}", "cell", f"CB{cell}")
                count += 1
        for cell in range(1, rng.randint(1, 3) + 1):
            committee.add(f"Chi bộ trực thuộc {cell} – Đảng bộ {number}", "cell", f"CT{cell}")
            count += 1
    for number in range(1, 4_979 - count + 1):
        bloc.add(f"Chi bộ cơ sở số {number} của Khối", "grassroots_cell", f"CBCS{number:04d}")
    city.add("Đảng đoàn Hội đồng nhân dân thành phố", "party_delegation", "DDHDND")
    city.add("Ban cán sự đảng Ủy ban nhân dân thành phố", "party_affairs", "BCSUBND")
    per_district = (10_027 - 2 - 4_979 - 2) // len(DISTRICTS)
    for index, place in enumerate(DISTRICTS):
        district = city.add(f"Quận ủy {place}", "district", f"Q{index:02d}")
        size = per_district + (1 if index < (10_027 - 2 - 4_979 - 2) % len(DISTRICTS) else 0) - 1
        made = 0
        number = 0
        while made < size:
            number += 1
            if rng.random() < 0.4 and size - made > 4:
                ward = district.add(f"Đảng bộ phường số {number}, {place}", "grassroots_committee", f"P{number:03d}")
                made += 1
                for cell in range(1, min(rng.randint(2, 6), size - made) + 1):
                    ward.add(f"Chi bộ khu vực {cell}, phường {number}", "cell", f"KV{cell}")
                    made += 1
            else:
                district.add(f"Chi bộ cơ sở số {number}, {place}", "grassroots_cell", f"C{number:03d}")
                made += 1
    return city


def build(rng: random.Random) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone

    from notifications.models import Notification, NotificationReason
    from organizations.models import ALLOWED_BODIES, Body, Organization, Position, Term, User, body_name
    from quyche.text import fold
    from regulations.models import Regulation, RegulationKind, Version, VersionStatus
    from reviews.models import (
        OPEN_STATUSES,
        Amendment,
        AmendmentStatus,
        AmendmentUserObjectPermission,
        ConsultationRequest,
        Stage,
        WorkingGroupMember,
        WorkingGroupRole,
    )

    started = time.perf_counter()
    now = timezone.now()
    root = shape(rng)

    # Organizations, level by level, with treebeard's paths.
    rows, level = [], [(root, None, "", 1)]
    depth = 1
    while level:
        following, made = [], []
        for node, parent, parent_path, step in level:
            path = Organization._get_path(parent_path or None, depth, step)
            node.row = Organization(
                name=node.name, name_folded=fold(node.name), kind=node.kind, code=node.code,
                symbol={"provincial": "TU", "district": "HU", "bloc": "ĐUK"}.get(node.kind, "ĐU"),
                path=path, depth=depth, numchild=len(node.children), parent=parent, created_at=now,
            )  # fmt: skip
            made.append(node.row)
            following += [(child, node.row, path, number) for number, child in enumerate(node.children, start=1)]
        Organization.objects.bulk_create(made, batch_size=2000)
        rows += made
        level, depth = following, depth + 1
    organizations = rows
    city, bloc = root.row, root.children[0].row

    terms = Term.objects.bulk_create(
        [Term(organization=o, name="Nhiệm kỳ 2025 - 2030", start=TERM_START, end=TERM_END) for o in organizations],
        batch_size=2000,
    )
    term_of = {term.organization_id: term for term in terms}
    bodies = Body.objects.bulk_create(
        [
            Body(organization=o, kind=kind, name=body_name(kind, o.kind))
            for o in organizations
            for kind in ALLOWED_BODIES[o.kind]
        ],
        batch_size=5000,
    )
    body_of = {(body.organization_id, body.kind): body for body in bodies}

    # People: a Bí thư (BCH, BTV, Thường trực where they exist), cấp ủy viên, an ủy viên BTV, office staff.
    password = make_password(PASSWORD)
    users, positions = [], []
    executive_members: dict[int, list] = {}

    def person(username, last, first):
        user = User(username=username, password=password, last_name=last, first_name=first,
                    email=f"{username}@example.vn")  # fmt: skip
        users.append(user)
        return user

    def hold(user, organization, kind, role):
        positions.append((user, body_of[(organization.pk, kind)], term_of[organization.pk], role))

    family = ["Nguyễn Văn", "Trần Thị", "Lê Hoàng", "Phạm Minh", "Huỳnh Thị", "Võ Văn", "Đặng Thị", "Bùi Quốc"]
    given = ["An", "Bình", "Cường", "Dung", "Em", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nam", "Oanh", "Phúc"]
    for organization in organizations:
        allowed = ALLOWED_BODIES[organization.kind]
        secretary = person(f"bt{organization.pk}", rng.choice(family), rng.choice(given))
        for kind in ("executive", "standing", "standing_office"):
            if kind in allowed:
                hold(secretary, organization, kind, "secretary")
        executive_members[organization.pk] = [secretary]
        members = 1 if organization.kind in ("cell", "grassroots_cell", "sub_committee") else 2
        for number in range(members - (1 if rng.random() < 0.5 else 0)):
            member = person(f"uv{organization.pk}_{number}", rng.choice(family), rng.choice(given))
            hold(member, organization, "executive", "committee_member")
            executive_members[organization.pk].append(member)
        if "office" in allowed:
            hold(person(f"vp{organization.pk}", rng.choice(family), rng.choice(given)), organization, "office",
                 "office_staff")  # fmt: skip
        if "standing" in allowed and organization.depth <= 2:
            hold(person(f"tv{organization.pk}", rng.choice(family), rng.choice(given)), organization, "standing",
                 "standing_member")  # fmt: skip
    office_khoi = person("vanphong.khoi", "Trần Thị", "Thu")
    hold(office_khoi, bloc, "office", "office_staff")
    btv_city = person("btv.thanhuy", "Lê Văn", "Tâm")
    hold(btv_city, city, "standing", "standing_member")
    bch_khoi = person("bch.khoi", "Phạm Văn", "Hùng")
    hold(bch_khoi, bloc, "executive", "committee_member")
    executive_members[bloc.pk].append(bch_khoi)
    filler = 20_000 - len(users) - 1
    for number in range(filler):  # party members without a seat in any body: they read only what they are sent
        person(f"dv{number:05d}", rng.choice(family), rng.choice(given))
    User.objects.bulk_create(users, batch_size=2000)
    admin = User.objects.create_superuser("admin", password=PASSWORD)
    Position.objects.bulk_create(
        [Position(user=u, body=b, term=t, role=r, start=TERM_START) for u, b, t, r in positions], batch_size=5000
    )
    print(f"  {len(organizations)} organizations, {len(users) + 1} users, {len(positions)} positions "
          f"({time.perf_counter() - started:.0f} s)", flush=True)  # fmt: skip

    # Regulations: a QCLV for every organization, a second text (UBKT's QCLV or another) for each.
    filler_text = "Điều {n}. Trách nhiệm của tập thể và cá nhân\n" + "Nội dung quy định chi tiết. " * 40
    source = "\n".join(filler_text.format(n=n) for n in range(1, 31))  # about 30 KB, as an imported QCLV
    regulations, versions = [], []
    for organization in organizations:
        second = RegulationKind.INSPECTION_RULES if "inspection" in ALLOWED_BODIES[organization.kind] else (
            RegulationKind.OTHER)  # fmt: skip
        for number, kind in ((1, RegulationKind.COMMITTEE_RULES), (2, second)):
            title = f"Quy chế làm việc {'' if number == 1 else '(2) '}của {organization.name}"
            regulations.append(Regulation(organization=organization, kind=kind, title=title, title_folded=fold(title),
                                          term=term_of[organization.pk], created_by=admin))  # fmt: skip
            issued = TERM_START + datetime.timedelta(days=rng.randint(30, 400))
            versions.append(Version(
                status=VersionStatus.IN_FORCE, number=f"{number:02d}-QC/{organization.symbol}", issued=issued,
                issued_year=issued.year, effective=issued, issuing_organization=organization, kind=kind,
                term=term_of[organization.pk], title=title, created_by=admin,
            ))  # fmt: skip
    regulations = regulations[:19_826]
    versions = versions[: len(regulations)]
    Regulation.objects.bulk_create(regulations, batch_size=2000)
    for regulation, version in zip(regulations, versions, strict=True):
        version.regulation = regulation
    Version.objects.bulk_create(versions, batch_size=2000)
    for regulation, version in zip(regulations, versions, strict=True):
        regulation.current_version = version
    Regulation.objects.bulk_update(regulations, ["current_version"], batch_size=2000)

    # Amendments: a thousand under the Khối, the rest elsewhere, at every stage and status.
    stages: dict[str, list] = {}
    for stage in Stage.objects.order_by("organization_kind", "order"):
        stages.setdefault(stage.organization_kind, []).append(stage)
    in_bloc = [r for r in regulations if r.organization.path.startswith(bloc.path) and r.organization_id != bloc.pk]
    elsewhere = [r for r in regulations if not r.organization.path.startswith(bloc.path)]
    bloc_own = [r for r in regulations if r.organization_id == bloc.pk]
    chosen = bloc_own + rng.sample(in_bloc, 1_000) + rng.sample(elsewhere, 2_005 - 1_000 - len(bloc_own))
    statuses = [AmendmentStatus.IN_PROGRESS] * 12 + [AmendmentStatus.ADOPTED] * 2 + [AmendmentStatus.ISSUED] * 4 + [
        AmendmentStatus.REJECTED, AmendmentStatus.WITHDRAWN]  # fmt: skip
    dossier = "<p>" + "Nội dung hồ sơ sửa đổi, bổ sung quy chế làm việc. " * 60 + "</p>"
    drafts, amendments = [], []
    for index, regulation in enumerate(chosen):
        organization = regulation.organization
        status = statuses[index % len(statuses)] if index else AmendmentStatus.IN_PROGRESS
        process = stages[organization.kind]
        stage = rng.choice(process) if status == AmendmentStatus.IN_PROGRESS else process[-1]
        drafts.append(
            Version(
                regulation=regulation,
                issuing_organization=organization,
                kind=regulation.kind,
                term=regulation.term,
                title=regulation.title,
                source_text=source,
                created_by=admin,
            )
        )
        created = now - datetime.timedelta(days=rng.randint(1, 500), minutes=index)
        amendments.append(Amendment(
            regulation=regulation, base_version=regulation.current_version,
            title=f"Sửa đổi, bổ sung {regulation.title}",
            stage=stage, status=status, stage_entered_at=created + datetime.timedelta(days=rng.randint(0, 30)),
            reason=dossier, strengths=dossier, shortcomings=dossier, lessons=dossier, superior_documents=dossier,
            matters_arising=dossier, submission=dossier, created_by=admin,
            closed_at=None if status in OPEN_STATUSES else now,
        ))  # fmt: skip
    # Closed amendments no longer hold their base version (one open amendment per text).
    Version.objects.bulk_create(drafts, batch_size=500)
    Version.objects.filter(pk__in=[v.regulation.current_version_id for v in drafts]).update(source_text=source)
    for amendment, draft in zip(amendments, drafts, strict=True):
        amendment.draft = draft
    Amendment.objects.bulk_create(amendments, batch_size=500)
    for amendment in amendments:  # auto_now_add: spread the creation dates
        amendment_created = amendment.stage_entered_at - datetime.timedelta(days=rng.randint(0, 30))
        amendment.created_at = amendment_created
    Amendment.objects.bulk_update(amendments, ["created_at"], batch_size=1000)

    # Working groups (the office chairs; a member from another organization, granted the dossier),
    # consultation requests to the organizations below and to BCH members.
    offices = {body.organization_id: None for body in bodies if body.kind == "office"}
    office_users = {}
    for user, body, _term, role in positions:
        if role == "office_staff" and body.organization_id in offices:
            office_users.setdefault(body.organization_id, user)
    office_users[bloc.pk] = office_khoi
    children: dict[int, list] = {}
    for organization in organizations:
        if organization.parent_id:
            children.setdefault(organization.parent_id, []).append(organization)
    from django.contrib.auth.models import Permission

    view_amendment = Permission.objects.get(codename="view_amendment", content_type__app_label="reviews")
    seats, grants, requests = [], [], []
    for amendment in amendments:
        organization = amendment.regulation.organization
        chair = office_users.get(organization.pk) or executive_members[organization.pk][0]
        open_ = amendment.status in OPEN_STATUSES
        removed = None if open_ else amendment.closed_at
        seats.append(WorkingGroupMember(amendment=amendment, user=chair, role=WorkingGroupRole.CHAIR,
                                        removed_at=removed))  # fmt: skip
        guest = rng.choice(users)
        if guest.pk != chair.pk:
            seats.append(WorkingGroupMember(amendment=amendment, user=guest, role=WorkingGroupRole.MEMBER,
                                            affiliation="Văn phòng UBND", removed_at=removed))  # fmt: skip
            grants.append(
                AmendmentUserObjectPermission(permission=view_amendment, user=guest, content_object=amendment)
            )
        stage = amendment.stage
        process = stages[organization.kind]
        consultation = next((s for s in process if s.kind == "consultation"), None)
        before = amendment.status == AmendmentStatus.IN_PROGRESS and stage.order < (consultation or stage).order
        if consultation is None or before:
            continue
        asked = amendment.status != AmendmentStatus.IN_PROGRESS or stage.order > consultation.order
        below = children.get(organization.pk, [])
        due = timezone.localdate(amendment.stage_entered_at) + datetime.timedelta(days=10)
        for child in rng.sample(below, min(len(below), rng.randint(3, 8))):
            answered = now if asked or rng.random() < 0.3 else None
            requests.append(ConsultationRequest(amendment=amendment, organization=child, due=due, created_by=chair,
                                                answered_at=answered))  # fmt: skip
        for member in executive_members[organization.pk][1:]:
            answered = now if asked or rng.random() < 0.3 else None
            requests.append(ConsultationRequest(amendment=amendment, user=member, due=due, created_by=chair,
                                                answered_at=answered))  # fmt: skip
    WorkingGroupMember.objects.bulk_create(seats, batch_size=2000)
    AmendmentUserObjectPermission.objects.bulk_create(grants, batch_size=2000)
    ConsultationRequest.objects.bulk_create(requests, batch_size=2000)

    # Notifications: 60,000, two hundred for each persona, a third of all unread.
    reasons = list(NotificationReason.values)
    recipients = [u for u in users if not u.username.startswith("dv")]
    notifications = []
    for number in range(60_000):
        recipient = (office_khoi, btv_city, bch_khoi, admin)[number % 4] if number < 800 else rng.choice(recipients)
        notifications.append(Notification(
            recipient=recipient, reason=rng.choice(reasons), subject=f"regulation:{number}", period="2026-01",
            title=f"Nhắc việc số {number}: quy chế cần rà soát", body="Quy chế làm việc đã đến hạn rà soát. " * 8,
            url="/", read_at=None if rng.random() < 0.33 else now, email_status="sent",
        ))  # fmt: skip
    Notification.objects.bulk_create(notifications, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would have by now
    print(f"  {len(regulations)} regulations, {len(amendments)} amendments, {len(requests)} consultation requests, "
          f"{len(seats)} working-group seats, {len(notifications)} notifications "
          f"({time.perf_counter() - started:.0f} s)", flush=True)  # fmt: skip


# Measuring --------------------------------------------------------------------------------------


def pages(bloc) -> list[tuple[str, str]]:
    from django.urls import reverse

    return [
        ("amendment list", reverse("reviews:list")),
        ("API amendments", "/api/amendments/"),
        ("việc cần làm", reverse("reviews:todo")),
        ("notifications", reverse("notifications:list")),
        ("regulation list (Khối)", reverse("regulations:list", args=[bloc.pk])),
    ]


def measure(client, url: str, runs: int) -> tuple[float, list]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as context:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), context.captured_queries


def explain(sql: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        for (line,) in cursor.fetchall():
            print("     ", line)


def run(arguments) -> None:
    from django.db import connection
    from django.test import Client

    from organizations.models import Organization, User

    bloc = Organization.objects.get(code="DUK")
    print(f"{connection.vendor} {connection.settings_dict['NAME']}: {Organization.objects.count()} organizations")
    print(f"\n{'page':<26} {'persona':<15} {'ms':>7} {'queries':>8} {'slowest query':>14}")
    plans = []
    for title, url in pages(bloc):
        for username in PERSONAS:
            client = Client()
            client.force_login(User.objects.get(username=username))
            ms, queries = measure(client, url, arguments.runs)
            slowest = max(queries, key=lambda query: float(query["time"])) if queries else {"time": 0, "sql": ""}
            print(f"{title:<26} {username:<15} {ms:>7.1f} {len(queries):>8} {float(slowest['time']) * 1000:>14.1f}",
                  flush=True)  # fmt: skip
            if arguments.explain and username == "vanphong.khoi":
                plans.append((title, sorted(queries, key=lambda query: -float(query["time"]))[:2]))
    for title, queries in plans:
        for query in queries:
            print(f"\n{title}: {float(query['time']) * 1000:.1f} ms\n   {query['sql'][:400]}")
            explain(query["sql"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--rebuild", action="store_true", help="drop the database and build the province afresh")
    parser.add_argument("--runs", type=int, default=9, help="requests per page and persona (the median is shown)")
    parser.add_argument("--explain", action="store_true", help="plans of the slowest queries, for the Khối's office")
    arguments = parser.parse_args()
    if arguments.rebuild:
        recreate(arguments.database_url)
    setup(arguments.database_url)
    from django.core.management import call_command

    from organizations.models import Organization

    call_command("migrate", verbosity=0)
    if not Organization.objects.exists():
        print("Building the province…", flush=True)
        build(random.Random(SEED))
    run(arguments)


if __name__ == "__main__":
    main()
