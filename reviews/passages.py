"""Passages of a draft that a comment is anchored to: an article, or a clause or point in it.

A passage is found by its provision's key, which survives renumbering (regulations/editing.py keeps
the keys of the clauses and points an edit continues), so a comment follows its passage wherever the
draft moves it, and is shown under the name the passage bears now.

A suggestion on a clause or point is applied as an edit of its article: the article's body is
written out line by line, as the editor shows it, with the passage replaced, removed, or followed
by a new one; the clauses or points after it are numbered again.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from quyche.text import nfc
from regulations.models import Provision, ProvisionKind
from regulations.parsing.patterns import POINT_LETTERS
from regulations.selectors import body_text, build_tree, line_of

from .models import SuggestionKind

PASSAGE_KINDS = (ProvisionKind.ARTICLE, ProvisionKind.CLAUSE, ProvisionKind.POINT)
# What a member may type before the text of a clause or point; the label is the draft's to give.
_TYPED_LABEL = {
    ProvisionKind.CLAUSE: re.compile(r"^\d+[a-zđ]?\.\s+"),
    ProvisionKind.POINT: re.compile(rf"^[{POINT_LETTERS}]\)\s+"),
}
_WRITTEN = {ProvisionKind.CLAUSE: "{label}. {text}", ProvisionKind.POINT: "{label}) {text}"}


@dataclass
class Passage:
    """One article, clause or point of a version, with the provisions above it within its article."""

    article: Provision  # with `nodes`, as article_tree reads it
    node: Provision  # the article itself, or a clause or point in it
    above: list = field(default_factory=list)  # between the article and the node, the nearest last

    @property
    def is_article(self) -> bool:
        return self.node.pk == self.article.pk

    @property
    def name(self) -> str:
        """Within its article: "khoản 2", "điểm a khoản 1"; empty for the article itself."""
        if self.is_article:
            return ""
        names = [self.node, *reversed(self.above)]
        return " ".join(f"{n.get_kind_display().lower()} {n.label}".strip() for n in names)

    @property
    def place(self) -> str:
        """ "khoản 2 Điều 4", or "Điều 4"."""
        return " ".join(part for part in (self.name, f"Điều {self.article.label}") if part)

    @property
    def text(self) -> str:
        """Its own text and every line under it; an article's body without its heading (as it is edited)."""
        return body_text(self.node)


def passages_of(tree) -> dict:
    """{key: Passage} of every article, clause and point of a version's tree (regulations.selectors.Tree)."""
    found = {}
    for article in tree.articles:
        found[article.key] = Passage(article, article)
        stack = [(child, []) for child in reversed(article.nodes)]
        while stack:
            node, above = stack.pop()
            if node.kind in PASSAGE_KINDS:
                found[node.key] = Passage(article, node, above)
            stack.extend((child, [*above, node]) for child in reversed(node.nodes))
    return found


def find_passage(version_id: int, key) -> Passage | None:
    """The passage of this key in the version, with its whole article, from one query; None if it has none."""
    articles = Provision.objects.filter(version=version_id, key=key).values("article")
    tree = build_tree(Provision.objects.filter(version=version_id, article__in=articles).for_rendering())
    return passages_of(tree).get(key)


def clean_wording(kind: str, text: str) -> str:
    """The typed wording as it is stored: NFC, one line per line, no blank lines or stray spaces."""
    lines = [" ".join(line.split()) for line in nfc(text).splitlines()]
    wording = "\n".join(line for line in lines if line)
    typed_label = _TYPED_LABEL.get(kind)
    return typed_label.sub("", wording, count=1) if typed_label else wording


def split_heading(text: str) -> tuple[str, str]:
    """A new article's wording: its heading on the first line, its body below."""
    heading, _, body = text.partition("\n")
    return heading.strip(), body.strip()


def body_with(passage: Passage, kind: str, wording: str) -> str:
    """The body of the passage's article with the suggestion applied to the passage (a clause or point)."""
    target = passage.node
    step = {SuggestionKind.INSERT_AFTER: 1, SuggestionKind.REMOVE: -1}.get(kind, 0)
    lines = [passage.article.text] if passage.article.text else []

    def write(nodes):
        after_target = False
        for node in nodes:
            if node.pk == target.pk:
                after_target = True
                if kind == SuggestionKind.REPLACE:
                    lines.append(_written(node.kind, node.label, wording))
                elif kind == SuggestionKind.INSERT_AFTER:
                    lines.append(line_of(node))
                    write(node.nodes)
                    lines.append(_written(node.kind, _shifted(node, 1, strict=True), wording))
                continue
            if after_target and step and node.kind == target.kind:
                lines.append(_written(node.kind, _shifted(node, step), node.text))
            else:
                lines.append(line_of(node))
            write(node.nodes)

    write(passage.article.nodes)
    return "\n".join(lines)


def _written(kind: str, label: str, wording: str) -> str:
    first, _, rest = wording.partition("\n")
    line = _WRITTEN[kind].format(label=label, text=first)
    return f"{line}\n{rest}" if rest else line


def _shifted(node: Provision, step: int, *, strict: bool = False) -> str:
    """The label one place on (or back): "3" after "2", "đ" after "d"; unchanged where the series cannot go on."""
    label = node.label
    if node.kind == ProvisionKind.CLAUSE and label.isdigit() and int(label) + step > 0:
        return str(int(label) + step)
    if node.kind == ProvisionKind.POINT and label in POINT_LETTERS:
        index = POINT_LETTERS.index(label) + step
        if 0 <= index < len(POINT_LETTERS):
            return POINT_LETTERS[index]
    if strict:
        raise ValidationError(
            f"Không đánh được số cho {node.get_kind_display().lower()} mới sau "
            f"{node.get_kind_display().lower()} {label}; hãy góp ý bằng lời."
        )
    return label
