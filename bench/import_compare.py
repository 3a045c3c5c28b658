"""How long a new version of a 300-article regulation takes to import, and two such versions to compare.

    .venv/bin/python bench/import_compare.py [--database-url URL] [--articles 300] [--imports 3] [--repeat 9] [--keep]

Without --database-url, Django runs on a throwaway SQLite file under /tmp. With a PostgreSQL URL
(postgres://postgres@127.0.0.1:5432/quyche_import) that database is dropped and created afresh, and
dropped again at the end unless --keep is given.

The texts are tests/regulations/texts.py's: a regulation of 300 articles (one to five clauses each,
in one committee's vocabulary, so that many articles look alike to a cheap filter) issued in 2025,
and its new version of 2026 with ten articles removed, ten inserted, thirty reworded, six moved far
and three rewritten (`long_revision`). Each of --imports rounds puts the first text into a regulation of its own
(not timed), then imports the new version into it: through the service the import page calls
(`regulation_import`), and through `import_regulation FILE --regulation ID`, in this process.
The matching of its articles to the old ones (`keys_carry_over`) is also timed alone.

Then, for a superuser, the comparison of the two versions: the page and the API, one warm-up, then
the median of --repeat requests through Django's test client, with the query count of the last.
Printed: the median and the slowest of each, and the median CPU time of this process (on a busy
machine, what the wall time is without the waiting; the database server's own time is not in it).
Aims: an import under 2 s, a comparison under 60 ms.
"""

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

import common

ROOT = Path(__file__).resolve().parents[1]


def setup(database_url: str) -> None:
    common.setup(database_url, throttled=False)


postgres = common.postgres


def timed(function, *args, **kwargs) -> tuple[float, float]:
    """Wall seconds, and this process's CPU seconds (what a busy machine's waiting leaves out)."""
    start, cpu = time.perf_counter(), time.process_time()
    function(*args, **kwargs)
    return time.perf_counter() - start, time.process_time() - cpu


def line(name: str, seconds: list[tuple[float, float]], extra: str = "") -> None:
    wall, cpu = [s for s, _ in seconds], [c for _, c in seconds]
    print(f"{name:<44} {statistics.median(wall) * 1000:>10.1f} {max(wall) * 1000:>10.1f} "
          f"{statistics.median(cpu) * 1000:>10.1f}  {extra}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a throwaway SQLite file under /tmp")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--imports", type=int, default=3, help="rounds of imports")
    parser.add_argument("--repeat", type=int, default=9, help="requests of each comparison")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="quyche-bench-") as directory:
        url = arguments.database_url or f"sqlite:///{directory}/bench.sqlite3"
        if arguments.database_url:
            postgres(url, "create")
        try:
            setup(url)
            run(arguments, Path(directory))
        finally:
            if arguments.database_url and not arguments.keep:
                from django.db import connections

                connections.close_all()
                postgres(url, "drop")


def run(arguments, directory: Path) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from organizations.services import organization_create
    from regulations.models import Version
    from regulations.services import keys_carry_over, regulation_import
    from tests.regulations.texts import long_articles, long_revision, regulation_text

    articles = long_articles(arguments.articles)
    revised, _ = long_revision(articles)
    old_text = regulation_text(articles, number="01-QC/ĐUK", date=(15, 9, 2025))
    new_text = regulation_text(revised, number="07-QC/ĐUK", date=(20, 3, 2026))
    new_file = directory / "new.txt"
    new_file.write_text(new_text, encoding="utf-8")
    city = organization_create(name="Thành ủy Cần Thơ", kind="provincial", code="TUCT")

    def first_version(round_: int, way: str) -> Version:
        name = f"Đảng ủy Khối Cơ quan Dân chính Đảng {way} {round_}"
        bloc = organization_create(name=name, kind="bloc", code=f"K{way[0]}{round_}", parent=city)
        return regulation_import(text=old_text, user=None, organization=bloc).version

    print(f"{arguments.articles} articles, new version {len(revised)}; {connection.vendor}")
    print(f"{'':<44} {'median ms':>10} {'slowest ms':>10} {'CPU ms':>10}")
    service, command, matching = [], [], []
    for round_ in range(arguments.imports):
        old = first_version(round_, "service")
        service.append(timed(regulation_import, text=new_text, user=None, regulation=old.regulation))
        old = first_version(round_, "command")
        stdout = io.StringIO()
        command.append(timed(call_command, "import_regulation", new_file, regulation=old.regulation_id, stdout=stdout))
        new = Version.objects.get(pk=old.regulation.versions.exclude(pk=old.pk).get().pk)
        matching.append(timed(keys_carry_over, old=old, new=new))
    line("import a new version: service", service)
    line("import a new version: import_regulation", command)
    line("  of which matching the articles again", matching)

    user = get_user_model().objects.create_superuser("bench", password="bench")
    client = Client()
    client.force_login(user)
    for name, url in (
        ("compare page", reverse("regulations:compare", args=[old.pk, new.pk])),
        ("compare API", reverse("api-compare", args=[old.pk, new.pk])),
    ):
        assert client.get(url).status_code == 200
        seconds = []
        for _ in range(arguments.repeat):
            with CaptureQueriesContext(connection) as queries:
                start, cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                seconds.append((time.perf_counter() - start, time.process_time() - cpu))
            assert response.status_code == 200
        line(name, seconds, f"{len(queries)} queries, {len(response.content) // 1024} KiB")


if __name__ == "__main__":
    main()
