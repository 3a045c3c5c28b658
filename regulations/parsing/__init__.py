"""Reading a regulation's plain text into its structure.

A text is read in three parts:

- the heading block (letterhead, number, place and date, kind line, subject, legal bases and the
  enacting sentence), up to the first "Phần", "Chương", "Mục" or "Điều" line;
- the body: Phần > Chương > Mục > Điều > khoản "1." > điểm "a)" > unnumbered paragraphs and
  "-" / "+" bullets;
- the end: "Nơi nhận:" list and signature block.

Rules worth knowing:

- Labels are kept as written, never renumbered. Articles must be numbered upwards; an "Điều N."
  line that goes backwards is kept as text of the current provision, with a warning, and gaps,
  skipped chapters and out-of-order clauses or points are reported as warnings.
- Text quoted by an amending instrument (a line opening with “ or ", up to its closing quote) is
  content of the article, clause or point that quotes it, one paragraph per line, never structure.
- A line starting with a lower-case letter, a digit or punctuation that is not a clause or point
  continues the previous line (OCR copies are hard-wrapped).
- A regulation issued by a decree or decision and attached after its signature ("QUY CHẾ ..."
  then "(Kèm theo ...)", numbered from Điều 1 again) becomes the body: `provisions` holds the
  attached regulation, `issuing_provisions` the instrument's own articles, `attachment_heading`
  the lines introducing it, and a warning says so. The two numbering sequences are never merged.
- "Phụ lục" (annexes, forms) and web trailers ("Tài liệu tham khảo:") end the text; what follows
  is reported as not placed.

The package, one module per concern:

- `patterns`: the compiled line regexes, label constants and small pure helpers on a line;
- `model`: ParsedProvision, ParseWarning, ParsedDocument and ParseError;
- `body`: the body parser (Phần > Chương > Mục > Điều > khoản > điểm ...);
- `document`: the heading block, the attached regulation, recipients and signature; `parse_regulation`;
- `limits`: the caps on what is read (file size, characters, articles), checked before reading;
- `docx`: `read_docx`, the text of a Word file (automatic numbering written as its labels, a table inside
  the text a row a line), refused before opening if it would unpack to too much;
- `render`: `render_text`, a parsed document back to plain text.
"""

from .document import parse_regulation
from .docx import read_docx
from .limits import MAX_UPLOAD, Refused, check_text
from .model import ParsedDocument, ParsedProvision, ParseError, ParseWarning
from .patterns import (
    CONTAINER_KINDS,
    DOCUMENT_KINDS,
    POINT_LETTERS,
    STRUCTURE_KINDS,
    STRUCTURE_WORDS,
    ends_body,
)
from .render import render_text

__all__ = [
    "CONTAINER_KINDS",
    "DOCUMENT_KINDS",
    "MAX_UPLOAD",
    "POINT_LETTERS",
    "STRUCTURE_KINDS",
    "STRUCTURE_WORDS",
    "ParseError",
    "ParseWarning",
    "ParsedDocument",
    "ParsedProvision",
    "Refused",
    "check_text",
    "ends_body",
    "parse_regulation",
    "read_docx",
    "render_text",
]
