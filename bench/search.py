"""How search holds up over a province's texts: about 600,000 provisions in about 20,000 regulations.

    DEBUG=1 .venv/bin/python bench/search.py [--database-url URL] [--reuse] [--keep] [--explain]

The database defaults to PostgreSQL quyche_search (postgres://postgres@127.0.0.1:5432/quyche_search);
it is built afresh unless --reuse finds it built already (then only its migrations run, so the same
data measures the code before and after a change), and it is kept (--keep is implied by --reuse;
without either, it is dropped at the end). A sqlite:/// URL works too.

The data: a city with 20 districts of 10 grassroots organizations each; the real texts of demo/texts
and /work/shared/corpus go through `regulation_import` once each; then 20,000 regulations (a third
with a replaced older version, one in ten with a draft too) are bulk rows whose versions each copy a
run of 6-46 consecutive provisions of one of those texts (so every provision's words occur in
thousands of texts), the first of them ending with a sentence naming the organization (words that
occur in a few hundred texts), and one in a thousand with a reference number of its own (words that
occur in one text). The copies are made in SQL, parents and articles relinked by position.

Then, for an ủy viên BTV of the city (who reads everything) and a member of one grassroots
organization (who reads its texts only), the search page and the API for each query: a phrase with
and without diacritics, words frequent everywhere, a place name, a word in one text, words with no
hits, short words. One warm-up, then the median of five; the query count is the last run's,
"slowest" the longest single query of it (milliseconds). --explain prints the plan of the slowest
query of the slowest case.
"""

import argparse
import datetime
import logging
import random
import statistics
import time
from pathlib import Path
from urllib.parse import urlsplit

import common

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path("/work/shared/corpus")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/quyche_search"
SEED = 2026
REGULATIONS = 20_000
DISTRICTS = ["Ninh Kiều", "Bình Thủy", "Cái Răng", "Ô Môn", "Thốt Nốt", "Phong Điền", "Cờ Đỏ", "Vĩnh Thạnh",
             "Thới Lai", "Vị Thanh", "Ngã Bảy", "Long Mỹ", "Châu Thành", "Phụng Hiệp", "Sóc Trăng", "Mỹ Xuyên",
             "Ngã Năm", "Kế Sách", "Trần Đề", "Vĩnh Châu"]  # fmt: skip
UNITS = ["Trung tâm Y tế", "Trường Trung học phổ thông", "Chi cục Thuế", "Bảo hiểm xã hội", "Ban Quản lý dự án",
         "Trung tâm Dịch vụ việc làm", "Hội Nông dân", "Bệnh viện Đa khoa", "Trạm Khuyến nông", "Thư viện"]  # fmt: skip
KINDS = [("committee_rules", "Quy chế làm việc"), ("inspection_rules", "Quy chế làm việc của Ủy ban Kiểm tra"),
         ("coordination", "Quy chế phối hợp")]  # fmt: skip
# (label, query, who): who is "auditor" (reads everything) or "member" (reads one organization's texts).
QUERIES = [
    ("phrase, no diacritics", "phong chong tham nhung", "auditor"),
    ("phrase, diacritics", "phòng, chống tham nhũng", "auditor"),
    ("frequent words", "quy chế làm việc", "auditor"),
    ("frequent, no diacritics", "trach nhiem", "auditor"),
    ("place name (~5% of texts)", "Phong Điền", "auditor"),
    ("one text", "HS-001217", "auditor"),
    ("no hits, one word", "xylophone", "auditor"),
    ("no hits, three words", "tham nhung xylophone hoi nghi", "auditor"),
    ("short words", "uy ban", "auditor"),
    ("short word only", "ve", "auditor"),
    ("short word, no hits", "zq", "auditor"),
    ("member: frequent", "trach nhiem", "member"),
    ("member: no hits", "xylophone", "member"),
]


def setup(database_url: str) -> None:
    common.setup(database_url)
    logging.disable(logging.INFO)  # each login would print a line of django-axes


postgres = common.postgres


# Building ---------------------------------------------------------------------------------------


