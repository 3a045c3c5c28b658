"""The papers filed with an amendment, written from the workflow's data in the party's format (Hướng dẫn
36-HD/VPTW): the Tờ trình from the dossier, the Báo cáo tổng hợp, tiếp thu, giải trình from the opinions,
the Biên bản of the decision's meeting and vote, and the Quyết định that issues the text.

`generated` writes a paper's editable parts (subject, body, recipients, signer) from the data; the office
edits them as a draft (services `paper_save`) and issues it (`paper_finalize`), which prints it once as PDF
(`render_pdf`, templates/pdf/paper.html) and DOCX (`render_docx`, with regulations/word.py's writer).
The body is plain text, one paragraph per line; `paragraphs` reads its headings for both renderings.
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass
from html import unescape

from django.utils import timezone

from organizations.models import BodyKind, Position, Role, body_name
from organizations.selectors import secretary
from quyche.text import fold
from regulations import word
from regulations.models import DOCUMENT_CODE, RegulationKind
from regulations.pdf import render

from .models import Amendment, AmendmentStatus, ArticleChange, DispositionKind, Event, PaperKind
from .selectors import synthesis_rows

# Each kind of paper is numbered in its own series of the organization's register.
SERIES = {PaperKind.SUBMISSION: "TTr", PaperKind.SYNTHESIS_REPORT: "BC", PaperKind.MINUTES: "BB",
          PaperKind.DECISION: "QĐ"}  # fmt: skip
KIND_LINE = {PaperKind.SUBMISSION: "Tờ trình", PaperKind.SYNTHESIS_REPORT: "Báo cáo", PaperKind.MINUTES: "Biên bản",
             PaperKind.DECISION: "Quyết định"}  # fmt: skip
EDITABLE = ("subject", "body", "recipients", "signer_authority", "signer_position", "signer_name")


def day_in_words(day: datetime.date) -> str:
    """ "ngày 09 tháng 5 năm 2026": how the party's papers write a date in their text."""
    return f"ngày {day:%d} tháng {day.month} năm {day.year}"


