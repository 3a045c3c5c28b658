"""Writes to regulations: import of texts, the chain of versions, repeal, the register of superior documents.

The writes a person asks for here (import, repeal, the register) check the person's right
(regulations/access.py) themselves; those reviews/services.py makes for an amendment are checked
there. `user=None` is the system acting on its own (the demo's seeding, the `import_regulation`
command), which needs no right.
"""

import calendar
import dataclasses
import datetime
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from organizations.models import Organization, Term
from quyche import counts
from quyche.text import fold, nfc

from . import diffing, notices, numbering, parsing, pdf
from .access import can_import_regulation, can_keep_register, can_link_model, can_repeal, model_applies_to
from .conformance import conformance_refresh, conformance_store
from .models import (
    ISSUED_STATUSES,
    ImportJob,
    ImportJobStatus,
    Provision,
    ProvisionKind,
    Regulation,
    RegulationKind,
    SuperiorDocument,
    SuperiorDocumentStatus,
    Version,
    VersionStatus,
    normalize_number,
)
from .selectors import body_text, next_number, provision_tree, version_numbered

logger = logging.getLogger(__name__)

# The history reasons of the text a version starts with: an import, or the copy of the text in
# force into a draft ("Dự thảo sửa đổi từ 07-QC/ĐUK"). An article's history shows them as where it
# came from, not as changes (regulations/history.py).
IMPORT_REASON = "Nhập văn bản"
COPY_REASON = "Dự thảo sửa đổi từ"


def _require(user, rule, *args, message: str) -> None:
    """Refuse a person without the right. `user=None` is the system itself, which needs none."""
    if user is not None and not rule(user, *args):
        raise PermissionDenied(message)


@dataclass
class ImportResult:
    version: Version | None
    document: parsing.ParsedDocument

    def summary(self) -> dict:
        doc = self.document
        data = {
            "number": normalize_number(doc.number) or None,
            "issued": doc.issued.isoformat() if doc.issued else None,
            "kind": guess_kind(doc),
            "title": regulation_title(doc),
            **doc.counts(),
        }
        if self.version is not None:
            data["version_id"] = self.version.pk
            data["regulation_id"] = self.version.regulation_id
        return data


def _attached_kind_line(doc: parsing.ParsedDocument) -> str:
    """A regulation issued by a decree or decision is the attached text: its heading names its kind."""
    return doc.attachment_heading.split("\n", 1)[0] if doc.attachment_heading else ""


def guess_kind(doc: parsing.ParsedDocument) -> str:
    """The kind of regulation, from its kind line and subject as the corpus writes them."""
    kind_line = fold(_attached_kind_line(doc) or doc.kind_line)
    subject = fold(f"{kind_line} {doc.title}")
    if "chuong trinh" in kind_line and "kiem tra" in subject:
        return RegulationKind.INSPECTION_PROGRAM
    if "quy che" in kind_line:
        if "phoi hop" in subject:
            return RegulationKind.COORDINATION
        if "mau" in kind_line.split():
            return RegulationKind.MODEL
        if "uy ban kiem tra" in subject or "uy ban kiem tra" in fold(doc.issuing_body):
            return RegulationKind.INSPECTION_RULES
        if "lam viec" in subject:
            return RegulationKind.COMMITTEE_RULES
    return RegulationKind.OTHER


def regulation_title(doc: parsing.ParsedDocument) -> str:
    """ "Quy định về chức năng, nhiệm vụ ..." from the kind line and the subject line."""
    if doc.attachment_heading and doc.title.lower().startswith("ban hành "):
        # "Ban hành Quy chế làm việc của Chính phủ": the decree names what it attaches.
        subject = doc.title[len("ban hành ") :].strip()
        return subject[:1].upper() + subject[1:]
    kind = doc.kind_line.strip().capitalize()
    subject = " ".join(doc.title.split())
    return f"{kind} {subject}".strip() or "Văn bản chưa có tên"


# Names of a committee in a letterhead that mean the same organization as its name in the tree:
# "ĐẢNG ỦY SỞ TƯ PHÁP" issues for "Đảng bộ Sở Tư pháp", "THÀNH ỦY CẦN THƠ" for "Đảng bộ thành phố Cần Thơ".
_COMMITTEE_WORDS = re.compile(r"^(?:ban chap hanh |ban thuong vu )?(?:dang uy|dang bo|chi uy|chi bo) ")
_LOCAL_COMMITTEES = {"thanh uy ": "thanh pho ", "tinh uy ": "tinh ", "quan uy ": "quan ", "huyen uy ": "huyen "}


