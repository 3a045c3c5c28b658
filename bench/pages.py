"""How the pages that show long lists and long texts hold up at province scale, one request at a time.

    .venv/bin/python bench/pages.py [--database-url URL] [--reuse] [--keep] [--explain]

The database (default postgres://postgres@127.0.0.1:5432/quyche_pages_bench) is dropped and built
afresh, unless --reuse is given and it already holds the data (then only migrations run): a city with
a Đảng ủy Khối of 800 organizations directly under it (400 đảng bộ cơ sở of ten chi bộ each, 400 chi
bộ cơ sở) and ten huyện ủy of 50 đảng bộ cơ sở with nine chi bộ each, about 9,800 organizations in
all, bulk-created; a 300-article regulation of the Khối imported through `regulation_import`, copied
into a draft, five articles edited, issued as a second version, and one article of it corrected; and,
as ballast so that lookups meet tables of a province's size, copies of that text (with history rows)
under other versions, 500,000 provisions by default (--ballast).

Then, for the city's ủy viên BTV (who reads everything): each page one warm-up, then five single
requests through Django's test client: the median and the best time (ms), the median CPU time of this
process (the Python side: views and templates, which a busy machine inflates less than wall time),
the query count, the slowest query (ms) and the page's size; then the version page again with the cache
emptied before each request (as its first reader, or the reader of a draft, gets it). --explain
prints the plan of each page's slowest query. The database is kept (for --reuse) unless --drop.
"""

import argparse
import datetime
import statistics
import time
from pathlib import Path

import common

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/quyche_pages_bench"
CHILDREN = 800  # directly under the Khối
DISTRICTS, DISTRICT_COMMITTEES, CELLS = 10, 50, 9
ARTICLES = 300


setup = common.setup  # this folder stays on the path, after the project: pdf_render


postgres = common.postgres


# Building --------------------------------------------------------------------------------------


def bulk_children(parent, specs) -> list:
    """Create organizations under `parent` in one insert: specs are (name, kind, code)."""
    from organizations.models import DEFAULT_SYMBOL, Organization
    from quyche.text import fold

    rows = [
        Organization(
            name=name,
            name_folded=fold(name),
            kind=kind,
            code=code,
            symbol=DEFAULT_SYMBOL[kind],
            parent=parent,
            path=Organization._get_path(parent.path, parent.depth + 1, number),
            depth=parent.depth + 1,
            numchild=0,
        )  # fmt: skip
        for number, (name, kind, code) in enumerate(specs, start=1)
    ]
    Organization.objects.bulk_create(rows, batch_size=1000)
    Organization.objects.filter(pk=parent.pk).update(numchild=len(rows))
    return rows


def build_tree():
    from organizations.models import Organization, OrganizationKind, Term
    from organizations.services import organization_create, term_create

    K = OrganizationKind
    city = organization_create(name="Thành ủy Cần Thơ", kind=K.PROVINCIAL, code="TUCT")
    bloc = organization_create(name="Đảng ủy Khối các cơ quan thành phố", kind=K.BLOC, code="DUK", parent=city)
    for organization in (city, bloc):
        term_create(organization=organization, name="Nhiệm kỳ 2025 - 2030", start=datetime.date(2025, 1, 1), end=None)
    half = CHILDREN // 2
    children = bulk_children(
        bloc,
        [(f"Đảng bộ cơ quan số {n:03d}", K.GRASSROOTS_COMMITTEE, f"CS{n:03d}") for n in range(1, half + 1)]
        + [(f"Chi bộ cơ sở số {n:03d}", K.GRASSROOTS_CELL, f"CBCS{n:03d}") for n in range(1, half + 1)],
    )
    committees = [child for child in children if child.kind == K.GRASSROOTS_COMMITTEE]
    for committee in committees:
        bulk_children(committee, [(f"Chi bộ {n} {committee.name}", K.CELL, f"CB{n:02d}") for n in range(1, 11)])
    for d in range(1, DISTRICTS + 1):
        district = organization_create(name=f"Huyện ủy số {d:02d}", kind=K.DISTRICT, code=f"HU{d:02d}", parent=city)
        specs = [(f"Đảng bộ xã {n:02d} huyện {d:02d}", K.GRASSROOTS_COMMITTEE, f"X{n:02d}") for n in range(1, 51)]
        for committee in bulk_children(district, specs[:DISTRICT_COMMITTEES]):
            bulk_children(committee, [(f"Chi bộ ấp {n} {committee.name}", K.CELL, f"A{n:02d}") for n in range(1, 10)])
    city.refresh_from_db()
    Term.objects.bulk_create(
        Term(organization=organization, name="Nhiệm kỳ 2025 - 2030", start=datetime.date(2025, 1, 1))
        for organization in Organization.objects.below(bloc)[:CHILDREN]
    )
    return city, bloc


