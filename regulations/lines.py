"""Numbered lines (số dòng): a version's text broken into the lines its PDF prints, numbered through the
document, so that an opinion citing "dòng 12–15" points at the same words on the screen and on paper.

The breaks are WeasyPrint's own, so they are exact: the text's paragraphs are laid out once with the PDF's
stylesheet (static/pdf/document.css) at its measure, A4 less the 35 and 15 mm margins (160 mm of Times New
Roman 14 pt, the first line of a paragraph indented 1.27 cm), and the words of each line box are read back.
The PDF and the page then print each line as an element of its own, which never breaks again: on paper a
justified line of that measure, its number in the left margin; on screen the same words in a column of the
same measure (on a narrow screen a line may wrap, its number staying with it).

Only the body is numbered, from the first chapter or article to the last line, as OpenSlides numbers a
motion's text: the letterhead, the legal bases and the signature are not cited by line. A line depends only
on the texts of the paragraphs and on the code and stylesheet (which name the release), so the breaks of a
text are kept under a digest of its paragraphs (quyche/kept.py): an edit of the draft measures it afresh.
"""

import hashlib
from dataclasses import dataclass
from html import escape

from weasyprint.formatting_structure import boxes

from quyche import counts
from quyche.kept import kept

from .models import ProvisionKind

# Kept a week: a text's breaks change only with its text or with a release.
LINES_KEPT = 7 * 24 * 3600


@dataclass(frozen=True)
class Run:
    """A stretch of one paragraph in one weight."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class Line:
    number: int
    runs: tuple[Run, ...]
    first: bool  # the paragraph's first line: indented, unless a heading
    last: bool  # its last: not stretched to the measure

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass
class Paragraph:
    """One paragraph as the PDF prints it: "heading" (centred, bold), or "text" (justified, indented)."""

    style: str
    runs: tuple[Run, ...]
    lines: tuple[Line, ...] = ()

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def paragraphs_of(node) -> list[Paragraph]:
    """The paragraphs the PDF prints for one provision (templates/pdf/version.html, its text part)."""
    pieces = [" ".join(piece.split()) for piece in (node.text or "").split("\n")]
    pieces = [piece for piece in pieces if piece]
    if node.is_division:
        heading = node.heading.upper() if node.kind in (ProvisionKind.CHAPTER, ProvisionKind.PART) else node.heading
        found = [Paragraph("heading", (Run(node.display_label, True),))]
        if heading:
            found.append(Paragraph("heading", (Run(" ".join(heading.split()), True),)))
        return found + [Paragraph("text", (Run(piece),)) for piece in pieces]
    if node.is_article:
        heading = " ".join((node.heading or "").split())
        title = f"Điều {node.label}." + (f" {heading}" if heading else "") + (":" if heading and pieces else "")
        first = (Run(title, True), *((Run(" " + pieces[0]),) if pieces else ()))
        return [Paragraph("text", first)] + [Paragraph("text", (Run(piece),)) for piece in pieces[1:]]
    prefix = {"clause": "{label}. ", "point": "{label}) ", "bullet": "{label} "}.get(node.kind, "")
    if pieces:
        pieces[0] = prefix.format(label=node.label) + pieces[0]
    return [Paragraph("text", (Run(piece),)) for piece in pieces]


def numbered(nodes) -> list[Paragraph]:
    """Every node's paragraphs (as `node.paragraphs`), each with its lines numbered through the document."""
    paragraphs = []
    for node in nodes:
        node.paragraphs = paragraphs_of(node)
        paragraphs.extend(node.paragraphs)
    digest = hashlib.sha256()
    for paragraph in paragraphs:
        digest.update(repr((paragraph.style, paragraph.runs)).encode())
    lengths = kept(f"lines:{digest.hexdigest()}", lambda: measure(paragraphs), timeout=LINES_KEPT)
    number = 0
    for paragraph, widths in zip(paragraphs, lengths, strict=True):
        lines = []
        for index, runs in enumerate(_cut(paragraph, widths)):
            number += 1
            lines.append(Line(number, runs, first=index == 0, last=index == len(widths) - 1))
        paragraph.lines = tuple(lines)
    return paragraphs


