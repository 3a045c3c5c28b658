"""What the parser returns: provisions, warnings, the parsed document and the parse error."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class ParsedProvision:
    """One node of the structure: Phần, Chương, Mục, Điều, khoản, điểm, đoạn or gạch đầu dòng."""

    kind: str  # part | chapter | section | article | clause | point | paragraph | bullet
    label: str  # as written: "I", "52a", "1", "đ"; "" for paragraphs; "-" or "+" for bullets
    heading: str  # title of a part, chapter, section or article
    text: str  # the node's own text, without its children
    line: int  # 1-based source line where it starts
    children: list["ParsedProvision"] = field(default_factory=list)


@dataclass
class ParseWarning:
    line: int
    message: str

    def __str__(self) -> str:
        return f"Dòng {self.line}: {self.message}"


@dataclass
class ParsedDocument:
    """A regulation as read from its text: heading block, body, signature and what could not be placed."""

    superior_body: str = ""
    issuing_body: str = ""
    number: str = ""
    place: str = ""
    issued: datetime.date | None = None
    kind_line: str = ""
    title: str = ""
    legal_bases: list[str] = field(default_factory=list)
    enacting: str = ""
    provisions: list[ParsedProvision] = field(default_factory=list)
    signer_authority: str = ""
    signer_position: str = ""
    signer_name: str = ""
    recipients: list[str] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    # Set only when the regulation is attached to the decree or decision that issues it.
    issuing_provisions: list[ParsedProvision] = field(default_factory=list)
    attachment_heading: str = ""

    def iter_provisions(self) -> Iterator[ParsedProvision]:
        """All provisions of the body, depth first, in reading order."""
        stack = list(reversed(self.provisions))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def counts(self) -> dict:
        counts = {"chapters": 0, "articles": 0, "clauses": 0, "points": 0}
        for node in self.iter_provisions():
            key = f"{node.kind}s"
            if key in counts:
                counts[key] += 1
        return counts


class ParseError(ValueError):
    """The text cannot be read as a regulation; the message names the line."""

    def __init__(self, line: int, message: str):
        super().__init__(f"Dòng {line}: {message}")
        self.line = line
