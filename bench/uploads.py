"""What the worst uploads cost: time and peak memory, through the import page's form and the command.

    .venv/bin/python bench/uploads.py

Writes the cases to a folder under /tmp: a .docx zip bomb (a document.xml of 1 GiB of repeated text,
streamed into a zip of a few megabytes), a .docx that passes the zip's checks (9.5 MB of markup) but
holds more than 2,000,000 characters, a 20 MB text, a 5,000-article text, a 1,000-article text
(at the cap) and the corpus's largest real text (the OCR copy of Nghị định 241/2026). Each case runs
in a fresh process, so that each peak is its own, on a throwaway SQLite database: "page" is what the
import page does (ImportForm with the uploaded file, then the import service), "command" is
`import_regulation FILE --organization ID`. Printed: whether it was refused and why, the seconds the
entry point took, the process's peak resident memory (VmHWM) and that peak before the case started
(Django and the project loaded). Aim: every case refused or imported within 300 MB and 5 s.
"""

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pdf_render import synthetic  # noqa: E402  (bench/ is on the path as the script's folder)

LARGEST = ROOT / "tests" / "corpus" / "241-2026-ND-CP_SuaDoi-ND165-2024_ocr.txt"
GiB = 1024**3
PARAGRAPH = (
    "<w:p><w:r><w:t>Điều 1. Ban Chấp hành lãnh đạo toàn diện các mặt công tác của Đảng bộ.</w:t></w:r></w:p>"
).encode()


def word_file(path: Path, chunks) -> None:
    """A real Word file whose document.xml body is `chunks`, written as they come (never held in memory)."""
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    source = zipfile.ZipFile(buffer)
    head, tail = source.read("word/document.xml").split(b"<w:body>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            if name != "word/document.xml":
                archive.writestr(name, source.read(name))
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(head + b"<w:body>")
            for chunk in chunks:
                part.write(chunk)
            part.write(tail)


def zip_bomb(path: Path) -> None:
    """1 GiB of one paragraph over and over: a zip of a few megabytes."""
    chunk = PARAGRAPH * (2**20 // len(PARAGRAPH))
    word_file(path, (chunk for _ in range(GiB // len(chunk))))


def under_zip_caps(path: Path) -> None:
    """9.5 MB of numbered paragraphs: passes the zip's checks, is read, and is past the cap on characters."""
    paragraphs = (
        f"<w:p><w:r><w:t>{n}. Ban Thường vụ chỉ đạo, kiểm tra công tác chuyên đề số {n} định kỳ.</w:t></w:r></w:p>"
        .encode() for n in range(1, 10**7)
    )  # fmt: skip
    size = 0
    wanted = []
    for paragraph in paragraphs:
        size += len(paragraph)
        if size > 9.5 * 2**20:
            break
        wanted.append(paragraph)
    word_file(path, [b"".join(wanted)])


def short_articles(count: int) -> str:
    """A regulation of `count` one-line articles: under the cap on characters, past the one on articles."""
    head, _, rest = synthetic(1).partition("\nChương I\n")
    signature = rest[rest.index("Nơi nhận:") :]
    body = [f"Điều {n}. Ban Thường vụ chỉ đạo công tác chuyên đề số {n}." for n in range(1, count + 1)]
    return "\n".join([head, *body, "", signature])


def write_cases(folder: Path) -> list[tuple[str, Path]]:
    cases = [("zip bomb, 1 GiB document.xml", folder / "bom.docx"), (".docx, 9.5 MB document.xml", folder / "lon.docx")]
    zip_bomb(cases[0][1])
    under_zip_caps(cases[1][1])
    texts = [
        ("20 MB text", "van-ban-20mb.txt", (synthetic(300) * 50).encode()[: 20 * 2**20].decode(errors="ignore")),
        ("5,000 articles (one line each)", "5000-dieu.txt", short_articles(5000)),
        ("1,000 articles (at the cap)", "1000-dieu.txt", synthetic(1000)),
        ("largest corpus text (47 art.)", "nghi-dinh-241.txt", LARGEST.read_text(encoding="utf-8")),
    ]
    for name, filename, text in texts:
        (folder / filename).write_text(text, encoding="utf-8")
        cases.append((name, folder / filename))
    return cases


def peak_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) / 1024


def setup(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quyche.settings")
    import django

    django.setup()


def run_case(path: Path, entry: str, database: Path) -> dict:
    """One case in this (fresh) process; the caller reads the JSON it prints."""
    setup(database)
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import CommandError, call_command

    from organizations.models import Organization
    from regulations.forms import ImportForm
    from regulations.services import regulation_import

    organization = Organization.objects.get(code="DCD")
    before = peak_mb()
    start = time.perf_counter()
    refused = ""
    try:
        if entry == "page":
            upload = SimpleUploadedFile(path.name, path.read_bytes())
            form = ImportForm({"action": "save"}, {"file": upload})
            if not form.is_valid():
                refused = " ".join(form.non_field_errors() or [str(form.errors)])
            else:
                regulation_import(text=form.cleaned_data["text"], user=None, organization=organization)
        else:
            out = io.StringIO()
            call_command("import_regulation", str(path), "--organization", str(organization.pk), stdout=out,
                         stderr=io.StringIO())  # fmt: skip
    except (ValidationError, CommandError) as error:
        refused = " ".join(getattr(error, "messages", None) or [str(error)])
    seconds = time.perf_counter() - start
    return {"refused": refused, "seconds": seconds, "peak": peak_mb(), "before": before}


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--case":
        print(json.dumps(run_case(Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4]))))
        return
    with tempfile.TemporaryDirectory(prefix="quyche-bench-uploads-") as directory:
        folder = Path(directory)
        template = folder / "template.sqlite3"
        setup(template)
        from django.core.management import call_command

        from organizations.services import organization_create

        call_command("migrate", verbosity=0)
        city = organization_create(name="Thành ủy Cần Thơ", kind="provincial", code="TUCT")
        organization_create(name="Đảng ủy Khối Cơ quan Dân chính Đảng", kind="bloc", code="DCD", parent=city)
        cases = write_cases(folder)
        print(f"{'case':<32} {'file':>9} {'entry':<8} {'s':>6} {'peak MB':>8} {'base MB':>8}  outcome")
        for name, path in cases:
            for entry in ("page", "command"):
                database = folder / "case.sqlite3"
                shutil.copy(template, database)
                child = subprocess.run(
                    [sys.executable, __file__, "--case", str(path), entry, str(database)],
                    capture_output=True, text=True, check=True,
                )  # fmt: skip
                result = json.loads(child.stdout.strip().splitlines()[-1])
                size = f"{path.stat().st_size / 2**20:.1f} MB"
                outcome = f"refused: {result['refused']}" if result["refused"] else "imported"
                print(f"{name:<32} {size:>9} {entry:<8} {result['seconds']:>6.2f} {result['peak']:>8.0f} "
                      f"{result['before']:>8.0f}  {outcome[:110]}")  # fmt: skip


if __name__ == "__main__":
    main()