def article_spans(nodes) -> dict[str, tuple[int, int]]:
    """{article label: its first and last line}, as `numbered` numbers the version's nodes (`tree.all`): where
    the comparison table's rows lie in the numbered draft."""
    numbered(nodes)
    labels = {node.pk: node.label for node in nodes if node.is_article}
    spans: dict[str, tuple[int, int]] = {}
    for node in nodes:
        label = labels.get(node.article_id or node.pk) if (node.article_id or node.is_article) else None
        numbers = [line.number for paragraph in node.paragraphs for line in paragraph.lines]
        if label is None or not numbers:
            continue
        first, last = spans.get(label, (numbers[0], numbers[-1]))
        spans[label] = (min(first, numbers[0]), max(last, numbers[-1]))
    return spans


def paragraph_html(paragraph: Paragraph, index: int | None = None) -> str:
    """A paragraph as both passes print it: its runs, bold where bold, in the paragraph's class."""
    runs = "".join(f"<b>{escape(r.text)}</b>" if r.bold else escape(r.text) for r in paragraph.runs)
    mark = f' data-p="{index}"' if index is not None else ""
    return f'<p class="numbered-{paragraph.style}"{mark}>{runs}</p>'


def measure(paragraphs: list[Paragraph]) -> list[list[int]]:
    """For each paragraph, how many of its characters each of its lines holds, as WeasyPrint lays them out.

    A break falls on a space, which belongs to neither line; so the counts of a paragraph add up to its
    length less one space per break.
    """
    from .pdf import STATIC_BASE, Printed, StaticFilesOnly, _cyclic_gc_paused, _fonts_and_stylesheet

    html = '<div class="text numbered">' + "".join(paragraph_html(p, i) for i, p in enumerate(paragraphs)) + "</div>"
    fonts, stylesheet = _fonts_and_stylesheet()
    with _cyclic_gc_paused():
        document = Printed(string=html, base_url=STATIC_BASE, url_fetcher=StaticFilesOnly()).render(
            stylesheets=[stylesheet], font_config=fonts
        )
        read: list[list[str]] = [[] for _ in paragraphs]
        for page in document.pages:
            _read_lines(page._page_box, read)
    return [_counts(paragraph.text, lines) for paragraph, lines in zip(paragraphs, read, strict=True)]


def _read_lines(box, read: list[list[str]]) -> None:
    if isinstance(box, boxes.LineBox):
        index = box.element.get("data-p") if box.element is not None else None
        if index is not None:
            read[int(index)].append("".join(b.text for b in box.descendants() if isinstance(b, boxes.TextBox)))
        return
    for child in getattr(box, "children", ()):
        _read_lines(child, read)


def _counts(text: str, lines: list[str]) -> list[int]:
    """The length of each line within `text`, checked word for word against it."""
    counts, position = [], 0
    for line in lines:
        line = line.strip()
        while position < len(text) and text[position] == " ":
            position += 1
        if text[position : position + len(line)] != line:
            raise ValueError(f"Line {line[:40]!r} not found at {position} of {text[:40]!r}")
        counts.append(len(line))
        position += len(line)
    if "".join(text[position:].split()):
        raise ValueError(f"Text left after the last line of {text[:40]!r}")
    return counts or [0]


def _cut(paragraph: Paragraph, counts: list[int]) -> list[tuple[Run, ...]]:
    """The paragraph's runs cut at its line breaks: each line's runs, without the spaces at the breaks."""
    flat = [(char, run.bold) for run in paragraph.runs for char in run.text]
    lines, position = [], 0
    for count in counts:
        while position < len(flat) and flat[position][0] == " ":
            position += 1
        chars, position = flat[position : position + count], position + count
        runs: list[Run] = []
        for char, bold in chars:
            if runs and runs[-1].bold == bold:
                runs[-1] = Run(runs[-1].text + char, bold)
            else:
                runs.append(Run(char, bold))
        lines.append(tuple(runs))
    return lines


def wanted(request) -> bool:
    """Whether the reader sees line numbers: as the link asks (`?so_dong=1` or `0`), else as they chose last."""
    from .models import ReadingPreference

    asked = request.GET.get("so_dong")
    if asked in ("0", "1"):
        return asked == "1"
    user = request.user.pk

    def chosen() -> bool:
        return ReadingPreference.objects.filter(user=user, line_numbers=True).exists()

    # Kept for the person until they switch (a saved or deleted choice says so: apps.py).
    return counts.cached(f"line-numbers:{user}", (f"reading:{user}",), chosen)