def auditor(city):
    """An ủy viên BTV of the city: reads everything under it."""
    from organizations.models import Body, BodyKind, Role, Term, User
    from organizations.services import position_create

    user = User.objects.create_user("uvbtv", password="mat-khau", last_name="Trần Thị", first_name="Mai")
    body = Body.objects.get(organization=city, kind=BodyKind.STANDING)
    position_create(user=user, body=body, term=Term.objects.get(organization=city), role=Role.STANDING_MEMBER)
    return user


def build_regulation(bloc, admin):
    """The 300-article QCLV: imported, copied into a draft, five articles edited, issued, one article corrected."""
    from django.db import transaction
    from pdf_render import synthetic

    from regulations import editing, services
    from regulations.models import Provision, ProvisionKind, RegulationKind

    first = services.regulation_import(
        text=synthetic(ARTICLES), user=admin, organization=bloc, kind=RegulationKind.COMMITTEE_RULES
    ).version
    draft = services.version_copy_as_draft(version=first, user=admin)
    for label in ("3", "50", "150", "250", str(ARTICLES)):
        article = Provision.objects.get(version=draft, kind=ProvisionKind.ARTICLE, label=label)
        body = editing.article_body(article=article)
        editing.article_update(
            article=article, user=admin, heading=article.heading, body=body + "\n4. Nội dung bổ sung theo rà soát.",
            reason="Bổ sung theo kết quả rà soát", expected_revision=article.revision,
        )  # fmt: skip
    with transaction.atomic():  # the callers (reviews' issuance) hold a transaction
        second = services.version_issue(
            version=draft, issued=datetime.date(2025, 9, 1),
            signer_authority="T/M BAN CHẤP HÀNH", signer_position="BÍ THƯ", signer_name="Nguyễn Văn Long",
        )  # fmt: skip
    article = Provision.objects.get(version=second, kind=ProvisionKind.ARTICLE, label="10")
    editing.version_correct(
        version=second, user=admin, key=article.key, heading=article.heading + " (đính chính)",
        body=editing.article_body(article=article), reason="Sai sót khi đánh máy tiêu đề",
    )  # fmt: skip
    return second