def _issuer_words(name: str) -> str:
    words = _COMMITTEE_WORDS.sub("", fold(name))
    for committee, place in _LOCAL_COMMITTEES.items():
        if words.startswith(committee):
            return place + words[len(committee) :]
    return words


def letterhead_warning(doc: parsing.ParsedDocument, organization: Organization) -> str:
    """A warning when the letterhead names another issuer than the organization the text is imported for.

    The letterhead is printed as it was read, so a text filed under the wrong organization would
    carry another committee's name on its PDF. A shorter form of the same name is no warning.
    """
    letterhead = " ".join(doc.issuing_body.split())
    if not letterhead:
        return ""
    ours, theirs = f" {_issuer_words(organization.name)} ", f" {_issuer_words(letterhead)} "
    if theirs in ours or ours in theirs:
        return ""
    return (
        f"Tiêu đề văn bản ghi cơ quan ban hành là “{letterhead}”, không phải {organization.name}. "
        "Bản PDF in tiêu đề này; hãy kiểm tra văn bản có đúng của tổ chức đang nhập không."
    )


# What the person importing a text may correct in the preview, over what the parser read.
CORRECTABLE = ("number", "issued", "title", "signer_name")


def corrected(doc: parsing.ParsedDocument, corrections: dict | None) -> parsing.ParsedDocument:
    """The document with the number, date, title (trích yếu) and signer the person corrected."""
    if not corrections:
        return doc
    unknown = set(corrections) - set(CORRECTABLE)
    if unknown:
        raise ValidationError(f"Không sửa được mục {', '.join(sorted(unknown))} khi nhập văn bản.")
    values = {
        name: value if name == "issued" else " ".join(nfc(value or "").split()) for name, value in corrections.items()
    }
    return dataclasses.replace(doc, **values)


def _check_lengths(doc: parsing.ParsedDocument, title: str) -> None:
    """What the columns hold, checked before saving so that a long line is a message, not a failure."""
    for name, value, limit, message in (
        ("number", normalize_number(doc.number), 64, "Số, ký hiệu quá dài (tối đa 64 ký tự)."),
        ("signer_name", doc.signer_name, 100, "Tên người ký quá dài (tối đa 100 ký tự)."),
        ("title", title, 500, "Tên quy chế quá dài (tối đa 500 ký tự); hãy rút gọn trích yếu."),
    ):
        if len(value) > limit:
            raise ValidationError({name: message})


def parse_or_refuse(text: str) -> parsing.ParsedDocument:
    """The one entry to the parser for what a person brings in (the import page and command):
    a text past the caps on length and articles is refused before it is read."""
    if not text or not text.strip():
        raise ValidationError("Văn bản trống: hãy dán nội dung hoặc chọn tệp .txt, .docx.")
    try:
        parsing.check_text(text)
        return parsing.parse_regulation(text)
    except parsing.Refused as error:
        raise ValidationError(str(error)) from None
    except parsing.ParseError as error:
        raise ValidationError(f"Không đọc được văn bản. {error}") from error


def _term_on(organization: Organization, day: datetime.date | None) -> Term | None:
    if day is None:
        return Term.objects.filter(organization=organization).current().first()
    return Term.objects.filter(organization=organization).current(day).first()