def build(rng: random.Random, total: int) -> dict:
    from django.db import connection, transaction

    from organizations.models import Body, BodyKind, OrganizationKind, Role, Term, User
    from organizations.services import organization_create, position_create
    from quyche.text import fold
    from regulations.models import Provision, ProvisionKind, Regulation, Version, VersionStatus
    from regulations.services import regulation_import

    start = time.perf_counter()
    K = OrganizationKind
    city = organization_create(name="Thành ủy Cần Thơ", kind=K.PROVINCIAL, code="TUCT")
    organizations = []
    for number, district in enumerate(DISTRICTS, 1):
        parent = organization_create(name=f"Quận ủy {district}", kind=K.DISTRICT, code=f"Q{number:02d}", parent=city)
        organizations.append(parent)
        for index, unit in enumerate(UNITS, 1):
            organizations.append(
                organization_create(
                    name=f"Đảng bộ {unit} {district}", kind=K.GRASSROOTS_COMMITTEE, code=f"CS{index:02d}", parent=parent
                )
            )
    for organization in [city, *organizations]:
        Term.objects.create(
            organization=organization, name="Nhiệm kỳ 2025 - 2030",
            start=datetime.date(2025, 1, 1), end=datetime.date(2030, 12, 31),
        )  # fmt: skip
    auditor = User.objects.create_user("uvbtv", password="mat-khau", last_name="Trần Thị", first_name="Mai")
    position_create(
        user=auditor, body=Body.objects.get(organization=city, kind=BodyKind.STANDING),
        term=Term.objects.get(organization=city), role=Role.STANDING_MEMBER,
    )  # fmt: skip
    member_of = organizations[1]
    member = User.objects.create_user("dangvien", password="mat-khau", last_name="Lê Văn", first_name="Tư")
    position_create(
        user=member, body=Body.objects.get(organization=member_of, kind=BodyKind.EXECUTIVE),
        term=Term.objects.get(organization=member_of), role=Role.COMMITTEE_MEMBER,
    )  # fmt: skip

    sources = []
    paths = sorted((ROOT / "demo" / "texts").glob("*.txt")) + sorted(CORPUS.glob("*.txt"))
    for index, path in enumerate(paths):
        try:
            with transaction.atomic():
                result = regulation_import(
                    text=path.read_text(encoding="utf-8"), user=None, organization=organizations[index]
                )
        except Exception as error:  # noqa: BLE001 - a text the importer refuses is one source fewer
            print(f"  skipped {path.name}: {error}")
            continue
        version = result.version
        articles = list(
            Provision.objects.filter(version=version, kind=ProvisionKind.ARTICLE).values_list("position", flat=True)
        )
        last = Provision.objects.filter(version=version).order_by("-position").values_list("position", flat=True)[0]
        if articles:
            sources.append((version.pk, articles, last))

    regulations, versions, windows = [], [], []
    for index in range(total):
        organization = rng.choice(organizations)
        kind, label = rng.choice(KINDS)
        title = f"{label} của {organization.name}" + (f" (lần {index % 7 + 1})" if index % 3 else "")
        regulations.append(
            Regulation(organization=organization, kind=kind, title=title, title_folded=fold(title), created_by=auditor)
        )
    Regulation.objects.bulk_create(regulations, batch_size=2000)
    number = 0
    for index, regulation in enumerate(regulations):
        statuses = [VersionStatus.IN_FORCE]
        if index % 3 == 0:
            statuses.insert(0, VersionStatus.REPLACED)
        if index % 10 == 0:
            statuses.append(VersionStatus.DRAFT)
        issued = datetime.date(2021, 1, 1) + datetime.timedelta(days=rng.randint(0, 900))
        for status in statuses:
            number += 1
            draft = status == VersionStatus.DRAFT
            issued += datetime.timedelta(days=rng.randint(30, 400))
            versions.append(
                Version(
                    regulation=regulation, status=status, number="" if draft else f"{number}-QC",
                    issued=None if draft else issued, issued_year=None if draft else issued.year,
                    effective=None if draft else issued, issuing_organization_id=regulation.organization_id,
                    kind=regulation.kind, created_by=auditor,
                )
            )  # fmt: skip
            source, articles, last = rng.choice(sources)
            first = rng.randrange(len(articles))
            low = articles[first]
            high = min(low + rng.randint(6, 46), last + 1)
            sentence = f" Quy chế này áp dụng tại {regulation.organization.name}."
            if rng.random() < 0.001:
                sentence += f" Hồ sơ số HS-{rng.randint(0, 9999):06d}."
            windows.append((source, low, high, sentence, fold(sentence)))
    Version.objects.bulk_create(versions, batch_size=2000)
    current = {version.regulation_id: version for version in versions if version.status == VersionStatus.IN_FORCE}
    for regulation in regulations:
        regulation.current_version = current[regulation.pk]
    Regulation.objects.bulk_update(regulations, ["current_version"], batch_size=2000)

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_window (version_id bigint PRIMARY KEY, source_id bigint, low integer,"
            " high integer, sentence text, sentence_folded text)"
        )
        cursor.executemany(
            "INSERT INTO bench_window VALUES (%s, %s, %s, %s, %s, %s)",
            [(version.pk, *window) for version, window in zip(versions, windows, strict=True)],
        )
        cursor.execute("ANALYZE bench_window")
        cursor.execute(
            """
            INSERT INTO regulations_provision
                (version_id, key, kind, label, heading, text, text_folded, position, depth, revision, open_content)
            SELECT w.version_id, p.key, p.kind, p.label, p.heading,
                   CASE WHEN p.position = w.low THEN p.text || w.sentence ELSE p.text END,
                   CASE WHEN p.position = w.low THEN p.text_folded || w.sentence_folded ELSE p.text_folded END,
                   p.position, p.depth, 0, p.open_content
            FROM bench_window w JOIN regulations_provision p
                ON p.version_id = w.source_id AND p.position >= w.low AND p.position < w.high
            """
        )
        for column in ("parent_id", "article_id"):
            # The copy's parent (article) is the copy of its source's parent (article), found by position;
            # declared a correction, which the guard of issued provisions lets through (migration 0011).
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    cursor.execute("SET LOCAL quyche.correction = 'on'")
                cursor.execute(
                    f"""
                    UPDATE regulations_provision AS copy SET {column} = mine.id
                    FROM bench_window w, regulations_provision source, regulations_provision target,
                        regulations_provision mine
                    WHERE copy.version_id = w.version_id AND source.version_id = w.source_id
                        AND source.position = copy.position AND target.id = source.{column}
                        AND mine.version_id = w.version_id AND mine.position = target.position
                    """  # noqa: S608 - the column is one of two names above
                )
        cursor.execute("DROP TABLE bench_window")
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would have by now: sizes, statistics, visibility
    return {
        "regulations": Regulation.objects.count(),
        "versions": Version.objects.count(),
        "provisions": Provision.objects.count(),
        "source texts": len(sources),
        "built in (s)": round(time.perf_counter() - start),
    }


