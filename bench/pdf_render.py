"""How long a regulation takes to print, and how much memory it takes.

    .venv/bin/python bench/pdf_render.py [--runs N] [--text corpus|60|300] [--save DIR]

Each text is printed in a fresh process (so that its peak memory is its own): Django on a throwaway
SQLite database under /tmp, the text imported through the same service the import page uses (the
Công Hải corpus regulation, a 60-article and a 300-article synthetic one with long clauses), then
rendered as the worker does (Django set up, the version loaded from the database, which a process of its
own filled first): the first render (fonts and stylesheet cold), printed and kept as the first download of an
issued text is (`services.version_pdf_store`), then N more renders (5 by default, what a draft costs each
time), of which the median wall and CPU time are printed (the CPU time says more on a busy machine), one
under tracemalloc for the peak of Python allocations, and a repeat download of the issued text: the
version read again and its kept file read ("repeat ms"). "peak MiB" is the process's peak resident memory
after the first render (VmHWM: Django, WeasyPrint, Pango and HarfBuzz included; before it, with the
version loaded, the process holds "base MiB").
--save DIR writes each PDF there (to compare the text of two versions of the code with pdftotext).
Aims: 60 articles under 1 s; 300 articles under 3 s and 150 MiB.
"""

import argparse
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "01-QD-DU-2025_QuyDinh-VanPhong-DangUy-xa-CongHai.txt"

CLAUSES = [
    "Lãnh đạo, chỉ đạo việc quán triệt, triển khai thực hiện các nghị quyết, chỉ thị, quy định, kết luận của "
    "Trung ương, của Tỉnh ủy và của Ban Chấp hành Đảng bộ về {topic}, bảo đảm đúng nguyên tắc tập trung dân chủ, "
    "tập thể lãnh đạo, cá nhân phụ trách; định kỳ sáu tháng, một năm sơ kết, tổng kết và báo cáo kết quả.",
    "Quyết định chủ trương, biện pháp cụ thể về {topic} trong phạm vi được phân cấp; phân công các đồng chí ủy "
    "viên Ban Thường vụ phụ trách từng lĩnh vực, địa bàn và chịu trách nhiệm trước Ban Chấp hành về kết quả "
    "thực hiện nhiệm vụ được giao.",
    "Kiểm tra, giám sát việc thực hiện {topic} đối với cấp ủy, tổ chức đảng trực thuộc và đảng viên; kịp thời "
    "phát hiện, chấn chỉnh những hạn chế, khuyết điểm, biểu dương những cách làm hay, mô hình hiệu quả.",
    "Phối hợp với Ủy ban Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị - xã hội cùng cấp trong công tác "
    "{topic}; lắng nghe ý kiến của nhân dân, phát huy vai trò giám sát và phản biện xã hội.",
]
POINTS = [
    "Xây dựng kế hoạch, chương trình công tác năm, sáu tháng, quý về {topic}, trình Ban Thường vụ cho ý kiến.",
    "Hướng dẫn, đôn đốc các chi bộ, đảng bộ trực thuộc tổ chức thực hiện; tổng hợp tình hình, báo cáo định kỳ.",
    "Đề xuất khen thưởng tập thể, cá nhân có thành tích; xem xét trách nhiệm đối với nơi chậm triển khai.",
]
TOPICS = ["công tác tổ chức, cán bộ", "công tác kiểm tra, giám sát", "công tác tuyên giáo", "công tác dân vận",
          "phòng, chống tham nhũng, lãng phí, tiêu cực", "chuyển đổi số trong các cơ quan đảng"]  # fmt: skip


def synthetic(articles: int) -> str:
    """A complete party regulation: letterhead, bases, chapters of ten articles, clauses and points."""
    lines = [
        "ĐẢNG BỘ THÀNH PHỐ CẦN THƠ", "ĐẢNG ỦY KHỐI CƠ QUAN DÂN CHÍNH ĐẢNG", "*", f"Số: {articles}-QC/ĐUK", "",
        "ĐẢNG CỘNG SẢN VIỆT NAM", "Cần Thơ, ngày 9 tháng 5 năm 2025", "",
        "QUY CHẾ LÀM VIỆC", f"của Ban Chấp hành Đảng bộ Khối nhiệm kỳ 2025 - 2030 ({articles} điều)", "-----", "",
        "- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
        "- Căn cứ Quy định số 232-QĐ/TW ngày 20/01/2025 của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng;",
        "", "Ban Chấp hành Đảng bộ Khối ban hành Quy chế làm việc như sau:",
    ]  # fmt: skip
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
    for n in range(1, articles + 1):
        if n % 10 == 1:
            chapter = (n - 1) // 10
            lines += ["", f"Chương {roman[chapter % 10]}{'I' * (chapter // 10)}", f"NHIỆM VỤ NHÓM {chapter + 1}"]
        topic = TOPICS[n % len(TOPICS)]
        lines += ["", f"Điều {n}. Trách nhiệm của Ban Thường vụ về {topic} (nhóm {n})"]
        for c, clause in enumerate(CLAUSES[: 2 + n % 3], start=1):
            lines.append(f"{c}. {clause.format(topic=topic)}")
            if c == 2 and n % 2:
                lines += [f"{letter}) {point.format(topic=topic)}" for letter, point in zip("abc", POINTS, strict=True)]
    lines += ["", "Nơi nhận:", "- Ban Thường vụ Thành ủy (để báo cáo);", "- Lưu Văn phòng Đảng ủy Khối.", "",
              "T/M BAN CHẤP HÀNH", "BÍ THƯ", "", "Nguyễn Văn Long"]  # fmt: skip
    return "\n".join(lines) + "\n"


