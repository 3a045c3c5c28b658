"""Regulation documents over their life: versions, and the text of each as a tree of provisions."""

import re
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from organizations.models import Organization, Term
from quyche.text import fold, nfc


class RegulationKind(models.TextChoices):
    COMMITTEE_RULES = "committee_rules", "Quy chế làm việc của cấp ủy"
    INSPECTION_RULES = "inspection_rules", "Quy chế làm việc của Ủy ban Kiểm tra"
    COORDINATION = "coordination", "Quy chế phối hợp"
    MODEL = "model", "Quy chế mẫu"
    INSPECTION_PROGRAM = "inspection_program", "Chương trình kiểm tra, giám sát"
    OTHER = "other", "Quy định khác"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    IN_FORCE = "in_force", "Có hiệu lực"
    REPLACED = "replaced", "Đã được thay thế"
    REPEALED = "repealed", "Đã bị bãi bỏ"


ISSUED_STATUSES = (VersionStatus.IN_FORCE, VersionStatus.REPLACED, VersionStatus.REPEALED)

# The kind of document in a number ("07-QC/ĐUK"): each organization numbers each kind on its own.
DOCUMENT_CODE = {
    RegulationKind.COMMITTEE_RULES: "QC",
    RegulationKind.INSPECTION_RULES: "QC",
    RegulationKind.COORDINATION: "QC",
    RegulationKind.MODEL: "QC",
    RegulationKind.INSPECTION_PROGRAM: "CTr",
    RegulationKind.OTHER: "QĐ",
}

_SYMBOL_SPACES = re.compile(r"\s*([-/])\s*")


def normalize_number(number: str) -> str:
    """ "01 -QC/ĐU" and "01- QC / ĐU" are written for "01-QC/ĐU"."""
    return _SYMBOL_SPACES.sub(r"\1", nfc(number).strip()).removeprefix("Số:").removeprefix("Số").strip()


class RegulationQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("organization", "term", "current_version").defer("current_version__source_text")


