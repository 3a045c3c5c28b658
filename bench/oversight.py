"""How the oversight dashboard holds up over a Đảng ủy Khối of about 5,000 organizations (and a city of 10,000).

    .venv/bin/python bench/oversight.py [--database-url URL] [--keep | --reuse] [--explain] [--districts N]

Without --database-url, Django runs on a throwaway SQLite file under /tmp. With a PostgreSQL URL
(postgres://postgres@127.0.0.1:5432/quyche_bench) that database is dropped and created afresh,
and dropped again at the end unless --keep is given; --reuse measures again on the database kept.

The subtree: a city > a bloc with 5,000 organizations below it, shaped as demo/province.py shapes the
bloc of a province (đảng bộ cơ sở with their đảng bộ bộ phận and chi bộ trực thuộc, chi bộ cơ sở), each
with a current term and its default bodies; with --districts N, N district committees beside the
bloc share as many organizations again, of the same shape. About 60% of the grassroots ones have a
QCLV in force (some overdue for review, half of them adapted from the bloc's model with a copy of a
real text so that the conformance column has work to do), half the đảng bộ cơ sở a QCLV of their
UBKT, and a few an amendment under way. Two texts go through `regulation_import` (the model and one
adapted QCLV); every other regulation, version and text is a bulk copy of the adapted one, and the
conformance of every adaptation is then computed and kept at once, as a new version of the model
would have it (timed).

Then, for an auditor (ủy viên BTV of the city), each of: the summary over the subtree, the first
page of rows decorated, the dashboard page, the page filtered on overdue reviews, the CSV and
Excel exports of every row, the API's first page; alone, the conformance figures of 50 adapted
QCLVs (what a text change costs each); with districts, the city's page and CSV export. One
warm-up, then the median of five; the query count is the last run's, "slowest" the longest single
query of it (milliseconds). Then the peak Python memory of each export. --explain prints the plans
of the slowest queries of the two pages and of the CSV export.
"""

import argparse
import csv
import datetime
import io
import random
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

import common

ROOT = Path(__file__).resolve().parents[1]
SEED = 2026
TOTAL = 5_000
ADOPTED = 0.6  # share of grassroots organizations with a QCLV in force
TERM_START = datetime.date(2025, 6, 15)  # the grassroots' term (demo/province.py)

setup = common.setup  # this folder stays on the path, after the project: pdf_render


postgres = common.postgres


# Building the subtree ---------------------------------------------------------------------------


def build(rng: random.Random, *, districts: int):
    """The city, the bloc with its subtree (demo/province.py's shape), and `districts` districts beside it
    sharing as many organizations again, each organization with a term; returns (city, bloc, grassroots)."""
    from demo.province import CELL_UNITS, DEPARTMENTS, LOCAL_UNITS, PLACES, grassroots, grow, names
    from organizations.models import Organization, OrganizationKind
    from organizations.services import organization_create, term_create

    K = OrganizationKind
    city = organization_create(name="Thành ủy Cần Thơ", kind=K.PROVINCIAL, code="TUCT")
    bloc = organization_create(name="Đảng ủy Khối các cơ quan thành phố", kind=K.BLOC, code="DUK", parent=city)
    branches = [bloc]
    for number, place in enumerate(PLACES[:districts], start=1):
        name = f"Quận ủy {place}" if number <= 5 else f"Huyện ủy {place}"
        branches.append(organization_create(name=name, kind=K.DISTRICT, code=f"HU{number:02d}", parent=city))
    for organization in (city, *branches):
        term_create(organization=organization, name="Nhiệm kỳ 2025 - 2030", start=datetime.date(2025, 1, 1), end=None)
    for branch in branches:
        size = TOTAL if branch == bloc else TOTAL // districts
        specs = grassroots(
            rng, size, committee_names=names(DEPARTMENTS + LOCAL_UNITS, PLACES), cell_names=names(CELL_UNITS, PLACES)
        )
        grow(branch, specs)
    below = Organization.objects.below(city).exclude(pk__in=[branch.pk for branch in branches])
    grassroots_ = [
        organization for organization in below if organization.kind in (K.GRASSROOTS_COMMITTEE, K.GRASSROOTS_CELL)
    ]
    return city, bloc, grassroots_