def setup(directory: str, *, migrate: bool = True) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    os.environ["MEDIA_ROOT"] = directory  # the kept PDFs
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quyche.settings")
    import django

    django.setup()
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def prepare(directory: str) -> None:
    """The database with the three texts imported (in a process of its own, so that the renders' peaks are theirs)."""
    setup(directory)
    from organizations.services import organization_create
    from regulations.services import regulation_import

    city = organization_create(name="Thành ủy Cần Thơ", kind="provincial", code="TUCT")
    for key, (_, text) in TEXTS.items():
        version = regulation_import(text=text(), user=None, organization=city).version
        Path(directory, f"{key}.id").write_text(str(version.pk))


def pages(document: bytes) -> str:
    if not shutil.which("pdfinfo"):
        return "?"
    out = subprocess.run(["pdfinfo", "-"], input=document, capture_output=True, check=True).stdout.decode()
    return next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:"))


def vm_hwm() -> float:
    """Peak resident memory of this process so far, MiB."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024


TEXTS = {
    "corpus": ("Công Hải 01-QĐ/ĐU (corpus)", lambda: CORPUS.read_text(encoding="utf-8")),
    "60": ("synthetic, 60 articles", lambda: synthetic(60)),
    "300": ("synthetic, 300 articles", lambda: synthetic(300)),
}


def child(directory: str, key: str, runs: int, save: str | None) -> None:
    """Print one text in this process, as the worker does (Django set up, the version loaded), and write one line
    of figures."""
    setup(directory, migrate=False)
    from regulations import pdf, services
    from regulations.models import Version
    from regulations.selectors import provision_tree

    name, _ = TEXTS[key]
    version = Version.objects.get(pk=int(Path(directory, f"{key}.id").read_text()))
    base = vm_hwm()
    start = time.perf_counter()
    version = services.version_pdf_store(version=version)
    first = time.perf_counter() - start
    with version.pdf.open("rb") as file:
        document = file.read()
    peak_rss = vm_hwm()  # a worker prints one text at a time: the peak of that one
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        pdf.render_version(version)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    tracemalloc.start()
    pdf.render_version(version)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    start = time.perf_counter()
    kept = Version.objects.get(pk=version.pk)  # what the download view does for an issued text
    with kept.pdf.open("rb") as file:
        assert file.read() == document
    repeat = time.perf_counter() - start
    if save:
        Path(save, f"{key}.pdf").write_bytes(document)
    articles = len(provision_tree(version).articles)
    print(f"{name:<28} {articles:>4} {pages(document):>6} {len(document) / 1024:>8.0f} {first:>8.2f} "
          f"{statistics.median(times):>8.2f} {statistics.median(cpu):>8.2f} {peak / 2**20:>10.1f} {base:>9.0f} "
          f"{peak_rss:>9.0f} {repeat * 1000:>9.1f}", flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--text", choices=TEXTS, action="append", help="only these texts (all three by default)")
    parser.add_argument("--save", help="a folder to write each PDF to")
    parser.add_argument("--child", choices=TEXTS, help=argparse.SUPPRESS)
    parser.add_argument("--directory", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.prepare:
        prepare(arguments.prepare)
        return
    if arguments.child:
        child(arguments.directory, arguments.child, arguments.runs, arguments.save)
        return
    print(f"{'text':<28} {'art.':>4} {'pages':>6} {'KiB':>8} {'first s':>8} {'median s':>8} {'CPU s':>8} "
          f"{'py peak MiB':>10} {'base MiB':>9} {'peak MiB':>9} {'repeat ms':>9}")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="quyche-bench-") as directory:
        subprocess.run([sys.executable, __file__, "--prepare", directory], check=True)
        for key in arguments.text or TEXTS:
            command = [
                sys.executable,
                __file__,
                "--child",
                key,
                "--directory",
                directory,
                "--runs",
                str(arguments.runs),
            ]
            subprocess.run(command + (["--save", arguments.save] if arguments.save else []), check=True)


if __name__ == "__main__":
    main()