@transaction.atomic
def regulation_import(
    *,
    text: str,
    user,
    organization: Organization | None = None,
    regulation: Regulation | None = None,
    kind: str | None = None,
    based_on: Regulation | None = None,
    corrections: dict | None = None,
) -> ImportResult:
    """Import a text as a new regulation of `organization`, or as another version of `regulation`.

    A text with a number and a date is an issued version; the chain of versions is then
    re-read by date, so an older text slots in as replaced and a newer one comes into force.
    `based_on` is the model regulation it adapts (see `regulation_link_model`); `corrections` are
    what the person corrected over what was read (see `CORRECTABLE`), validated as the rest.
    Nothing is saved if any part fails. `user` is who imports it, refused without the right to
    import for the organization; None is the system itself (the demo's seeding, the
    `import_regulation` command), and the text is then recorded as created by no one.
    """
    if regulation is None and organization is None:
        raise ValidationError("Cần chọn tổ chức ban hành hoặc quy chế để thêm phiên bản.")
    _require(
        user,
        can_import_regulation,
        regulation.organization if regulation is not None else organization,
        message="Chỉ văn phòng cấp ủy mới được nhập văn bản.",
    )
    doc = corrected(parse_or_refuse(text), corrections)
    _check_lengths(doc, regulation.title if regulation is not None else regulation_title(doc))
    if regulation is not None:
        regulation = Regulation.objects.select_for_update().get(pk=regulation.pk)
        organization = regulation.organization
    number = normalize_number(doc.number)
    issued = doc.issued if number else None
    term = _term_on(organization, issued)
    if regulation is None:
        regulation = Regulation.objects.create(
            organization=organization,
            kind=kind or guess_kind(doc),
            title=regulation_title(doc),
            term=term,
            created_by=user,
        )
    if based_on is not None:
        regulation_link_model(regulation=regulation, model=based_on, user=user)
    taken = issued and version_numbered(organization=organization, number=number, year=issued.year)
    if taken:
        raise ValidationError({"number": number_taken(taken)})
    version = Version(
        regulation=regulation,
        status=VersionStatus.IN_FORCE if issued else VersionStatus.DRAFT,
        number=number,
        issued=issued,
        effective=issued,
        issuing_organization=organization,
        kind=regulation.kind,
        term=term,
        source_text=text,
        **{name: getattr(doc, name) for name in Version.DOCUMENT_FIELDS},
        created_by=user,
    )
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError as error:
        raise ValidationError({"number": f"Số {number} vừa được dùng cho một văn bản khác trong năm."}) from error
    if issued:
        numbering.number_record(version=version)
    provisions_create(version=version, nodes=doc.provisions, user=user, reason=IMPORT_REASON)
    version.cited_documents.set(recognised_documents(doc.legal_bases))
    neighbour = _neighbour(version)
    if neighbour is not None:
        keys_carry_over(old=neighbour, new=version)
    versions_relink(regulation=regulation)
    version.refresh_from_db()
    return ImportResult(version=version, document=doc)


def import_job_create(
    *,
    text: str,
    user,
    organization: Organization,
    regulation: Regulation | None = None,
    kind: str | None = None,
    based_on: Regulation | None = None,
    corrections: dict | None = None,
) -> ImportJob:
    """A long text's import, to be run by the worker (`import_job_run`) with what `regulation_import` takes.

    What can be refused at once is refused here, as `regulation_import` would refuse it: the right,
    the text, the corrections and a number already used. Queueing it is the caller's (regulations/tasks.py).
    """
    _require(user, can_import_regulation, organization, message="Chỉ văn phòng cấp ủy mới được nhập văn bản.")
    doc = corrected(parse_or_refuse(text), corrections)
    _check_lengths(doc, regulation.title if regulation is not None else regulation_title(doc))
    number = normalize_number(doc.number)
    taken = number and doc.issued and version_numbered(organization=organization, number=number, year=doc.issued.year)
    if taken:
        raise ValidationError({"number": number_taken(taken)})
    stored = {
        name: value.isoformat() if name == "issued" and value else value for name, value in (corrections or {}).items()
    }
    return ImportJob.objects.create(
        user=user,
        organization=organization,
        regulation=regulation,
        text=text,
        kind=kind or "",
        based_on=based_on,
        corrections=stored,
        articles=doc.counts()["articles"],
    )


def import_job_run(*, job: ImportJob) -> ImportJob:
    """Import the job's text as `regulation_import` does, recording when it started, ended and how.

    A job that has ended is left as it is (a task delivered twice imports once). A refusal (a number
    taken meanwhile, a right withdrawn) ends it with the reason; nothing of the text is saved then, and
    the job keeps the text so that the person can import it again without pasting it anew.
    """
    job = ImportJob.objects.select_related("user", "organization", "regulation", "based_on").get(pk=job.pk)
    if job.is_finished:
        return job
    job.status, job.started_at = ImportJobStatus.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    corrections = {
        name: datetime.date.fromisoformat(value) if name == "issued" and value else value
        for name, value in job.corrections.items()
    }
    try:
        result = regulation_import(
            text=job.text,
            user=job.user,
            organization=job.organization,
            regulation=job.regulation,
            kind=job.kind or None,
            based_on=job.based_on,
            corrections=corrections,
        )
    except (ValidationError, PermissionDenied) as error:
        job.status, job.message = ImportJobStatus.FAILED, " ".join(_messages(error))
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        job.status, job.message = ImportJobStatus.FAILED, "Lỗi hệ thống khi nhập văn bản; văn phòng đã được báo."
    else:
        job.status, job.version, job.text = ImportJobStatus.DONE, result.version, ""
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "version", "text", "finished_at"])
    return job