def adapted_text() -> str:
    """The model with a grassroots letterhead, a later date, one article reworded and two added."""
    return (
        synthetic(32)
        .replace("Số: 32-QC/ĐUK", "Số: 01-QC/ĐU")
        .replace("ngày 9 tháng 5 năm 2025", "ngày 15 tháng 7 năm 2025")
        .replace("Ban Chấp hành Đảng bộ Khối", "Ban Chấp hành Đảng bộ")
        .replace("(nhóm 7)", "(nhóm 7, sửa đổi theo đặc thù đơn vị)")
    )


def synthetic(articles: int) -> str:
    from pdf_render import synthetic as text

    return text(articles)


def regulations(rng: random.Random, bloc, grassroots, admin) -> dict:
    """QCLVs for about 60% of the grassroots organizations, UBKT QCLVs for half the đảng bộ cơ sở."""
    from organizations.models import OrganizationKind, Term
    from regulations.conformance import conformance_store
    from regulations.models import Provision, Regulation, RegulationKind, Version, VersionStatus
    from regulations.services import add_months, regulation_import, regulation_link_model
    from reviews.services import amendment_start

    model = regulation_import(text=synthetic(30), user=admin, organization=bloc, kind=RegulationKind.MODEL).version
    with_rules = rng.sample(grassroots, round(len(grassroots) * ADOPTED))
    first, others = with_rules[0], with_rules[1:]
    real = regulation_import(
        text=adapted_text(), user=admin, organization=first, kind=RegulationKind.COMMITTEE_RULES
    ).version
    regulation_link_model(regulation=real.regulation, model=model.regulation, user=None)
    terms = {term.organization_id: term for term in Term.objects.filter(organization__in=grassroots)}
    copied = [
        "superior_body", "issuing_body", "place", "kind_line", "title", "legal_bases", "enacting", "signer_authority",
        "signer_position", "signer_name", "recipients", "source_text",
    ]  # fmt: skip
    today = datetime.date.today()

    def rows(organizations, kind, number, adapted_share):
        regs, versions = [], []
        for organization in organizations:
            issued = TERM_START + datetime.timedelta(days=rng.randint(30, (today - TERM_START).days - 20))
            reviewed = issued + datetime.timedelta(days=rng.randint(60, 200)) if rng.random() < 0.4 else None
            reviewed = reviewed if reviewed and reviewed < today else None
            regs.append(
                Regulation(
                    organization=organization,
                    kind=kind,
                    title=real.regulation.title,
                    title_folded=real.regulation.title_folded,
                    term=terms[organization.pk],
                    based_on=model.regulation if rng.random() < adapted_share else None,
                    last_reviewed_on=reviewed,
                    next_review_on=add_months(max(filter(None, (issued, reviewed))), 6),
                    created_by=admin,
                )
            )
            versions.append(
                Version(
                    status=VersionStatus.IN_FORCE,
                    number=number,
                    issued=issued,
                    issued_year=issued.year,  # bulk_create does not call save(), which keeps it
                    effective=issued,
                    issuing_organization=organization,
                    kind=kind,
                    term=terms[organization.pk],
                    created_by=admin,
                    **{field: getattr(real, field) for field in copied},
                )
            )
        Regulation.objects.bulk_create(regs, batch_size=500)
        for regulation, version in zip(regs, versions, strict=True):
            version.regulation = regulation
        Version.objects.bulk_create(versions, batch_size=500)
        for regulation, version in zip(regs, versions, strict=True):
            regulation.current_version = version
        Regulation.objects.bulk_update(regs, ["current_version"], batch_size=500)
        cited = list(real.cited_documents.values_list("pk", flat=True))
        through = Version.cited_documents.through
        through.objects.bulk_create(
            [
                through(version_id=version.pk, superiordocument_id=document)
                for version in versions
                for document in cited
            ],
            batch_size=1000,
        )
        return regs

    committee_rules = rows(others, RegulationKind.COMMITTEE_RULES, "01-QC/ĐU", adapted_share=0.5)
    committees = [
        organization for organization in grassroots if organization.kind == OrganizationKind.GRASSROOTS_COMMITTEE
    ]
    inspection_rules = rows(
        rng.sample(committees, len(committees) // 2), RegulationKind.INSPECTION_RULES, "02-QC/UBKT", adapted_share=0
    )
    adapted = [regulation for regulation in committee_rules if regulation.based_on_id]
    provisions = copy_provisions(real, [regulation.current_version for regulation in adapted])
    # What a new version of the model costs: every adaptation's figure computed again and kept.
    start = time.perf_counter()
    conformance_store(Regulation.objects.filter(based_on=model.regulation))
    stored = time.perf_counter() - start
    amending = rng.sample(committee_rules, 25)
    for regulation in amending:
        amendment_start(regulation=regulation, user=admin, reason="Rà soát định kỳ")
    return {
        "QCLV in force": len(committee_rules) + 1,
        "  adapted from the model (with text)": len(adapted) + 1,
        "QCLV of UBKT": len(inspection_rules),
        "open amendments": len(amending),
        "provisions copied": provisions,
        "provisions per text": Provision.objects.filter(version=real).count(),
        "conformance of every adaptation computed and kept (s)": round(stored, 1),
    }


def copy_provisions(source, versions) -> int:
    """Give each version a copy of the source's text, level by level (the dashboard's conformance reads it)."""
    from regulations.models import Provision, ProvisionKind

    nodes = list(Provision.objects.filter(version=source).order_by("depth", "position"))
    copies = {version.pk: {} for version in versions}  # version -> source provision pk -> its copy
    created = 0
    for depth in sorted({node.depth for node in nodes}):
        level = [node for node in nodes if node.depth == depth]
        rows = []
        for version in versions:
            mine = copies[version.pk]
            for node in level:
                row = Provision(
                    version=version, parent=mine.get(node.parent_id), kind=node.kind, label=node.label,
                    heading=node.heading, text=node.text, text_folded=node.text_folded, position=node.position,
                    depth=node.depth, open_content=node.open_content,
                    article=mine.get(node.article_id) if node.kind != ProvisionKind.ARTICLE else None,
                )  # fmt: skip
                mine[node.pk] = row
                rows.append(row)
        Provision.objects.bulk_create(rows, batch_size=1000)
        articles = [row for row in rows if row.kind == ProvisionKind.ARTICLE]
        for row in articles:
            row.article = row
        Provision.objects.bulk_update(articles, ["article"], batch_size=1000)
        created += len(rows)
    return created


def auditor(city):
    """An ủy viên BTV of the city: audits everything under it."""
    from organizations.models import Body, BodyKind, Role, Term, User
    from organizations.services import position_create

    user = User.objects.create_user("uvbtv", password="mat-khau", last_name="Trần Thị", first_name="Mai")
    body = Body.objects.get(organization=city, kind=BodyKind.STANDING)
    position_create(user=user, body=body, term=Term.objects.get(organization=city), role=Role.STANDING_MEMBER)
    return user


# Measuring --------------------------------------------------------------------------------------


def measure(what: str, function) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function()  # warm-up
    times = []
    for _ in range(5):
        connection.queries_log.clear()  # a full log (9,000 queries under DEBUG) would capture nothing
        with CaptureQueriesContext(connection) as context:
            start = time.perf_counter()
            rows = function()
            times.append((time.perf_counter() - start) * 1000)
    queries = context.captured_queries
    slowest = max(queries, key=lambda query: float(query["time"])) if queries else {"time": 0, "sql": ""}
    result = {
        "what": what,
        "rows": rows,
        "queries": len(queries),
        "ms": statistics.median(times),
        "slowest": float(slowest["time"]) * 1000,
        "sql": slowest["sql"],
    }
    print(f"{what:<44} {rows:>7} {len(queries):>7} {result['ms']:>9.1f} {result['slowest']:>9.1f}", flush=True)
    return result


def explain(sql: str) -> None:
    from django.db import connection

    prefix = "EXPLAIN (ANALYZE, BUFFERS)" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    with connection.cursor() as cursor:
        cursor.execute(f"{prefix} {sql}")
        for line in cursor.fetchall():
            print("   ", " | ".join(str(part) for part in line))


def table_rows(html: str) -> int:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.count("<tr class=")


def run(arguments) -> None:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from organizations.models import Organization, User
    from oversight import selectors as oversight
    from oversight.filters import OversightFilter
    from regulations.conformance import conformance_figures
    from regulations.models import Regulation, RegulationKind

    if arguments.reuse:
        city, bloc = Organization.objects.get(code="TUCT"), Organization.objects.get(code="DUK")
        user = User.objects.get(username="uvbtv")
    else:
        rng = random.Random(SEED)
        start = time.perf_counter()
        admin = User.objects.create_superuser("quantri", password="mat-khau")
        city, bloc, grassroots = build(rng, districts=arguments.districts)
        built = time.perf_counter() - start
        counts = regulations(rng, bloc, grassroots, admin)
        user = auditor(city)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as autovacuum would have by now: the planner needs the tables' sizes
        print(f"built in {built:.0f} s, regulations in {time.perf_counter() - start - built:.0f} s")
        for name, value in counts.items():
            print(f"  {name}: {value}")
    total = Organization.objects.below(bloc).count()
    city_total = Organization.objects.below(city).count()
    print(f"{connection.vendor}: {total} organizations under the bloc, {city_total} under the city")

    today = oversight.today()
    client = Client()
    client.force_login(user)
    page = reverse("oversight:dashboard", args=[bloc.pk])
    city_page = reverse("oversight:dashboard", args=[city.pk])
    csv_url = reverse("oversight:export", args=[bloc.pk, "csv"])
    xlsx_url = reverse("oversight:export", args=[bloc.pk, "xlsx"])
    api_url = f"/api/organizations/{bloc.pk}/oversight/"
    adapted = list(Regulation.objects.filter(based_on__isnull=False, kind=RegulationKind.COMMITTEE_RULES))
    overdue = OversightFilter({"status": "overdue"}, organization=bloc, today=today).qs.count()
    print(f"  overdue for review: {overdue}\n")

    def get(url, **params):
        response = client.get(url, params)
        assert response.status_code == 200, (url, response.status_code)
        return response

    def exported(url):
        response = get(url)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        return len(list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))) - 1

    print(f"{'what':<44} {'rows':>7} {'queries':>7} {'ms':>9} {'slowest':>9}")

    def whole():
        return oversight.annotated(bloc, today)

    results = [
        measure("(a) summary(annotated(bloc))", lambda: oversight.summary(whole(), bloc, today).total),
        measure("(b) decorate(annotated(bloc)[:50])", lambda: len(oversight.decorate(whole()[:50], today))),
        measure("(c) dashboard page", lambda: table_rows(get(page).content.decode())),
        measure("(d) dashboard page, status=overdue", lambda: table_rows(get(page, status="overdue").content.decode())),
        measure("(e) CSV export, all rows", lambda: exported(csv_url)),
        measure("(f) Excel export, all rows", lambda: len(get(xlsx_url).content) and total),
        measure("(g) conformance of 50 adapted QCLVs", lambda: len(conformance_figures(adapted[:50]))),
        measure("(h) API, first page", lambda: len(get(api_url).json()["results"])),
    ]
    if city_total > total + 1:
        results += [
            measure("(i) dashboard page of the city", lambda: table_rows(get(city_page).content.decode())),
            measure(
                "(j) CSV export of the city",
                lambda: exported(reverse("oversight:export", args=[city.pk, "csv"])),
            ),
        ]
    print()
    peak("(e) CSV export, all rows", lambda: exported(csv_url))
    peak("(f) Excel export, all rows", lambda: len(get(xlsx_url).content))
    if arguments.explain:
        for result in results[2:5]:
            print(f"\nSlowest query of {result['what']} ({result['slowest']:.1f} ms):\n    {result['sql'][:300]}…")
            explain(result["sql"])


def peak(what: str, function) -> None:
    """The most memory Python held at once while `function` ran (tracemalloc: slower, so not timed)."""
    tracemalloc.start()
    try:
        function()
        _, most = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    print(f"{what:<44} peak Python memory {most / 2**20:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a throwaway SQLite file under /tmp")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    parser.add_argument("--explain", action="store_true", help="print the plan of the page's slowest query")
    parser.add_argument(
        "--districts",
        type=int,
        default=0,
        help="districts beside the bloc, about 5,000 organizations shared among them (10: a city of 10,000)",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="measure again on the PostgreSQL database an earlier --keep left"
    )
    arguments = parser.parse_args()
    if arguments.reuse:
        setup(arguments.database_url)
        run(arguments)
        return
    if arguments.database_url:
        postgres(arguments.database_url, "create")
        try:
            setup(arguments.database_url)
            run(arguments)
        finally:
            from django.db import connections

            connections.close_all()
            if not arguments.keep:
                postgres(arguments.database_url, "drop")
        return
    with tempfile.TemporaryDirectory(prefix="quyche-bench-") as directory:
        setup(f"sqlite:///{directory}/bench.sqlite3")
        run(arguments)


if __name__ == "__main__":
    main()