class Regulation(models.Model):
    """Quy chế: one regulation over its life, through all its versions."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="regulations", verbose_name="tổ chức ban hành"
    )
    parties = models.ManyToManyField(
        Organization, blank=True, related_name="coordination_regulations", verbose_name="các bên phối hợp"
    )
    kind = models.CharField("loại", max_length=32, choices=RegulationKind.choices)
    title = models.CharField("tên", max_length=500)
    title_folded = models.CharField(max_length=500, editable=False, db_index=True, verbose_name="tên không dấu")
    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, null=True, blank=True, related_name="regulations", verbose_name="nhiệm kỳ"
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adaptations",
        verbose_name="dựa trên quy chế mẫu",
        limit_choices_to={"kind": RegulationKind.MODEL},
    )
    review_interval_months = models.PositiveSmallIntegerField("chu kỳ rà soát (tháng)", default=6)
    # When the text was last reviewed (an amendment ended) and when it is next due: kept by the
    # services, so that dashboards and reminders over thousands of organizations filter in SQL.
    last_reviewed_on = models.DateField("rà soát lần gần nhất", null=True, blank=True, editable=False)
    next_review_on = models.DateField("hạn rà soát tiếp theo", null=True, blank=True, editable=False, db_index=True)
    # The version readers mean by "the regulation": the one in force, else the newest.
    current_version = models.ForeignKey(
        "Version",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name="văn bản hiện hành",
    )
    # How far the current text keeps to its model's current text, in per cent (regulations/conformance.py):
    # kept by the services whenever either text changes, so that a dashboard over thousands of
    # organizations reads a number instead of comparing texts. Empty when not based on a model with text.
    conformance = models.PositiveSmallIntegerField("mức phù hợp quy chế mẫu (%)", null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="tạo lúc")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="người tạo"
    )

    objects = RegulationQuerySet.as_manager()
    # What a person may change (in the admin): the dates and the current version are the services' bookkeeping.
    history = HistoricalRecords(
        excluded_fields=["title_folded", "last_reviewed_on", "next_review_on", "current_version", "conformance"],
        verbose_name="lịch sử quy chế",
        verbose_name_plural="lịch sử quy chế",
    )

    class Meta:
        verbose_name = "quy chế"
        verbose_name_plural = "quy chế"
        ordering = ["organization", "kind", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RegulationKind.values), name="regulation_kind_valid"),
            models.CheckConstraint(condition=Q(review_interval_months__gte=1), name="review_interval_positive"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.title = nfc(self.title).strip()
        self.title_folded = fold(self.title)
        super().save(*args, **kwargs)

    @property
    def is_model(self) -> bool:
        return self.kind == RegulationKind.MODEL


class RegulationUserObjectPermission(UserObjectPermissionBase):
    """Reading one regulation granted to a person outside its organization (a working-group member)."""

    content_object = models.ForeignKey(Regulation, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "quyền của một người trên quy chế"
        verbose_name_plural = "quyền của một người trên quy chế"


class SuperiorDocumentStatus(models.TextChoices):
    IN_FORCE = "in_force", "Còn hiệu lực"
    REPLACED = "replaced", "Đã được thay thế"
    REPEALED = "repealed", "Đã bị bãi bỏ"


class SuperiorDocument(models.Model):
    """A superior document regulations cite as a legal basis (căn cứ), e.g. Quy định 294-QĐ/TW."""

    number = models.CharField("số, ký hiệu", max_length=64, unique=True)
    issued = models.DateField("ngày ban hành", null=True, blank=True)
    issuer = models.CharField("cơ quan ban hành", max_length=255, blank=True)
    title = models.CharField("trích yếu", max_length=500, blank=True)
    status = models.CharField(
        "hiệu lực", max_length=16, choices=SuperiorDocumentStatus.choices, default=SuperiorDocumentStatus.IN_FORCE
    )
    replaced_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaces",
        verbose_name="được thay thế bởi",
    )  # fmt: skip
    status_changed_on = models.DateField("ngày hết hiệu lực", null=True, blank=True)
    # Who acted; empty for what the system did, and for what was recorded before these were kept.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="người thêm vào danh mục",
    )  # fmt: skip
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="người ghi nhận hết hiệu lực",
    )  # fmt: skip

    class Meta:
        verbose_name = "văn bản cấp trên"
        verbose_name_plural = "văn bản cấp trên (căn cứ)"
        ordering = ["-issued", "number"]

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    @property
    def is_in_force(self) -> bool:
        return self.status == SuperiorDocumentStatus.IN_FORCE


class VersionQuerySet(models.QuerySet):
    def issued(self):
        return self.filter(status__in=ISSUED_STATUSES)

    def without_source(self):
        """The imported source text is large and only the import page needs it."""
        return self.defer("source_text")


class Version(models.Model):
    """One text of a regulation: a draft, or an issued version with its number and date."""

    # The parts of the document around its articles, named as the parser names them.
    DOCUMENT_FIELDS = (
        "superior_body", "issuing_body", "place", "kind_line", "title", "legal_bases", "enacting",
        "signer_authority", "signer_position", "signer_name", "recipients",
    )  # fmt: skip

    regulation = models.ForeignKey(
        Regulation, on_delete=models.CASCADE, related_name="versions", verbose_name="quy chế"
    )
    status = models.CharField("trạng thái", max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    number = models.CharField("số, ký hiệu", max_length=64, blank=True)
    issued = models.DateField("ngày ban hành", null=True, blank=True)
    effective = models.DateField("ngày có hiệu lực", null=True, blank=True)
    # The year of `issued`, kept by save(), so that the database keeps numbers unique per issuer and year.
    # A column rather than an index on the year of `issued`: on SQLite that index would call a function
    # only Django's connections know, and any other client writing the table would fail.
    issued_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False, verbose_name="năm ban hành")
    # Copied from the regulation when the text is made: who issues it, what kind, in which term.
    issuing_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="tổ chức ban hành"
    )
    kind = models.CharField(max_length=32, choices=RegulationKind.choices, verbose_name="loại")
    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="nhiệm kỳ"
    )

    superior_body = models.CharField("cơ quan cấp trên", max_length=255, blank=True)
    issuing_body = models.CharField("cơ quan ban hành", max_length=255, blank=True)
    place = models.CharField("địa danh", max_length=100, blank=True)
    kind_line = models.CharField("tên loại văn bản", max_length=100, blank=True)
    title = models.TextField("trích yếu", blank=True)
    legal_bases = models.JSONField("căn cứ", default=list, blank=True)
    enacting = models.TextField("câu ban hành", blank=True)
    signer_authority = models.CharField("thẩm quyền ký", max_length=100, blank=True)
    signer_position = models.CharField("chức vụ người ký", max_length=100, blank=True)
    signer_name = models.CharField("người ký", max_length=100, blank=True)
    recipients = models.JSONField("nơi nhận", default=list, blank=True)
    cited_documents = models.ManyToManyField(
        SuperiorDocument, blank=True, related_name="citing_versions", verbose_name="văn bản căn cứ đã nhận ra"
    )

    replaces = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced_by", verbose_name="thay thế"
    )
    repealed_by_number = models.CharField("bãi bỏ theo văn bản số", max_length=64, blank=True)
    repealed_on = models.DateField("ngày bãi bỏ", null=True, blank=True)
    repealed_by_body = models.CharField("cơ quan bãi bỏ", max_length=255, blank=True)
    repealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="người ghi nhận bãi bỏ",
    )  # fmt: skip

    source_text = models.TextField("văn bản gốc khi nhập", blank=True)
    # An issued text is printed once and kept: the file is what was filed and sent.
    pdf = models.FileField("bản PDF", upload_to="pdf/versions/", blank=True, editable=False)
    pdf_requested_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name="yêu cầu in PDF lúc")
    # Kept by version_correct, so that the page looks for corrections only where there are some.
    last_corrected_at = models.DateTimeField("đính chính lần gần nhất", null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="tạo lúc")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="người tạo"
    )

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = "phiên bản"
        verbose_name_plural = "phiên bản"
        ordering = ["regulation", "effective", "issued", "pk"]
        constraints = [
            # An organization numbers its documents anew each year, one series per kind of document;
            # the kind is part of the number ("07-QC/ĐUK"), so the same number is the same kind too.
            models.UniqueConstraint(
                fields=["issuing_organization", "issued_year", "number"],
                condition=~Q(number=""),
                name="unique_number_per_issuer_and_year",
            ),
            models.CheckConstraint(
                condition=Q(status=VersionStatus.DRAFT) | Q(issued__isnull=False),
                name="issued_version_has_a_date",
            ),
            models.CheckConstraint(condition=Q(status__in=VersionStatus.values), name="version_status_valid"),
        ]

    def __str__(self):
        if self.number:
            return f"{self.number} ngày {self.issued:%d/%m/%Y}" if self.issued else self.number
        return f"Dự thảo {self.regulation.title}"

    def save(self, *args, **kwargs):
        self.issued_year = self.issued.year if self.issued else None
        if kwargs.get("update_fields") is not None and "issued" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "issued_year"}
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def is_replaced(self) -> bool:
        return self.status == VersionStatus.REPLACED

    @property
    def is_repealed(self) -> bool:
        return self.status == VersionStatus.REPEALED

    @property
    def in_force_from(self):
        return self.effective or self.issued


class ProvisionKind(models.TextChoices):
    PART = "part", "Phần"
    CHAPTER = "chapter", "Chương"
    SECTION = "section", "Mục"
    ARTICLE = "article", "Điều"
    CLAUSE = "clause", "Khoản"
    POINT = "point", "Điểm"
    PARAGRAPH = "paragraph", "Đoạn"
    BULLET = "bullet", "Gạch đầu dòng"


class ProvisionQuerySet(models.QuerySet):
    def for_rendering(self):
        """Everything a page needs to draw a version's text, in document order."""
        return self.order_by("position").defer("text_folded")