def import_job_expire(*, job: ImportJob) -> ImportJob:
    """Give up a job not ended IMPORT_JOB_TIMEOUT_MINUTES after it was asked for (the worker is down or was
    stopped on it), so that its page stops waiting and offers the text back. A job that has ended, or is
    not that old, is left as it is."""
    deadline = timezone.now() - datetime.timedelta(minutes=settings.IMPORT_JOB_TIMEOUT_MINUTES)
    if job.is_finished or job.created_at > deadline:
        return job
    minutes = settings.IMPORT_JOB_TIMEOUT_MINUTES
    message = f"Máy chủ nền chưa nhập xong văn bản sau {minutes} phút (có thể đang dừng). Hãy nhập lại."
    ImportJob.objects.filter(pk=job.pk, status__in=[ImportJobStatus.QUEUED, ImportJobStatus.RUNNING]).update(
        status=ImportJobStatus.FAILED, message=message, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def _messages(error) -> list[str]:
    return error.messages if isinstance(error, ValidationError) else [str(error)]


def number_taken(existing: Version) -> str:
    """Why a number cannot be given again, naming the text that has it."""
    return (
        f"Số {existing.number} đã được dùng cho “{existing.regulation.title}” ban hành ngày "
        f"{existing.issued:%d/%m/%Y}; mỗi số, ký hiệu chỉ dùng một lần trong năm."
    )


@transaction.atomic
def regulation_link_model(*, regulation: Regulation, model: Regulation | None, user) -> Regulation:
    """Record which model regulation this one adapts, so its conformance can be reported; None unlinks it.

    `user` is who records it, refused without the office's right; None is the system itself.
    """
    _require(user, can_link_model, regulation, message="Chỉ văn phòng cấp ủy mới chọn quy chế mẫu cho quy chế.")
    regulation = Regulation.objects.select_for_update().select_related("organization").get(pk=regulation.pk)
    if model is not None:
        if model.pk == regulation.pk:
            raise ValidationError({"model": "Một quy chế không thể dựa trên chính nó."})
        if model.kind != RegulationKind.MODEL:
            raise ValidationError({"model": "Văn bản được chọn không phải quy chế mẫu."})
        if not model_applies_to(model, regulation.organization):
            raise ValidationError(
                {"model": f"Chỉ chọn được quy chế mẫu của {regulation.organization.name} hoặc của cấp trên."}
            )
    if regulation.based_on_id != (model.pk if model else None):
        regulation.based_on = model
        regulation.save(update_fields=["based_on"])
        conformance_store(Regulation.objects.filter(pk=regulation.pk))
    return regulation


def provisions_create(*, version: Version, nodes, user, reason: str) -> list[Provision]:
    """Save a parsed tree under a version, one bulk insert per level, each row with its history."""
    created, position = [], 0
    at = timezone.now()  # one moment for the whole text, read back as one change (regulations/history.py)
    level = [(node, None) for node in nodes]
    order = {}
    # Positions follow reading order (depth first), so number them before inserting by level.
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        order[id(node)] = position
        position += 1
        stack.extend(reversed(node.children))
    depth = 0
    while level:
        rows = []
        for node, parent in level:
            row = Provision(
                version=version,
                parent=parent,
                article=parent.article if parent is not None else None,
                # A copied provision keeps its identity (and a model's open content); a parsed one gets a new one.
                **({"key": node.key} if getattr(node, "key", None) else {}),
                open_content=getattr(node, "open_content", False),
                kind=node.kind,
                label=node.label,
                heading=node.heading,
                text=node.text,
                position=order[id(node)],
                depth=depth,
            )
            row.prepare()
            rows.append(row)
        rows = bulk_create_with_history(
            rows, Provision, default_user=user, default_change_reason=reason, default_date=at, batch_size=500
        )
        articles = [row for row in rows if row.kind == ProvisionKind.ARTICLE]
        for row in articles:
            row.article = row
        Provision.objects.filter(pk__in=[row.pk for row in articles]).update(article=F("pk"))
        texts_changed()
        created.extend(rows)
        level = [(child, row) for (node, _), row in zip(level, rows, strict=True) for child in node.children]
        depth += 1
    return created


def _neighbour(version: Version) -> Version | None:
    """The version whose provisions this one's are matched against: the one just before it, else after."""
    others = version.regulation.versions.exclude(pk=version.pk).filter(status__in=ISSUED_STATUSES)
    day = version.in_force_from
    if day is None:
        return others.order_by("-effective", "-pk").first() or version.regulation.versions.exclude(pk=version.pk).last()
    return (
        others.filter(effective__lte=day).order_by("-effective", "-pk").first()
        or others.filter(effective__gt=day).order_by("effective", "pk").first()
    )


def keys_carry_over(*, old: Version, new: Version) -> int:
    """Give the new version's articles and clauses the keys of the old ones they continue.

    Articles are matched by content (an article renumbered from 5 to 6 is still itself), then
    the clauses inside each matched pair. Returns the number of provisions matched.
    """
    old_tree, new_tree = provision_tree(old), provision_tree(new)
    matched = _match_level(
        [n for n in old_tree.all if n.kind == ProvisionKind.ARTICLE],
        [n for n in new_tree.all if n.kind == ProvisionKind.ARTICLE],
    )
    pairs = list(matched)
    for old_article, new_article in matched:
        pairs += _match_level(
            [c for c in old_article.nodes if c.kind == ProvisionKind.CLAUSE],
            [c for c in new_article.nodes if c.kind == ProvisionKind.CLAUSE],
        )
    updates = []
    for old_node, new_node in pairs:
        if new_node.key != old_node.key:
            new_node.key = old_node.key
            updates.append(new_node)
    _keys_save(updates)
    return len(pairs)


def _keys_save(provisions: list[Provision], batch: int = 500) -> None:
    """UPDATE ... SET key = CASE id WHEN ... END, in batches, as bulk_update writes it: bulk_update
    builds an ORM expression per row, which for the 1,500 provisions of a long text took longer
    than inserting them."""
    field = Provision._meta.get_field("key")
    table, key, pk = (connection.ops.quote_name(name) for name in (Provision._meta.db_table, field.column, "id"))
    for start in range(0, len(provisions), batch):
        rows = provisions[start : start + batch]
        case = f"CASE {pk} {' '.join(['WHEN %s THEN %s'] * len(rows))} END"
        if connection.features.requires_casted_case_in_updates:
            case = f"CAST({case} AS {field.db_type(connection)})"
        values = [value for row in rows for value in (row.pk, field.get_db_prep_value(row.key, connection))]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {key} = {case} WHERE {pk} IN ({', '.join(['%s'] * len(rows))})",
                [*values, *(row.pk for row in rows)],
            )


