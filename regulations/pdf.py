"""Regulations and amendment papers as PDF, in the party's document format (Hướng dẫn 36-HD/VPTW).

HTML from the templates in templates/pdf/ (autoescaped; only `diffing.diff_html` output is marked
safe), laid out by WeasyPrint with the stylesheet static/pdf/document.css. WeasyPrint fetches
nothing but our own static files: see `StaticFilesOnly`.

A process parses the stylesheet and sets up the fonts once, for every document it prints, pauses the
cyclic garbage collector while WeasyPrint works (see `render`), and leaves out the default rules that would
give every element pseudo-elements none of our documents has (see `Printed`). An issued text is printed once and
its file kept (`services.version_pdf_store`); a correction discards it (`editing.version_correct`).

The comparison table and the synthesis of an amendment are laid out in reviews/pdf.py with `render`.
"""

import copy
import functools
import gc
import io
import mimetypes
import posixpath
import re
from contextlib import contextmanager
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.http import FileResponse
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML
from weasyprint.html import UA
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from quyche.paper import paper_date
from quyche.text import fold

from . import lines
from .consolidation import document_name
from .models import Version, VersionStatus
from .selectors import provision_tree

# Relative URLs in the templates resolve against this base. Its host cannot exist (RFC 2606), so
# the fetcher never confuses one of our files with something on a network.
STATIC_BASE = "https://quyche.invalid/static/"


class RefusedURL(ValueError):
    """WeasyPrint logs it as a warning and leaves the image or stylesheet out."""


class StaticFilesOnly(URLFetcher):
    """Serves our static files (through the staticfiles finders) and refuses every other URL.

    Refused: http(s), file:, ftp:, and data: too (none of our templates needs inline data, and one
    rule, "only our files", is easier to check than two). User text is escaped by the templates,
    so it cannot name a URL at all; this is the second lock.
    """

    def fetch(self, url, headers=None):
        if not url.startswith(STATIC_BASE):
            raise RefusedURL(f"Not one of our static files, not fetched for a PDF: {url[:200]}")
        name = posixpath.normpath(unquote(urlsplit(url).path).removeprefix("/static/"))
        if name.startswith(("/", "..")) or name == ".":
            raise RefusedURL(f"Outside the static files, not fetched for a PDF: {url[:200]}")
        path = finders.find(name)
        if path is None:
            # Only our templates name static files: a missing one is our bug, not a warning to skip.
            raise FatalURLFetchingError(f"Static file {name!r} not found for a PDF")
        with open(path, "rb") as file:
            body = file.read()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


STYLESHEET = "pdf/document.css"


@functools.cache
def _fonts_and_stylesheet() -> tuple[FontConfiguration, CSS]:
    """Pango's font map and the parsed stylesheet, made once per process: the fonts are then looked up
    and loaded once, not for every document. Both change only with a deployment, which restarts."""
    fonts = FontConfiguration()
    stylesheet = CSS(url=STATIC_BASE + STYLESHEET, url_fetcher=StaticFilesOnly(), font_config=fonts)
    return fonts, stylesheet


# WeasyPrint's default stylesheet styles ::marker, the footnote and note calls and markers of every element, so
# it computes six pseudo-element styles for each element, whatever the document: for a 300-article text 12,000
# styles, 14 of the 181 MB of its peak (bench/README.md). None of our documents has a list, and the footnotes of a
# consolidated text have their own rules in document.css: without these six rules every document prints the same,
# byte for byte. The rest of the default stylesheet is WeasyPrint's own; tests/pdf/test_version.py checks that
# these are its rules and that WeasyPrint still asks `_ua_stylesheets` (the hook its own tests override).
UNUSED_DEFAULT_RULES = re.compile(
    r"^::(?:marker|footnote-call|footnote-marker|note-call|note-marker|note-callback) \{[^}]*\}\n", re.MULTILINE
)


@functools.cache
def default_stylesheet() -> CSS:
    """WeasyPrint's default stylesheet less `UNUSED_DEFAULT_RULES`. Its @counter-style rules are read into a
    dictionary of their own and dropped: WeasyPrint starts every document from the counter styles it read itself."""
    return CSS(string=UNUSED_DEFAULT_RULES.sub("", UA))


