"""How long a 300-article regulation takes to write as Word, plain and as a tracked-changes copy, and the memory.

    .venv/bin/python bench/word_files.py [--runs N] [--articles 300] [--save DIR]

Django on a throwaway SQLite database under /tmp; the synthetic text of bench/pdf_render.py imported as the
text in force, and a second text of the same regulation in which every seventh article is reworded, every
eleventh removed and one new article put in every thirteen (so that every later article is renumbered). Then
N runs (5 by default) of each: the version as Word (`word.render_version_docx`: the text read from the
database and the package written) and the second against the first with every change tracked
(`tracked.render_tracked_docx`: both texts read, compared, written); the median wall and CPU time, the peak
of Python allocations (tracemalloc, one more run) and the document's size. "peak MiB" is the process's
peak resident memory at the end (VmHWM, Django included). Aim: under 1 s each for 300 articles.
"""

import argparse
import datetime
import re
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from pdf_render import setup, synthetic, vm_hwm


def reworked(text: str) -> str:
    """The text with articles reworded, removed and added, numbered again from 1."""
    head, *articles = re.split(r"\n(?=Điều \d+\. )", text)
    tail = articles[-1].split("\n\nNơi nhận:")
    articles[-1], closing = tail[0], "\n\nNơi nhận:" + tail[1]
    out = []
    for n, article in enumerate(articles, start=1):
        if n % 11 == 0:
            continue
        if n % 7 == 0:
            article = article.replace("định kỳ sáu tháng, một năm", "định kỳ ba tháng, sáu tháng và một năm")
        out.append(article)
        if n % 13 == 0:
            out.append(f"Điều 0. Điều mới bổ sung sau điều {n}\nBan Thường vụ báo cáo Ban Chấp hành việc {n}.\n")
    numbered = [re.sub(r"^Điều \d+\.", f"Điều {n}.", a) for n, a in enumerate(out, start=1)]
    return head + "\n" + "\n".join(numbered) + closing


def measure(name: str, make, runs: int, save: str | None) -> None:
    times, cpu = [], []
    document = b""
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        document = make()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    tracemalloc.start()
    make()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if save:
        Path(save, f"{name.split()[0]}.docx").write_bytes(document)
    print(f"{name:<34} {statistics.median(times):>8.2f} {statistics.median(cpu):>8.2f} {peak / 2**20:>11.1f} "
          f"{len(document) / 1024:>8.0f}", flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--save", help="a folder to write both documents to")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="quyche-bench-") as directory:
        setup(directory)
        from organizations.services import organization_create
        from regulations import tracked, word
        from regulations.selectors import provision_tree
        from regulations.services import regulation_import

        city = organization_create(name="Thành ủy Cần Thơ", kind="provincial", code="TUCT")
        text = synthetic(arguments.articles)
        base = regulation_import(text=text, user=None, organization=city).version
        second = reworked(text).replace(f"Số: {arguments.articles}-QC/ĐUK", "Số:").replace("ngày 9 tháng 5", "ngày")
        draft = regulation_import(text=second, user=None, regulation=base.regulation).version
        by = word.Revision("Văn phòng Đảng ủy Khối", datetime.datetime.now(datetime.UTC))
        articles = (len(provision_tree(base).articles), len(provision_tree(draft).articles))
        print(f"texts: {articles[0]} and {articles[1]} articles")
        print(f"{'document':<34} {'median s':>8} {'CPU s':>8} {'py peak MiB':>11} {'KiB':>8}")
        measure("version (in force)", lambda: word.render_version_docx(base), arguments.runs, arguments.save)
        measure(
            "tracked (draft against it)",
            lambda: tracked.render_tracked_docx(base, draft, authorship=tracked.Authorship(default=by)),
            arguments.runs, arguments.save,
        )  # fmt: skip
        print(f"peak MiB (process): {vm_hwm():.0f}")


if __name__ == "__main__":
    main()