class Provision(models.Model):
    """One node of a version's text: a chapter, an article, a clause, a point, a paragraph or a bullet."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="provisions", verbose_name="văn bản")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name="thuộc"
    )
    # The article a clause, point or paragraph belongs to (itself for an article): where comments,
    # search results and links point.
    article = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="+", editable=False, verbose_name="điều"
    )
    # The same key in two versions is the same provision, however it was renumbered.
    key = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False, verbose_name="mã điều khoản")
    kind = models.CharField("loại", max_length=16, choices=ProvisionKind.choices)
    label = models.CharField("số hiệu", max_length=16, blank=True)
    heading = models.TextField("tiêu đề", blank=True)
    text = models.TextField("nội dung", blank=True)
    text_folded = models.TextField(editable=False, blank=True, verbose_name="nội dung không dấu")
    position = models.PositiveIntegerField("thứ tự")
    depth = models.PositiveSmallIntegerField(default=0, verbose_name="cấp")
    # Bumped on every save of a draft's article, so a second editor working from an older
    # text is refused instead of overwriting the first.
    revision = models.PositiveIntegerField(default=0, editable=False, verbose_name="lần sửa")
    # In a model regulation (quy chế mẫu): content each subordinate fills in to suit itself.
    # Everything under an open provision is open too.
    open_content = models.BooleanField("nội dung mở", default=False)

    objects = ProvisionQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["text_folded"],
        history_change_reason_field=models.TextField(null=True),
        verbose_name="lịch sử điều khoản",
        verbose_name_plural="lịch sử điều khoản",
    )

    class Meta:
        verbose_name = "điều khoản"
        verbose_name_plural = "điều khoản"
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="one_provision_per_position"),
            models.UniqueConstraint(fields=["version", "key"], name="one_provision_per_key_and_version"),
        ]
        indexes = [models.Index(fields=["version", "kind"])]

    def __str__(self):
        return self.display_label

    def save(self, *args, **kwargs):
        self.prepare()
        super().save(*args, **kwargs)

    def prepare(self):
        """NFC for what is stored, the folded form for search (bulk creation calls this too)."""
        self.label, self.heading, self.text = nfc(self.label).strip(), nfc(self.heading).strip(), nfc(self.text)
        self.text_folded = fold(f"{self.heading} {self.text}")

    @property
    def anchor(self) -> str:
        prefix = {
            ProvisionKind.ARTICLE: "dieu",
            ProvisionKind.CHAPTER: "chuong",
            ProvisionKind.SECTION: "muc",
            ProvisionKind.PART: "phan",
        }.get(self.kind, self.kind)
        return f"{prefix}-{fold(self.label).replace(' ', '')}" if self.label else f"p-{self.position}"

    @property
    def display_label(self) -> str:
        """How the text names it: "Điều 5", "Chương II", "khoản 2", "điểm a"."""
        if self.kind in (ProvisionKind.PARAGRAPH, ProvisionKind.BULLET) or not self.label:
            return self.get_kind_display()
        return f"{self.get_kind_display()} {self.label}"

    @property
    def is_division(self) -> bool:
        """A part, chapter or section: a heading that groups articles."""
        return self.kind in (ProvisionKind.PART, ProvisionKind.CHAPTER, ProvisionKind.SECTION)

    @property
    def is_article(self) -> bool:
        return self.kind == ProvisionKind.ARTICLE

    @property
    def is_clause(self) -> bool:
        return self.kind == ProvisionKind.CLAUSE

    @property
    def is_point(self) -> bool:
        return self.kind == ProvisionKind.POINT

    @property
    def is_bullet(self) -> bool:
        return self.kind == ProvisionKind.BULLET

    # A version's text and a consolidated one are drawn by the same templates (templates/pdf/_text.html), which ask
    # every node these: a provision is never a removed article (consolidation.RemovedArticle is), and has a note
    # only in a consolidated text, which sets it. Without them every lookup fails, and a failed lookup costs
    # Django's templates an exception and a dir() of the model: half the time of drawing a 300-article text.
    is_removed = False
    note = None


class Correction(models.Model):
    """Đính chính: an issued text put right in place, as a recorded act (who, when, why, which article).

    The changed provisions' history records bear the same moment, user and reason, so the article's
    history shows the correction as one change (regulations/history.py).
    """

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="corrections", verbose_name="văn bản")
    article_key = models.UUIDField("điều được đính chính")
    article_label = models.CharField("điều", max_length=16)
    reason = models.TextField("lý do đính chính")
    number = models.CharField("số văn bản đính chính", max_length=64, blank=True)
    issued = models.DateField("ngày văn bản đính chính", null=True, blank=True)
    created_at = models.DateTimeField("thời điểm", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="người đính chính",
    )

    class Meta:
        verbose_name = "đính chính"
        verbose_name_plural = "đính chính"
        ordering = ["version", "created_at", "pk"]

    def __str__(self):
        return f"Đính chính Điều {self.article_label} của {self.version}"


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ nhập"
    RUNNING = "running", "Đang nhập"
    DONE = "done", "Đã nhập xong"
    FAILED = "failed", "Không nhập được"


class ImportJob(models.Model):
    """Việc nhập văn bản dài: a text saved from the import page that the worker imports, and how it went.

    It holds what `regulation_import` is called with; the text is let go once the job has ended
    (an imported version keeps its own copy).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="người nhập"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name="tổ chức đảng"
    )
    regulation = models.ForeignKey(
        Regulation, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name="quy chế"
    )
    text = models.TextField(blank=True, verbose_name="văn bản")
    kind = models.CharField(max_length=32, choices=RegulationKind.choices, blank=True, verbose_name="loại")
    based_on = models.ForeignKey(
        Regulation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="dựa trên quy chế mẫu",
    )
    corrections = models.JSONField(default=dict, blank=True, verbose_name="chỉnh sửa khi nhập")
    articles = models.PositiveIntegerField("số điều")
    status = models.CharField(
        max_length=16, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED, verbose_name="trạng thái"
    )
    message = models.TextField("lý do không nhập được", blank=True)
    version = models.ForeignKey(
        Version, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="văn bản đã nhập"
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="tạo lúc")
    started_at = models.DateTimeField(null=True, blank=True, verbose_name="bắt đầu lúc")
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name="kết thúc lúc")

    class Meta:
        verbose_name = "việc nhập văn bản"
        verbose_name_plural = "việc nhập văn bản"

    def __str__(self):
        return f"Nhập văn bản {self.articles} điều ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportJobStatus.DONE, ImportJobStatus.FAILED)