def _match_level(old_nodes, new_nodes):
    def item(node):
        return diffing.Item(key=None, label=node.label, heading=node.heading, text=body_text(node))

    pairs = diffing.pair_items([item(node) for node in old_nodes], [item(node) for node in new_nodes])
    return [(old_nodes[old_index], new_nodes[new_index]) for new_index, old_index in sorted(pairs.items())]


def regulations_changed() -> None:
    """Regulations, their versions or what they cite changed: figures kept over many of them are computed afresh."""
    counts.changed("regulations")


def texts_changed() -> None:
    """Provisions were written in bulk (which sends no signal): what is kept of the texts (search) is found afresh."""
    counts.changed("texts")


def versions_relink(*, regulation: Regulation) -> None:
    """Re-read the chain of issued versions by date: each replaces the one before; the last is in force."""
    versions = list(regulation.versions.without_source().order_by("effective", "issued", "pk"))
    issued = [v for v in versions if v.status in ISSUED_STATUSES]
    # One-to-one links are cleared first so that re-ordering never collides with itself.
    Version.objects.filter(pk__in=[v.pk for v in issued]).update(replaces=None)
    previous = None
    for index, version in enumerate(issued):
        later = issued[index + 1 :]
        if version.repealed_on:
            version.status = VersionStatus.REPEALED
        elif later:
            version.status = VersionStatus.REPLACED
        else:
            version.status = VersionStatus.IN_FORCE
        version.replaces = previous
        previous = version
    Version.objects.bulk_update(issued, ["status", "replaces"])
    in_force = [v for v in issued if v.status == VersionStatus.IN_FORCE]
    current = in_force[-1] if in_force else (issued[-1] if issued else (versions[-1] if versions else None))
    text_changed = regulation.current_version_id != (current.pk if current else None)
    regulation.current_version = current
    regulation.next_review_on = next_review(regulation, in_force[-1] if in_force else None)
    # Bookkeeping, not a change of the regulation: no history record (Regulation.history).
    Regulation.objects.filter(pk=regulation.pk).update(
        current_version=current, next_review_on=regulation.next_review_on
    )
    regulations_changed()  # the updates above send no signal
    if text_changed:
        conformance_refresh(regulation=regulation)