class Printed(HTML):
    """A document of ours for WeasyPrint: its default stylesheet without the rules for pseudo-elements no
    document of ours has (`UNUSED_DEFAULT_RULES`)."""

    def _ua_stylesheets(self, forms=False):
        return [default_stylesheet()]


@contextmanager
def _cyclic_gc_paused():
    """WeasyPrint makes millions of objects (styles, boxes, lines), which set off the cyclic collector
    hundreds of times, its older generations walking every live object: a sixth of the CPU time of a
    300-article text, a quarter of its layout. Reference counting still frees nearly all of it (the peak
    memory is the same within 2 MB); the collector resumes after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def render(template: str, context: dict) -> bytes:
    html = render_to_string(template, context)
    fonts, stylesheet = _fonts_and_stylesheet()
    with _cyclic_gc_paused():
        return Printed(string=html, base_url=STATIC_BASE, url_fetcher=StaticFilesOnly()).write_pdf(
            stylesheets=[stylesheet], font_config=fonts
        )


# A version ---------------------------------------------------------------------------------------


def render_version(version: Version, *, preview: bool = False, numbered: bool = False) -> bytes:
    """The version as the printed document: letterhead, title, bases, text, signature, recipients; `numbered`:
    the text's lines numbered as on the screen (regulations/lines.py)."""
    nodes = provision_tree(version).all
    if numbered:
        lines.numbered(nodes)
    return render(
        "pdf/version.html",
        {
            "version": version,
            "draft": version.is_draft,
            "preview": preview,
            "numbered": numbered,
            "place_and_date": place_and_date(version),
            "bases": [basis.rstrip(" ;,.") for basis in version.legal_bases],
            "nodes": nodes,
        },
    )


def render_issue_preview(draft: Version, **values) -> bytes:
    """The draft as it will be issued, with the number, dates and signature given (see
    `services.issue_check`), marked as a preview. Nothing is saved."""
    issued = copy.copy(draft)
    for name, value in values.items():
        setattr(issued, name, value)
    issued.status = VersionStatus.IN_FORCE
    return render_version(issued, preview=True)


def place_and_date(version: Version) -> str:
    """The line under the motto, "Cần Thơ, ngày 09 tháng 5 năm 2023", as the page writes it (quyche/paper.py)."""
    if version.issued and not version.is_draft:
        date = paper_date(version.issued)
    else:
        # A draft leaves the day and month blank for the office to write in when it is signed.
        blank = "\u00a0" * 6
        date = f"ngày{blank}tháng{blank}năm {timezone.localdate():%Y}"
    return f"{version.place}, {date}" if version.place else date[0].upper() + date[1:]


def version_pdf_filename(version: Version) -> str:
    """ "25-QC-TU.pdf" for "25-QC/TU"; "du-thao-<id>.pdf" for a draft. ASCII, safe in any header."""
    name = f"du-thao-{version.pk}" if version.is_draft or not version.number else fold(version.number).upper()
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-") + ".pdf"


def pdf_response(content: bytes, filename: str) -> FileResponse:
    """A PDF made for this request, downloaded under its document's name."""
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type="application/pdf")


# A consolidated text ------------------------------------------------------------------------------


def render_consolidated(text, *, day) -> bytes:
    """The consolidated text (`consolidation.consolidated`) on `day`, laid out as its version is, each
    changed article with a footnote naming the document that changed it."""
    version = text.version
    return render(
        "pdf/consolidated.html",
        {
            "version": version,
            "text": text,
            "day": day,
            "sources": [(document_name(source), source) for source in text.chain],
            "bases": [basis.rstrip(" ;,.") for basis in version.legal_bases],
        },
    )


def consolidated_pdf_filename(text, *, day) -> str:
    """ "hop-nhat-07-QC-DUK-2026-05-01.pdf": the text in force that day, and the day."""
    name = fold(f"hop-nhat-{text.version.number}-{day:%Y-%m-%d}")
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-") + ".pdf"