# Measuring --------------------------------------------------------------------------------------


def measure(what: str, function) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function()  # warm-up
    times = []
    for _ in range(5):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as context:
            start = time.perf_counter()
            rows = function()
            times.append((time.perf_counter() - start) * 1000)
    queries = context.captured_queries
    slowest = max(queries, key=lambda query: float(query["time"])) if queries else {"time": 0, "sql": ""}
    result = {"what": what, "rows": rows, "queries": len(queries), "ms": statistics.median(times),
              "slowest": float(slowest["time"]) * 1000, "sql": slowest["sql"]}  # fmt: skip
    print(f"{what:<48} {rows:>5} {len(queries):>7} {result['ms']:>9.1f} {result['slowest']:>9.1f}", flush=True)
    return result


def explain(sql: str) -> None:
    from django.db import connection

    prefix = "EXPLAIN (ANALYZE, BUFFERS)" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    with connection.cursor() as cursor:
        cursor.execute(f"{prefix} {sql}")
        for line in cursor.fetchall():
            print("   ", " | ".join(str(part) for part in line))


def run(arguments) -> None:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from organizations.models import User
    from regulations.models import Provision, Regulation, Version

    if not User.objects.filter(username="uvbtv").exists():
        for name, value in build(random.Random(SEED), arguments.regulations).items():
            print(f"  {name}: {value}")
    print(f"{connection.vendor}: {Regulation.objects.count()} regulations, {Version.objects.count()} versions, "
          f"{Provision.objects.count()} provisions\n")  # fmt: skip
    clients = {}
    for who, username in (("auditor", "uvbtv"), ("member", "dangvien")):
        clients[who] = Client()
        clients[who].force_login(User.objects.get(username=username))
    page, api = reverse("regulations:search"), reverse("api-search")

    def hits_on_page(client, query):
        response = client.get(page, {"q": query})
        assert response.status_code == 200, response.status_code
        return response.content.decode().count('<li class="hit')

    def hits_of_api(client, query):
        response = client.get(api, {"q": query})
        assert response.status_code == 200, response.status_code
        return len(response.json())

    print(f"{'what':<48} {'hits':>5} {'queries':>7} {'ms':>9} {'slowest':>9}")
    results = []
    for label, query, who in QUERIES:
        client = clients[who]
        results.append(measure(f"page {label}", lambda c=client, q=query: hits_on_page(c, q)))
        results.append(measure(f"API  {label}", lambda c=client, q=query: hits_of_api(c, q)))
    worst = max(results, key=lambda result: result["ms"])
    print(f"\nslowest: {worst['what']} {worst['ms']:.1f} ms; the median over all: "
          f"{statistics.median(result['ms'] for result in results):.1f} ms")  # fmt: skip
    if arguments.explain:
        print(f"\nSlowest query of {worst['what']} ({worst['slowest']:.1f} ms):\n    {worst['sql'][:400]}…")
        explain(worst["sql"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"default: {DEFAULT_URL}")
    parser.add_argument("--reuse", action="store_true", help="measure the database built by an earlier run")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--regulations", type=int, default=REGULATIONS, help=f"default: {REGULATIONS:,}")
    parser.add_argument("--explain", action="store_true", help="print the plan of the slowest query")
    arguments = parser.parse_args()
    url = arguments.database_url
    is_postgres = url.startswith(("postgres://", "postgresql://"))
    reuse = arguments.reuse and (postgres(url, "exists") if is_postgres else Path(urlsplit(url).path).exists())
    if is_postgres and not reuse:
        postgres(url, "create")
    elif not is_postgres and not reuse:
        Path(urlsplit(url).path).unlink(missing_ok=True)
    try:
        setup(url)
        run(arguments)
    finally:
        from django.db import connections

        connections.close_all()
        if is_postgres and not (arguments.keep or arguments.reuse):
            postgres(url, "drop")


if __name__ == "__main__":
    main()