def next_review(regulation: Regulation, in_force: Version | None) -> datetime.date | None:
    """Every `review_interval_months` from the text coming into force or its last review, whichever is later."""
    if in_force is None:
        return None
    since = max(filter(None, (in_force.in_force_from, regulation.last_reviewed_on)))
    return add_months(since, regulation.review_interval_months)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def regulation_reviewed(*, regulation: Regulation, on: datetime.date) -> Regulation:
    """A review ended (an amendment issued or not adopted): the next one is due an interval later."""
    regulation = Regulation.objects.select_for_update().get(pk=regulation.pk)
    regulation.last_reviewed_on = on
    Regulation.objects.filter(pk=regulation.pk).update(last_reviewed_on=on)
    versions_relink(regulation=regulation)  # says what changed
    return regulation


@transaction.atomic
def version_repeal(*, version: Version, number: str, day: datetime.date, body: str, user) -> Version:
    """Record the decision that repealed an issued version (e.g. "882-QĐ/TU ... bãi bỏ ...").

    `user` is who records it, refused without the right to repeal; None is the system itself.
    """
    _require(user, can_repeal, version, message="Chỉ văn phòng cấp ủy mới ghi nhận việc bãi bỏ.")
    version = Version.objects.select_for_update().get(pk=version.pk)
    if version.status not in ISSUED_STATUSES:
        raise ValidationError("Chỉ bãi bỏ được văn bản đã ban hành.")
    if version.status == VersionStatus.REPEALED:
        raise ValidationError("Văn bản này đã bị bãi bỏ.")
    number = normalize_number(number)
    if not number or not body.strip():
        raise ValidationError("Cần nhập số, ký hiệu và cơ quan ban hành quyết định bãi bỏ.")
    if day < version.issued:
        raise ValidationError("Ngày bãi bỏ không thể trước ngày ban hành.")
    version.repealed_by_number, version.repealed_on, version.repealed_by_body = number, day, body.strip()
    version.repealed_by = user
    version.status = VersionStatus.REPEALED
    version.save(update_fields=["repealed_by_number", "repealed_on", "repealed_by_body", "repealed_by", "status"])
    versions_relink(regulation=version.regulation)
    notices.version_repealed(version, actor=user)
    return version


@dataclass
class _CopiedNode:
    key: object
    kind: str
    label: str
    heading: str
    text: str
    children: list
    open_content: bool


def version_copy_as_draft(*, version: Version, user) -> Version:
    """A draft that starts as a copy of `version`, each provision keeping its identity."""

    def copy(node):
        children = [copy(c) for c in node.nodes]
        return _CopiedNode(node.key, node.kind, node.label, node.heading, node.text, children, node.open_content)

    fields = ("regulation", "issuing_organization", "kind", "term", *Version.DOCUMENT_FIELDS)
    draft = Version.objects.create(
        status=VersionStatus.DRAFT, created_by=user, **{name: getattr(version, name) for name in fields}
    )
    provisions_create(
        version=draft,
        nodes=[copy(root) for root in provision_tree(version).roots],
        user=user,
        reason=f"{COPY_REASON} {version.number}".strip(),
    )
    return draft