class ReadingPreference(models.Model):
    """How a person reads texts: with their lines numbered (số dòng) as on paper, or not."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="reading_preference"
    )
    line_numbers = models.BooleanField("hiện số dòng", default=False)

    class Meta:
        verbose_name = "cách đọc văn bản"
        verbose_name_plural = "cách đọc văn bản"

    def __str__(self):
        return f"{self.user}: {'có' if self.line_numbers else 'không'} số dòng"


class NumberStatus(models.TextChoices):
    RESERVED = "reserved", "Đã giữ số"
    CONFIRMED = "confirmed", "Đã ban hành"
    CANCELLED = "cancelled", "Đã hủy số"


class NumberSeries(models.Model):
    """The counter of one series of numbers (QC, QĐ, NQ…) of one issuing organization in one year.

    Issuing locks this row (`select_for_update`) to take the next number, so two issuances at once
    wait for each other and take two consecutive numbers.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("năm")
    code = models.CharField("loại văn bản", max_length=16)
    last = models.PositiveIntegerField("số cuối cùng đã cấp", default=0)

    class Meta:
        verbose_name = "dãy số văn bản"
        verbose_name_plural = "dãy số văn bản"
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "code"], name="one_series_per_issuer_year_code"),
        ]

    def __str__(self):
        return f"{self.code}/{self.organization.symbol} {self.year}"


