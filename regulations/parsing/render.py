"""Rendering a parsed document back to plain text that reads back the same."""

from .model import ParsedDocument, ParsedProvision
from .patterns import STRUCTURE_KINDS, STRUCTURE_WORDS, _is_caps, _split_article_title


def render_text(doc: ParsedDocument) -> str:
    """Plain text that parse_regulation reads back into the same document."""
    out = [name for name in (doc.superior_body, doc.issuing_body) if name]
    if doc.number:
        out.append(f"Số: {doc.number}")
    if doc.issued:
        date = f"ngày {doc.issued.day} tháng {doc.issued.month} năm {doc.issued.year}"
        out.append(f"{doc.place}, {date}" if doc.place else date)
    out.append("")
    out += [text for text in (doc.kind_line, doc.title) if text]
    out.append("-----")
    out += [f"- {basis};" for basis in doc.legal_bases]
    if doc.enacting:
        out += ["", *doc.enacting.split("\n")]
    _render_provisions(doc.issuing_provisions or doc.provisions, out)
    if doc.recipients:
        out += ["", "Nơi nhận:", *(f"- {item};" for item in doc.recipients)]
    signature = [doc.signer_authority, *doc.signer_position.split("\n"), doc.signer_name]
    if any(signature):
        out += ["", *filter(None, signature)]
    if doc.issuing_provisions:
        out += ["", *doc.attachment_heading.split("\n")]
        _render_provisions(doc.provisions, out)
    return "\n".join(out) + "\n"


def _render_provisions(nodes: list[ParsedProvision], out: list[str]) -> None:
    for node in nodes:
        if node.kind in STRUCTURE_KINDS:
            out += ["", f"{STRUCTURE_WORDS[node.kind]} {node.label}"]
            if _is_caps(node.heading):
                out.append(node.heading)  # the usual layout: the title in capitals on the next line
            elif node.heading:
                out[-1] += f" - {node.heading}"
        elif node.kind == "article":
            out.append("")
            out += _render_article(node)
        elif node.kind == "clause":
            out.append(f"{node.label}. {node.text}")
        elif node.kind == "point":
            out.append(f"{node.label}) {node.text}")
        elif node.kind == "bullet":
            out.append(f"{node.label} {node.text}")
        else:
            out.append(node.text)
        _render_provisions(node.children, out)


def _render_article(node: ParsedProvision) -> list[str]:
    head = f"Điều {node.label}."
    if node.heading and node.text:
        return [f"{head} {node.heading}: {node.text}"]
    if node.heading and _split_article_title(node.heading) != (node.heading, ""):
        return [head, node.heading]  # a title that reads like a sentence goes on its own line
    rest = node.heading or node.text
    return [f"{head} {rest}" if rest else head]