def version_create_empty_draft(*, regulation: Regulation, user) -> Version:
    """The draft of a regulation that has no text yet (a new term's first QCLV)."""
    organization = regulation.organization
    return Version.objects.create(
        regulation=regulation,
        status=VersionStatus.DRAFT,
        issuing_organization=organization,
        kind=regulation.kind,
        term=regulation.term,
        issuing_body=organization.name.upper(),
        kind_line=RegulationKind(regulation.kind).label.split(" của ")[0].upper(),
        title=regulation.title,
        created_by=user,
    )


@transaction.atomic
def version_issue(
    *,
    version: Version,
    issued: datetime.date,
    effective: datetime.date | None = None,
    signer_authority: str,
    signer_position: str,
    signer_name: str,
    user=None,
) -> Version:
    """A draft becomes an issued text: it comes into force and the one before it is replaced.

    Its number comes from the register: the one reserved for it when issuance started, or else the
    series' next, taken now; the register then records it as issued. The text carries exactly the
    signature given here: a draft copied from the text in force still holds that text's signer, who
    may no longer sign. `user` is who issues (None: the system), checked when a number is taken now.
    """
    version = Version.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError("Văn bản này đã được ban hành.")
    entry = numbering.reserved_for(version) or numbering.version_number_reserve(version=version, user=user, on=issued)
    values = issue_check(
        version=version, number=entry.number, issued=issued, effective=effective, signer_authority=signer_authority,
        signer_position=signer_position, signer_name=signer_name,
    )  # fmt: skip
    term = Term.objects.filter(organization=version.issuing_organization).current(issued).first() or version.term
    for name, value in values.items():
        setattr(version, name, value)
    version.term, version.status = term, VersionStatus.IN_FORCE
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError as error:
        # Another office issued with the same number between the check and this save.
        raise ValidationError({"number": f"Số {version.number} vừa được dùng cho một văn bản khác."}) from error
    numbering.number_confirm(entry=entry, issued=issued, signer=version.signer_name)
    versions_relink(regulation=version.regulation)
    version.refresh_from_db()
    return version


def issue_check(
    *,
    version: Version,
    number: str,
    issued: datetime.date,
    effective: datetime.date | None,
    signer_authority: str,
    signer_position: str,
    signer_name: str,
) -> dict:
    """What issuing the draft would write, or a ValidationError saying, field by field, what is wrong.

    Nothing is saved: the issue page shows the result as a preview before the office confirms.
    """
    values = {
        "number": normalize_number(number),
        "issued": issued,
        "effective": effective or issued,
        "signer_authority": " ".join(signer_authority.split()),
        "signer_position": " ".join(signer_position.split()),
        "signer_name": " ".join(signer_name.split()),
    }
    errors = {}
    for name, message in (
        ("number", "Cần nhập số, ký hiệu văn bản."),
        ("signer_authority", "Cần ghi thẩm quyền ký, ví dụ: T/M BAN CHẤP HÀNH."),
        ("signer_position", "Cần ghi chức vụ người ký, ví dụ: BÍ THƯ."),
        ("signer_name", "Cần ghi họ tên người ký."),
    ):
        if not values[name]:
            errors[name] = message
    if values["effective"] < issued:
        errors["effective"] = "Ngày có hiệu lực không thể trước ngày ban hành."
    previous = version.regulation.versions.issued().order_by("-effective", "-pk").first()
    if "effective" not in errors and previous is not None and values["effective"] <= previous.in_force_from:
        since = f"{previous.in_force_from:%d/%m/%Y}"
        errors["effective"] = f"Ngày có hiệu lực phải sau ngày văn bản hiện hành có hiệu lực ({since})."
    organization = version.issuing_organization
    taken = values["number"] and version_numbered(organization=organization, number=values["number"], year=issued.year)
    if taken:
        free = next_number(organization=organization, kind=version.kind, year=issued.year)
        errors["number"] = f"{number_taken(taken)} Số tiếp theo còn trống: {free}."
    if errors:
        raise ValidationError(errors)
    return values


_DOCUMENT_NUMBER = re.compile(r"\b\d+[a-zđ]?(?:/\d{4})?[-/][A-ZĐ]+(?:[-/][A-ZĐ]+)*")


def document_numbers(basis: str) -> set[str]:
    """The numbers of the documents a legal basis cites: {"294-QĐ/TW"} for "Quy định số 294-QĐ/TW ..."."""
    return {normalize_number(match) for match in _DOCUMENT_NUMBER.findall(basis)}


