"""Reading our PDFs back with poppler-utils (pdftotext, pdffonts, pdfinfo), as a reader's tools would."""

import re
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from html import unescape
from pathlib import Path

MM = 72 / 25.4  # points per millimetre


def _run(tool: str, pdf: bytes, *args: str) -> str:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "document.pdf"
        path.write_bytes(pdf)
        return subprocess.run([tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
                              check=True, capture_output=True, text=True).stdout  # fmt: skip


def text(pdf: bytes, page: int | None = None, drawn: bool = False) -> str:
    """The text, NFC, with runs of white space (line ends too) as one space.

    In reading order, or with `drawn` in the order it was drawn: a table cell by cell, where reading
    order interleaves the lines of side-by-side cells.
    """
    options = (["-f", str(page), "-l", str(page)] if page else []) + (["-raw"] if drawn else [])
    return " ".join(unicodedata.normalize("NFC", _run("pdftotext", pdf, *options)).split())


def squeezed(value: str) -> str:
    """Without any white space: for strings a line may break anywhere in (URLs)."""
    return "".join(value.split())


def fonts(pdf: bytes) -> list[dict]:
    lines = _run("pdffonts", pdf).splitlines()[2:]
    rows = []
    for line in lines:
        # The name may not contain spaces; the type may ("CID TrueType"); the last six columns never do.
        name, *middle = line.split()
        emb, sub, uni, _object, _generation = middle[-5:]
        rows.append({"name": name, "emb": emb, "sub": sub, "uni": uni})
    return rows


def info(pdf: bytes) -> dict:
    return dict(line.split(":", 1) for line in _run("pdfinfo", pdf).splitlines() if ":" in line)


def page_size(pdf: bytes) -> tuple[float, float]:
    width, height = re.match(r"\s*([\d.]+) x ([\d.]+) pts", info(pdf)["Page size"]).groups()
    return float(width), float(height)


@dataclass
class Word:
    page: int
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


_PAGE = re.compile(r"<page\b.*?</page>", re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def words(pdf: bytes) -> list[Word]:
    """Every word with its box in points, from the top left corner of its page."""
    html = _run("pdftotext", pdf, "-bbox")
    return [
        Word(number, unescape(word), *(float(value) for value in box))
        for number, page in enumerate(_PAGE.findall(html), start=1)
        for *box, word in _WORD.findall(page)
    ]