def ballast(source, provisions: int) -> int:
    """Copies of the source text under other versions of one regulation, with their history, in SQL."""
    from django.db import connection

    from regulations.models import Provision, Regulation, Version, VersionStatus

    size = Provision.objects.filter(version=source).count()
    copies = max(provisions // size, 0)
    # Under another regulation: the measured one keeps its two versions.
    other = Regulation.objects.create(
        organization=source.issuing_organization, kind=source.kind, title="Quy chế làm việc (bản nháp thử tải)"
    )
    fields = ["issuing_organization_id", "kind", *Version.DOCUMENT_FIELDS]
    versions = Version.objects.bulk_create(
        Version(regulation=other, status=VersionStatus.DRAFT, **{name: getattr(source, name) for name in fields})
        for _ in range(copies)
    )
    columns = "key, kind, label, heading, text, text_folded, position, depth, revision, open_content"
    history = "key, kind, label, heading, text, position, depth, revision, open_content"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO regulations_provision (version_id, {columns})
                SELECT v.id, {", ".join(f"p.{c.strip()}" for c in columns.split(","))}
                FROM regulations_provision p CROSS JOIN regulations_version v
                WHERE p.version_id = %s AND v.id = ANY(%s)""",
            [source.pk, [version.pk for version in versions]],
        )
        cursor.execute(
            f"""INSERT INTO regulations_historicalprovision
                  (id, version_id, parent_id, article_id, {history}, history_date, history_type,
                   history_change_reason)
                SELECT p.id, p.version_id, NULL, NULL, {", ".join(f"p.{c.strip()}" for c in history.split(","))},
                       now(), '+', 'Nhập văn bản'
                FROM regulations_provision p WHERE p.version_id = ANY(%s)""",
            [[version.pk for version in versions]],
        )
    return copies * size


def build(arguments):
    from django.db import connection

    from organizations.models import User

    start = time.perf_counter()
    admin = User.objects.create_superuser("quantri", password="mat-khau")
    city, bloc = build_tree()
    auditor(city)
    version = build_regulation(bloc, admin)
    added = ballast(version, arguments.ballast) if connection.vendor == "postgresql" else 0
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would have by now: the planner needs the tables' sizes
    print(f"built in {time.perf_counter() - start:.0f} s ({added} ballast provisions)")


# Measuring -------------------------------------------------------------------------------------


def measure(client, what: str, url: str, explain: bool, *, fresh: bool = False) -> dict:
    """With `fresh`, the cache is emptied before each request: the page as its first reader gets it."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up
    assert response.status_code == 200, (url, response.status_code)
    times, cpu = [], []
    for _ in range(5):
        if fresh:
            cache.clear()
        with CaptureQueriesContext(connection) as context:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
    queries = context.captured_queries
    slowest = max(queries, key=lambda query: float(query["time"]))
    ms = statistics.median(times)
    size = len(response.content) / 1024
    print(
        f"{what:<36} {ms:>7.1f} {min(times):>7.1f} {statistics.median(cpu):>7.1f} {len(queries):>7}"
        f" {float(slowest['time']) * 1000:>7.1f} {size:>6.0f}",
        flush=True,
    )
    if explain:
        print(f"    slowest: {slowest['sql'][:400]}")
        with connection.cursor() as cursor:
            prefix = "EXPLAIN (ANALYZE, BUFFERS)" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
            cursor.execute(f"{prefix} {slowest['sql']}")
            for line in cursor.fetchall():
                print("       ", " | ".join(str(part) for part in line))
    return {"what": what, "ms": ms, "queries": len(queries)}


def run(arguments) -> None:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from organizations.models import Organization, OrganizationKind, User
    from regulations.models import Provision, ProvisionKind, Version

    bloc = Organization.objects.get(kind=OrganizationKind.BLOC)
    version = Version.objects.filter(issuing_organization=bloc, number=f"{ARTICLES + 1}-QC/ĐUK").get()
    last = Provision.objects.get(version=version, kind=ProvisionKind.ARTICLE, label=str(ARTICLES))
    print(
        f"{connection.vendor}: {Organization.objects.count()} organizations, {bloc.numchild} under the Khối "
        f"({Organization.objects.below(bloc).count()} below it); {Provision.objects.count()} provisions, "
        f"{Provision.history.count()} history rows; the text: {version.provisions.count()} provisions"
    )
    client = Client()
    client.force_login(User.objects.get(username="uvbtv"))
    pages = [
        ("organization page of the Khối", reverse("organizations:detail", args=[bloc.pk])),
        ("tree node of the Khối", reverse("organizations:children", args=[bloc.pk])),
        ("tree root", reverse("organizations:tree")),
        (f"version page, {ARTICLES} articles", reverse("regulations:version", args=[version.pk])),
        (f"article history (Điều {ARTICLES})", reverse("regulations:article", args=[version.pk, last.key])),
        ("regulation page", reverse("regulations:detail", args=[version.regulation_id])),
    ]
    print(f"\n{'page':<36} {'ms':>7} {'best':>7} {'cpu':>7} {'queries':>7} {'slowest':>7} {'KB':>6}")
    for what, url in pages:
        measure(client, what, url, arguments.explain)
    measure(client, f"version page, {ARTICLES} articles, drawn", pages[3][1], arguments.explain, fresh=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--reuse", action="store_true", help="measure the data already in the database")
    parser.add_argument("--drop", action="store_true", help="drop the database afterwards")
    parser.add_argument("--explain", action="store_true", help="print the plan of each page's slowest query")
    parser.add_argument("--ballast", type=int, default=500_000, help="provisions copied under other versions")
    arguments = parser.parse_args()
    is_postgres = arguments.database_url.startswith("postgres")
    fresh = not (arguments.reuse and (not is_postgres or postgres(arguments.database_url, "exists")))
    if fresh and is_postgres:
        postgres(arguments.database_url, "create")
    try:
        setup(arguments.database_url)
        if fresh:
            build(arguments)
        run(arguments)
    finally:
        from django.db import connections

        connections.close_all()
        if arguments.drop and is_postgres:
            postgres(arguments.database_url, "drop")


if __name__ == "__main__":
    main()