def recognised_documents(legal_bases: list[str]) -> list[SuperiorDocument]:
    """The register's documents whose numbers the legal bases cite ("Quy định số 294-QĐ/TW ...")."""
    numbers = {number for basis in legal_bases for number in document_numbers(basis)}
    return list(SuperiorDocument.objects.filter(number__in=numbers)) if numbers else []


@transaction.atomic
def superior_document_end(
    *, user, document: SuperiorDocument, on: datetime.date, replaced_by: SuperiorDocument | None = None
) -> SuperiorDocument:
    """Record that a superior document was replaced (by another) or repealed; citing texts need review.

    `user` is who records it, refused unless they keep the register; None is the system itself.
    """
    _require(user, can_keep_register, message="Chỉ văn phòng cấp ủy cấp tỉnh cập nhật danh mục văn bản cấp trên.")
    document = SuperiorDocument.objects.select_for_update().get(pk=document.pk)
    if document.status != SuperiorDocumentStatus.IN_FORCE:
        raise ValidationError(f"{document.number} đã hết hiệu lực từ trước.")
    if replaced_by is not None and replaced_by.pk == document.pk:
        raise ValidationError("Văn bản không thể tự thay thế chính nó.")
    document.status = SuperiorDocumentStatus.REPLACED if replaced_by else SuperiorDocumentStatus.REPEALED
    document.replaced_by, document.status_changed_on, document.ended_by = replaced_by, on, user
    document.save(update_fields=["status", "replaced_by", "status_changed_on", "ended_by"])
    return document


@transaction.atomic
def version_pdf_store(*, version: Version) -> Version:
    """Print an issued text once and keep the file; a draft is printed afresh each time it is asked for."""
    version = Version.objects.select_for_update().get(pk=version.pk)
    if version.status == VersionStatus.DRAFT:
        raise ValidationError("Dự thảo không được lưu bản PDF cố định.")
    if not version.pdf:
        version.pdf.save(pdf.version_pdf_filename(version), ContentFile(pdf.render_version(version)), save=False)
        version.save(update_fields=["pdf"])
    return version


def version_pdf_requested(*, version: Version) -> bool:
    """Mark an issued text's PDF as being made; False when it already is (so it is queued once).

    A request older than PDF_STALE is taken as lost (a worker stopped) and may be made again.
    """
    now = timezone.now()
    waiting = Q(pdf_requested_at__isnull=True) | Q(pdf_requested_at__lt=now - PDF_STALE)
    if not Version.objects.filter(waiting, pk=version.pk, pdf="").update(pdf_requested_at=now):
        return False
    version.pdf_requested_at = now
    return True


PDF_STALE = datetime.timedelta(minutes=10)


def version_pdf_request_dropped(*, version: Version) -> None:
    """The request could not be queued (the broker is down): no longer "being made", so a new one queues it."""
    Version.objects.filter(pk=version.pk, pdf="").update(pdf_requested_at=None)
    version.pdf_requested_at = None


@transaction.atomic
def superior_document_create(*, user, number: str, issued, issuer: str, title: str) -> SuperiorDocument:
    """Add a document to the register and link the texts that already cite it as a legal basis.

    `user` is who adds it, refused unless they keep the register; None is the system itself.
    """
    _require(user, can_keep_register, message="Chỉ văn phòng cấp ủy cấp tỉnh cập nhật danh mục văn bản cấp trên.")
    number = normalize_number(number)
    if not _DOCUMENT_NUMBER.fullmatch(number):
        raise ValidationError({"number": "Số, ký hiệu chưa đúng dạng (ví dụ: 294-QĐ/TW, 191/2026/NĐ-CP)."})
    if SuperiorDocument.objects.filter(number=number).exists():
        raise ValidationError({"number": f"{number} đã có trong danh mục."})
    document = SuperiorDocument.objects.create(
        number=number, issued=issued, issuer=issuer.strip(), title=title.strip(), created_by=user
    )
    # JSON may store "Đ" escaped, so narrow by the number's digits and read the bases themselves.
    digits = re.match(r"\d+", number).group()
    for version in Version.objects.filter(legal_bases__icontains=digits).only("pk", "legal_bases"):
        if document in recognised_documents(version.legal_bases):
            version.cited_documents.add(document)
    return document