def name_of(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


# What each paper needs before it can be written ---------------------------------------------------------


def decision_event(amendment: Amendment) -> Event | None:
    """The meeting that voted on the amendment: the last event of a decision stage with its votes."""
    return (
        amendment.events.filter(votes_for__isnull=False, from_stage__kind="decision")
        .select_related("from_stage")
        .order_by("-at", "-pk")
        .first()
    )


def unavailable(amendment: Amendment, kind: str) -> str:
    """Why this paper cannot be written yet; empty when it can."""
    if kind == PaperKind.MINUTES and decision_event(amendment) is None:
        return "Chưa có hội nghị biểu quyết thông qua dự thảo để lập biên bản."
    if kind == PaperKind.DECISION and amendment.status != AmendmentStatus.ISSUED:
        return "Văn bản chưa được ban hành: quyết định ban hành được lập sau khi vào số và ban hành."
    return ""


# The generated text ------------------------------------------------------------------------------------

_BLOCK_END = re.compile(r"</(p|li|h3|h4|tr|blockquote)>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")


def lines_of(html: str) -> list[str]:
    """The dossier's formatted text (sanitised HTML) as plain lines, list items as dashes."""
    text = re.sub(r"<li[^>]*>", "- ", html or "", flags=re.I)
    text = _TAG.sub("", _BLOCK_END.sub("\n", text))
    return [" ".join(unescape(line).split()) for line in text.splitlines() if line.strip()]


def generated(amendment: Amendment, kind: str) -> dict:
    """The paper's editable parts as the data of the workflow writes them."""
    return {
        PaperKind.SUBMISSION: _submission,
        PaperKind.SYNTHESIS_REPORT: _synthesis_report,
        PaperKind.MINUTES: _minutes,
        PaperKind.DECISION: _decision,
    }[kind](amendment)


def _regulation_name(amendment: Amendment) -> str:
    base = amendment.base_version
    title = amendment.regulation.title
    return f"{title} (số {base.number} ngày {base.issued:%d/%m/%Y})" if base and base.number else title


def _executive(amendment: Amendment) -> str:
    organization = amendment.regulation.organization
    return f"{body_name(BodyKind.EXECUTIVE, organization.kind)} {organization.name}"


def _chair(amendment: Amendment):
    seat = amendment.working_group.filter(role="chair").select_related("user").first()
    return seat.user if seat else None


def _changes_lines(amendment: Amendment) -> list[str]:
    changes = list(amendment.changes.order_by("at", "pk"))
    if not changes:
        return ["Dự thảo chưa có thay đổi nào so với văn bản hiện hành."]
    counts = Counter(change.kind for change in {change.article_key: change for change in changes}.values())
    summary = ", ".join(f"{ArticleChange.Kind(kind).label.lower()} {count} điều" for kind, count in counts.items())
    lines = [f"Dự thảo {summary}, cụ thể:"]
    for change in changes:
        lines.append(f"- {change.get_kind_display()} Điều {change.article_label}: {change.reason}")
    return lines


def _opinion_counts(amendment: Amendment) -> dict:
    requests = list(amendment.requests.select_related("organization"))
    comments = list(amendment.comments.filter(parent__isnull=True).select_related("disposition"))
    dispositions = Counter(getattr(c, "disposition", None) and c.disposition.kind for c in comments)
    return {
        "asked": len(requests),
        "asked_people": sum(1 for r in requests if r.user_id),
        "asked_organizations": sum(1 for r in requests if r.organization_id),
        "answered": sum(1 for r in requests if r.answered_at),
        "no_comment": sum(1 for r in requests if r.no_comment),
        "comments": len(comments),
        "accepted": dispositions[DispositionKind.ACCEPTED],
        "explained": dispositions[DispositionKind.EXPLAINED],
        "pending": dispositions[None],
    }


def _opinion_lines(counts: dict) -> list[str]:
    return [
        f"Tổ công tác đã gửi phiếu lấy ý kiến đến {counts['asked']} nơi ({counts['asked_people']} đồng chí, "
        f"{counts['asked_organizations']} tổ chức); {counts['answered']} nơi đã trả lời, trong đó "
        f"{counts['no_comment']} nơi không có ý kiến; {counts['asked'] - counts['answered']} nơi chưa trả lời.",
        f"Tổng số {counts['comments']} ý kiến góp ý: tiếp thu {counts['accepted']} ý kiến; giải trình "
        f"{counts['explained']} ý kiến; chưa tiếp thu, giải trình {counts['pending']} ý kiến.",
    ]


def _submission(amendment: Amendment) -> dict:
    name = _regulation_name(amendment)
    lines = [f"Kính gửi: {_executive(amendment)}", "I. SỰ CẦN THIẾT, LÝ DO SỬA ĐỔI, BỔ SUNG"]
    lines += lines_of(amendment.reason) or [f"Sửa đổi, bổ sung {name} cho phù hợp với tình hình thực tế."]
    if amendment.superior_documents:
        lines += ["Các văn bản của cấp trên ban hành từ khi có quy chế:", *lines_of(amendment.superior_documents)]
    if amendment.matters_arising:
        lines += ["Những vấn đề mới phát sinh quy chế chưa quy định:", *lines_of(amendment.matters_arising)]
    lines += [f"II. ĐÁNH GIÁ VIỆC THỰC HIỆN {name.upper()}"]
    for heading, field in (("1. Ưu điểm", "strengths"), ("2. Hạn chế, khuyết điểm và nguyên nhân", "shortcomings"),
                           ("3. Bài học kinh nghiệm", "lessons")):  # fmt: skip
        lines += [heading, *(lines_of(getattr(amendment, field)) or ["(Chưa có nội dung.)"])]
    lines += ["III. NỘI DUNG CHỦ YẾU CỦA VIỆC SỬA ĐỔI, BỔ SUNG", *_changes_lines(amendment)]
    lines += ["IV. VIỆC LẤY Ý KIẾN VÀ TIẾP THU, GIẢI TRÌNH", *_opinion_lines(_opinion_counts(amendment))]
    lines += ["V. ĐỀ NGHỊ"]
    lines += lines_of(amendment.submission) or [
        f"Tổ công tác kính trình {_executive(amendment)} xem xét, thông qua dự thảo sửa đổi, bổ sung {name}."
    ]
    chair = _chair(amendment)
    return {
        "subject": f"về việc sửa đổi, bổ sung {name}",
        "body": "\n".join(lines),
        "recipients": "\n".join(["Như trên", "Lưu Văn phòng"]),
        "signer_authority": "T/M TỔ CÔNG TÁC",
        "signer_position": "TỔ TRƯỞNG",
        "signer_name": name_of(chair),
    }


def _synthesis_report(amendment: Amendment) -> dict:
    counts = _opinion_counts(amendment)
    lines = ["I. TÌNH HÌNH LẤY Ý KIẾN", *_opinion_lines(counts), "II. SỐ Ý KIẾN THEO TỪNG NƠI GÓP Ý"]
    by_source = Counter()
    groups = synthesis_rows(amendment)
    for _place, comments in groups:
        for comment in comments:
            organization = comment.request.organization if comment.request_id and comment.request else None
            by_source[organization.name if organization else f"Đồng chí {comment.author}"] += 1
    lines += [f"- {source}: {count} ý kiến" for source, count in by_source.most_common()] or ["Không có ý kiến."]
    lines += ["III. NỘI DUNG GÓP Ý VÀ VIỆC TIẾP THU, GIẢI TRÌNH"]
    number = 0
    for place, comments in groups:
        lines.append(place)
        for comment in comments:
            number += 1
            organization = comment.request.organization if comment.request_id and comment.request else None
            who = f"Đồng chí {comment.author}" + (f" ({organization.name})" if organization else "")
            said = " ".join(comment.text.split())
            if comment.is_suggestion:
                wording = f": “{' '.join(comment.proposed_text.split())}”" if comment.proposed_text else ""
                said = f"{comment.get_suggestion_display()}{wording}. Lý do: {said}"
            lines.append(f"{number}. {who}: {said}")
            disposition = getattr(comment, "disposition", None)
            if disposition is None:
                lines.append("- Chưa tiếp thu, giải trình.")
            else:
                explanation = " ".join(disposition.explanation.split())
                lines.append(f"- {disposition.get_kind_display()}" + (f": {explanation}" if explanation else "."))
    chair = _chair(amendment)
    return {
        "subject": f"tổng hợp, tiếp thu, giải trình ý kiến góp ý đối với dự thảo sửa đổi, bổ sung "
        f"{_regulation_name(amendment)}",
        "body": "\n".join(lines),
        "recipients": "\n".join([_executive(amendment), "Lưu Văn phòng"]),
        "signer_authority": "T/M TỔ CÔNG TÁC",
        "signer_position": "TỔ TRƯỞNG",
        "signer_name": name_of(chair),
    }


def sitting_people(amendment: Amendment, body_kind: str, on: datetime.date) -> list[str]:
    """The names of the body's members that day, from the positions, the Bí thư first; each once."""
    positions = (
        Position.objects.active(on)
        .filter(body__organization=amendment.regulation.organization, body__kind=body_kind)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    names: dict[int, str] = {}
    for position in sorted(positions, key=lambda p: p.role != Role.SECRETARY):
        names.setdefault(position.user_id, name_of(position.user))
    return list(names.values())


def _minutes(amendment: Amendment) -> dict:
    event = decision_event(amendment)
    stage, day = event.from_stage, event.meeting_date
    organization = amendment.regulation.organization
    body = f"{body_name(stage.body_kind, organization.kind)} {organization.name}"
    noun = stage.members_noun
    total, present = event.members_total or 0, event.members_present or 0
    names = [] if stage.general_meeting else sitting_people(amendment, stage.body_kind, day)
    lines = [
        f"Vào {day_in_words(day)}, {body} họp hội nghị để biểu quyết thông qua dự thảo sửa đổi, bổ sung "
        f"{_regulation_name(amendment)}.",
        "I. THÀNH PHẦN",
        f"Tổng số {noun}: {total} đồng chí; có mặt: {present} đồng chí; vắng mặt: {total - present} đồng chí.",
    ]
    if names and present == total:
        lines.append(f"Có mặt: các đồng chí {', '.join(names)}.")
    elif names:
        lines += [
            f"Danh sách {noun}: các đồng chí {', '.join(names)}.",
            f"Vắng mặt ({total - present} đồng chí): ……… (ghi họ tên, lý do).",
        ]
    chair = secretary(organization, on=day)
    lines += [f"Chủ trì hội nghị: đồng chí {name_of(chair) or '………'}."]
    votes_for, against, abstain = event.votes_for or 0, event.votes_against or 0, event.votes_abstain or 0
    adopted = event.to_status == AmendmentStatus.ADOPTED
    lines += [
        "II. KẾT QUẢ KIỂM PHIẾU",
        f"Số {noun} tham gia biểu quyết: {votes_for + against + abstain}/{present} đồng chí có mặt.",
        f"- Tán thành: {votes_for}/{total} đồng chí ({_percent(votes_for, total)} tổng số {noun});",
        f"- Không tán thành: {against}/{total} đồng chí ({_percent(against, total)});",
        f"- Không biểu quyết: {abstain}/{total} đồng chí ({_percent(abstain, total)}).",
        "III. KẾT LUẬN",
        (
            f"Dự thảo sửa đổi, bổ sung {_regulation_name(amendment)} được thông qua với {votes_for}/{total} "
            f"{noun} tán thành (quá một nửa tổng số {noun})."
            if adopted
            else f"Dự thảo sửa đổi, bổ sung {_regulation_name(amendment)} không được thông qua."
        ),
        f"Hội nghị kết thúc {day_in_words(day)}. Biên bản đã được đọc lại cho hội nghị nghe và nhất trí.",
    ]
    return {
        "subject": f"hội nghị {body_name(stage.body_kind, organization.kind)} biểu quyết thông qua dự thảo sửa đổi, "
        f"bổ sung {_regulation_name(amendment)}",
        "body": "\n".join(lines),
        "recipients": "\n".join(["Lưu hồ sơ hội nghị", "Lưu Văn phòng"]),
        "signer_authority": "CHỦ TRÌ HỘI NGHỊ",
        "signer_position": "",
        "signer_name": name_of(chair),
    }


def _filed(recipients: list[str]) -> list[str]:
    """ "Lưu Văn phòng", unless the list already says where the paper is filed."""
    return [] if any(item.strip().lower().startswith("lưu") for item in recipients) else ["Lưu Văn phòng"]


def _percent(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.2f}".replace(".", ",") + "%" if whole else "0%"


def _decision(amendment: Amendment) -> dict:
    version = amendment.draft
    organization = amendment.regulation.organization
    executive = body_name(BodyKind.EXECUTIVE, organization.kind)
    kind_name = RegulationKind(version.kind).label.split(" của ")[0]
    if DOCUMENT_CODE[version.kind] == "QC":
        kind_name = "Quy chế"
    effective = version.effective or version.issued
    lines = ["- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;"]
    lines += [f"- {basis.rstrip(' ;,.')};" for basis in version.legal_bases if "Điều lệ Đảng" not in basis]
    lines += [f"- Xét đề nghị của Văn phòng {organization.name},"]
    lines += [f"{executive.upper()} {organization.name.upper()} QUYẾT ĐỊNH:"]
    lines += [
        f"Điều 1. Ban hành kèm theo Quyết định này {kind_name} số {version.number} {day_in_words(version.issued)}: "
        f"{amendment.regulation.title}.",
        f"Điều 2. Quyết định có hiệu lực từ {day_in_words(effective)}"
        + (
            f"; {kind_name} số {version.replaces.number} {day_in_words(version.replaces.issued)} hết hiệu lực kể từ "
            "ngày này."
            if version.replaces_id and version.replaces.number
            else "."
        ),
        "Điều 3. Các đồng chí cấp ủy viên, các cơ quan tham mưu, giúp "
        f"việc và các tổ chức đảng trực thuộc {organization.name} chịu trách nhiệm thi hành Quyết định này.",
    ]
    return {
        "subject": f"ban hành {amendment.regulation.title}",
        "body": "\n".join(lines),
        "recipients": "\n".join(["Như Điều 3", *version.recipients, *_filed(version.recipients)]),
        "signer_authority": version.signer_authority,
        "signer_position": version.signer_position,
        "signer_name": version.signer_name,
    }


# Reading the body and printing ---------------------------------------------------------------------------

_ROMAN = re.compile(r"^(?:[IVX]+)\.\s")
_ARTICLE = re.compile(r"^(Điều\s+\d+[a-zđ]?\.)(.*)$")


@dataclass
class Paragraph:
    """A line of a paper's body as both renderings lay it out."""

    style: str  # "heading" (I., II.), "center" (Kính gửi, the enacting line), "article", "text"
    text: str
    lead: str = ""  # an article's "Điều 1.", in bold before its text


def paragraphs(body: str) -> list[Paragraph]:
    result = []
    for line in body.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        if _ROMAN.match(line):
            result.append(Paragraph("heading", line))
        elif line.startswith("Kính gửi") or (line.endswith(":") and line.upper() == line and len(line) > 12):
            result.append(Paragraph("center", line))
        elif match := _ARTICLE.match(line):
            result.append(Paragraph("article", match.group(2).strip(), lead=match.group(1)))
        else:
            result.append(Paragraph("text", line))
    return result


@dataclass
class Sheet:
    """What a paper prints, final or draft: the letterhead, the kind, the text and the closing."""

    kind: str
    superior_body: str
    issuing_body: str
    number_line: str
    place_and_date: str
    kind_line: str
    subject: str
    paragraphs: list
    recipients: list
    signer_authority: str
    signer_position: str
    signer_name: str
    draft: bool


def sheet(amendment: Amendment, kind: str, values: dict, *, number: str = "", issued=None) -> Sheet:
    """The paper laid out: `values` are its editable parts; `number` and `issued` once it is final."""
    draft_version, organization = amendment.draft, amendment.regulation.organization
    place = draft_version.place
    if issued:
        date = f"ngày {issued:%d} tháng {issued:%m} năm {issued:%Y}"
    else:
        blank = "\u00a0" * 6
        date = f"ngày{blank}tháng{blank}năm {timezone.localdate():%Y}"
    number_line = f"Số {number}" if number else f"Số\u00a0\u00a0\u00a0\u00a0-{SERIES[kind]}/{organization.symbol}"
    return Sheet(
        kind=kind,
        superior_body=draft_version.superior_body,
        issuing_body=draft_version.issuing_body or organization.name,
        number_line=number_line,
        place_and_date=f"{place}, {date}" if place else date[0].upper() + date[1:],
        kind_line=KIND_LINE[kind],
        subject=values["subject"],
        paragraphs=paragraphs(values["body"]),
        recipients=[line.strip(" -,.") for line in values["recipients"].splitlines() if line.strip(" -,.")],
        signer_authority=values["signer_authority"],
        signer_position=values["signer_position"],
        signer_name=values["signer_name"],
        draft=not number,
    )


def render_pdf(page: Sheet) -> bytes:
    return render("pdf/paper.html", {"sheet": page})


def render_docx(page: Sheet) -> bytes:
    document = word.WordDocument(title=f"{page.kind_line} {page.number_line} {page.subject}")
    document.letterhead(
        superior=page.superior_body, issuing=page.issuing_body, number=page.number_line,
        place_and_date=page.place_and_date, mark="DỰ THẢO" if page.draft else "",
    )  # fmt: skip
    document.paragraph([page.kind_line], style="Title")
    document.paragraph([page.subject], style="Subtitle")
    for paragraph in page.paragraphs:
        if paragraph.style == "heading":
            document.paragraph([word.Run(paragraph.text, bold=True)], style="NoiDung", keep_next=True)
        elif paragraph.style == "center":
            document.paragraph([word.Run(paragraph.text, bold=True)], style="NoiDung", align="center", indent=False)
        elif paragraph.style == "article":
            document.paragraph([word.Run(paragraph.lead + " ", bold=True), paragraph.text], style="NoiDung")
        else:
            document.paragraph([paragraph.text], style="NoiDung")
    document.paragraph(style="NoiDung")
    document.closing(
        recipients=page.recipients, authority=page.signer_authority, position=page.signer_position,
        name=page.signer_name,
    )  # fmt: skip
    return document.save()


def filename(amendment: Amendment, kind: str, number: str, extension: str) -> str:
    """ "to-trinh-03-TTR-DUK.pdf" once numbered, "to-trinh-ho-so-12.pdf" as a draft: ASCII, safe in any header."""
    tail = re.sub(r"[^A-Za-z0-9]+", "-", fold(number).upper()).strip("-") if number else f"ho-so-{amendment.pk}"
    return f"{kind}-{tail}.{extension}"


def content(amendment: Amendment, kind: str, extension: str, paper=None) -> bytes:
    """The paper as a file: an issued one's kept file, else the draft (as saved, or as generated) printed now.

    Raises ValueError when the paper cannot be written yet (`unavailable`).
    """
    if paper is not None and paper.is_final:
        with (paper.pdf if extension == "pdf" else paper.docx).open("rb") as stored:
            return stored.read()
    reason = unavailable(amendment, kind)
    if reason:
        raise ValueError(reason)
    values = {name: getattr(paper, name) for name in EDITABLE} if paper else generated(amendment, kind)
    page = sheet(amendment, kind, values)
    return render_pdf(page) if extension == "pdf" else render_docx(page)