class RegisteredNumber(models.Model):
    """Sổ đăng ký văn bản: one number of a series, reserved when issuance starts, confirmed when it ends,
    or cancelled with a reason. A number is never given twice, and none is skipped."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="cơ quan ban hành"
    )
    year = models.PositiveSmallIntegerField("năm")
    code = models.CharField("loại văn bản", max_length=16)
    sequence = models.PositiveIntegerField("số thứ tự")
    number = models.CharField("số, ký hiệu", max_length=64)
    status = models.CharField("tình trạng", max_length=16, choices=NumberStatus.choices)
    title = models.TextField("trích yếu", blank=True)
    # The regulation's text that bears the number, when it is one (other papers point here themselves).
    version = models.ForeignKey(
        Version, on_delete=models.SET_NULL, null=True, blank=True, related_name="registered_numbers"
    )
    issued = models.DateField("ngày ban hành", null=True, blank=True)
    signer = models.CharField("người ký", max_length=100, blank=True)
    # Recorded from an imported text or by the migration, not handed out here: no one reserved it.
    recorded = models.BooleanField("ghi nhận từ văn bản đã có", default=False)
    reserved_at = models.DateTimeField("giữ số lúc", null=True, blank=True)
    reserved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="người giữ số",
    )  # fmt: skip
    confirmed_at = models.DateTimeField("xác nhận lúc", null=True, blank=True)
    cancelled_at = models.DateTimeField("hủy lúc", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="người hủy số",
    )  # fmt: skip
    cancel_reason = models.TextField("lý do hủy số", blank=True)

    class Meta:
        verbose_name = "số văn bản"
        verbose_name_plural = "sổ đăng ký văn bản"
        ordering = ["organization", "year", "code", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "code", "sequence"], name="one_registered_number_per_sequence"
            ),
            models.CheckConstraint(condition=Q(status__in=NumberStatus.values), name="registered_number_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=NumberStatus.CANCELLED) | ~Q(cancel_reason=""), name="cancelled_number_has_reason"
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_reserved(self) -> bool:
        return self.status == NumberStatus.RESERVED

    @property
    def is_cancelled(self) -> bool:
        return self.status == NumberStatus.CANCELLED
