"""The amendment of a regulation (sửa đổi, bổ sung), from the working group to the BCH's decision.

The process is data: each organization kind has its list of stages (`Stage`), each naming the
body that acts and what acting means there. An amendment stands at one stage at a time; every
move is an `Event` row (who, from, to, when, comment, and the meeting and votes where a
decision needs them), which feeds both the record and the reminders.
"""

import math
from fractions import Fraction

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import TruncDate
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from organizations.models import BodyKind, Organization, OrganizationKind
from quyche.models import TransitionRecord
from regulations import diffing
from regulations.models import Regulation, Version


class StageKind(models.TextChoices):
    DRAFTING = "drafting", "Soạn thảo"
    REVIEW = "review", "Xem xét, cho ý kiến"
    CONSULTATION = "consultation", "Lấy ý kiến"
    SYNTHESIS = "synthesis", "Tổng hợp, tiếp thu, giải trình"
    DECISION = "decision", "Biểu quyết thông qua"


class Quorum(models.TextChoices):
    """How many of a body's sitting members must attend for its meeting to decide (Điều lệ Đảng)."""

    NONE = "", "Không quy định"
    TWO_THIRDS = "2/3", "hai phần ba"


class Stage(models.Model):
    """One step of the amendment process for organizations of one kind."""

    organization_kind = models.CharField("loại tổ chức", max_length=32, choices=OrganizationKind.choices)
    order = models.PositiveSmallIntegerField("thứ tự")
    name = models.CharField("tên bước", max_length=200)
    kind = models.CharField("loại bước", max_length=16, choices=StageKind.choices)
    body_kind = models.CharField(
        "cơ quan thực hiện",
        max_length=32,
        choices=BodyKind.choices,
        help_text="Soạn thảo, lấy ý kiến và tổng hợp do tổ công tác (văn phòng) thực hiện.",
    )
    records_meeting = models.BooleanField("ghi ngày họp, số có mặt", default=False)
    quorum = models.CharField(
        "số có mặt tối thiểu",
        max_length=8,
        choices=Quorum.choices,
        blank=True,
        default=Quorum.NONE,
        help_text="Phần tổng số thành viên đương nhiệm phải có mặt thì hội nghị mới được biểu quyết.",
    )
    general_meeting = models.BooleanField(
        "hội nghị toàn thể đảng viên",
        default=False,
        help_text="Người ghi nhập tổng số đảng viên (hệ thống không quản lý danh sách đảng viên); ở các bước khác, "
        "tổng số thành viên được tính theo chức vụ của cơ quan thực hiện vào ngày họp.",
    )

    class Meta:
        verbose_name = "bước quy trình"
        verbose_name_plural = "các bước quy trình"
        ordering = ["organization_kind", "order"]
        constraints = [
            models.UniqueConstraint(fields=["organization_kind", "order"], name="one_stage_per_order"),
            models.CheckConstraint(condition=Q(kind__in=StageKind.values), name="stage_kind_valid"),
            models.CheckConstraint(condition=Q(quorum__in=Quorum.values), name="stage_quorum_valid"),
        ]

    def __str__(self):
        return f"{self.order}. {self.name}"

    @property
    def members_noun(self) -> str:
        """Who sits in the stage's meeting, as messages name them."""
        if self.general_meeting:
            return "đảng viên"
        if self.organization_kind in (OrganizationKind.PARTY_DELEGATION, OrganizationKind.PARTY_AFFAIRS):
            return "thành viên"
        return "ủy viên"

    def quorum_of(self, members: int) -> int:
        """The fewest members present for the meeting to decide; 0 where the stage sets no quorum."""
        return math.ceil(members * Fraction(self.quorum)) if self.quorum else 0

    @property
    def by_working_group(self) -> bool:
        return self.kind in (StageKind.DRAFTING, StageKind.CONSULTATION, StageKind.SYNTHESIS)

    @property
    def is_drafting(self) -> bool:
        return self.kind == StageKind.DRAFTING

    @property
    def is_consultation(self) -> bool:
        return self.kind == StageKind.CONSULTATION

    @property
    def is_decision(self) -> bool:
        return self.kind == StageKind.DECISION


class AmendmentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    ADOPTED = "adopted", "Đã thông qua, chờ ban hành"
    ISSUED = "issued", "Đã ban hành"
    REJECTED = "rejected", "Không thông qua"
    WITHDRAWN = "withdrawn", "Đã dừng"


OPEN_STATUSES = (AmendmentStatus.IN_PROGRESS, AmendmentStatus.ADOPTED)


class AmendmentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def for_list(self):
        """What a list row shows (title, organization, stage, status, dates), without the dossier's long texts:
        the names read with the row (`organization_name`, `stage_name`), not as three more objects per row."""
        return self.annotate(
            organization_name=F("regulation__organization__name"),
            stage_name=F("stage__name"),
            created_on=TruncDate("created_at"),
        ).only("title", "status", "stage_entered_at", "created_at")


class Amendment(models.Model):
    """Hồ sơ sửa đổi, bổ sung: one amendment of a regulation, with its dossier and its draft."""

    regulation = models.ForeignKey(
        Regulation, on_delete=models.PROTECT, related_name="amendments", verbose_name="quy chế"
    )
    base_version = models.ForeignKey(
        Version, on_delete=models.PROTECT, null=True, blank=True, related_name="amendments",
        verbose_name="văn bản đang có hiệu lực",
    )  # fmt: skip
    draft = models.OneToOneField(
        Version, on_delete=models.PROTECT, related_name="amendment_of_draft", verbose_name="dự thảo"
    )
    title = models.CharField("tên hồ sơ", max_length=300)
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+", verbose_name="bước hiện tại")
    status = models.CharField(
        "trạng thái", max_length=16, choices=AmendmentStatus.choices, default=AmendmentStatus.IN_PROGRESS
    )
    stage_entered_at = models.DateTimeField("vào bước hiện tại lúc")

    # The dossier, as the working group writes it (sanitised HTML).
    reason = models.TextField("lý do sửa đổi, bổ sung", blank=True)
    strengths = models.TextField("ưu điểm trong thực hiện quy chế", blank=True)
    shortcomings = models.TextField("hạn chế, khuyết điểm và nguyên nhân", blank=True)
    lessons = models.TextField("bài học kinh nghiệm", blank=True)
    superior_documents = models.TextField("văn bản cấp trên ban hành từ khi có quy chế", blank=True)
    matters_arising = models.TextField("vấn đề mới phát sinh quy chế chưa quy định", blank=True)
    submission = models.TextField("tờ trình", blank=True)
    dossier_revision = models.PositiveIntegerField(default=0, editable=False, verbose_name="lần sửa hồ sơ")

    created_at = models.DateTimeField(auto_now_add=True, verbose_name="lập lúc")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người lập"
    )
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name="kết thúc lúc")

    objects = AmendmentQuerySet.as_manager()

    class Meta:
        verbose_name = "hồ sơ sửa đổi, bổ sung"
        verbose_name_plural = "hồ sơ sửa đổi, bổ sung"
        ordering = ["-created_at"]
        # The list's order (newest first), read from the index for whoever sees many dossiers.
        indexes = [models.Index(fields=["-created_at"], name="amendment_newest_first")]
        constraints = [
            # One amendment at a time on the same text: a second would fork the draft.
            models.UniqueConstraint(
                fields=["base_version"],
                condition=Q(status__in=OPEN_STATUSES) & Q(base_version__isnull=False),
                name="one_open_amendment_per_base_version",
            ),
            models.UniqueConstraint(
                fields=["regulation"],
                condition=Q(status__in=OPEN_STATUSES) & Q(base_version__isnull=True),
                name="one_open_new_text_per_regulation",
            ),
            models.CheckConstraint(condition=Q(status__in=AmendmentStatus.values), name="amendment_status_valid"),
        ]
        permissions = [("comment_amendment", "Góp ý dự thảo")]

    def __str__(self):
        return self.title

    @property
    def organization(self) -> Organization:
        return self.regulation.organization

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_in_progress(self) -> bool:
        return self.status == AmendmentStatus.IN_PROGRESS

    @property
    def is_adopted(self) -> bool:
        return self.status == AmendmentStatus.ADOPTED

    @property
    def is_issued(self) -> bool:
        return self.status == AmendmentStatus.ISSUED

    @property
    def standing(self) -> str:
        """Where the dossier stands, for a line that links to it: its stage while in progress, else its status."""
        return f"bước {self.stage.name}" if self.is_in_progress else self.get_status_display().lower()


class DossierRevision(models.Model):
    """One edit of one part of the dossier (the Tờ trình included): who, when, and the text before and after."""

    amendment = models.ForeignKey(
        Amendment, on_delete=models.CASCADE, related_name="dossier_revisions", verbose_name="hồ sơ sửa đổi"
    )
    field = models.CharField("mục", max_length=32)
    before = models.TextField("nội dung trước", blank=True)
    after = models.TextField("nội dung sau", blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người sửa"
    )
    edited_at = models.DateTimeField("thời điểm")

    class Meta:
        verbose_name = "chỉnh sửa hồ sơ"
        verbose_name_plural = "lịch sử chỉnh sửa hồ sơ"
        ordering = ["amendment", "-edited_at", "-pk"]

    def __str__(self):
        return f"{self.field_label} – {self.edited_at:%d/%m/%Y %H:%M}"

    @property
    def field_label(self) -> str:
        return Amendment._meta.get_field(self.field).verbose_name.capitalize()


class AmendmentUserObjectPermission(UserObjectPermissionBase):
    """Access granted for one amendment, e.g. to a working-group member from the UBND office."""

    content_object = models.ForeignKey(Amendment, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "quyền của một người trên hồ sơ sửa đổi"
        verbose_name_plural = "quyền của một người trên hồ sơ sửa đổi"


class WorkingGroupRole(models.TextChoices):
    CHAIR = "chair", "Tổ trưởng"
    MEMBER = "member", "Thành viên"


class WorkingGroupMemberQuerySet(models.QuerySet):
    def active(self):
        """Those in the group now: a removed member's row is kept, with who removed them and when."""
        return self.filter(removed_at__isnull=True)


class WorkingGroupMember(models.Model):
    """Thành viên tổ công tác: the office chairs; members may come from other bodies."""

    amendment = models.ForeignKey(
        Amendment, on_delete=models.CASCADE, related_name="working_group", verbose_name="hồ sơ sửa đổi"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="thành viên"
    )
    role = models.CharField("vai trò", max_length=16, choices=WorkingGroupRole.choices, default=WorkingGroupRole.MEMBER)
    affiliation = models.CharField("đơn vị công tác", max_length=200, blank=True)
    added_at = models.DateTimeField(auto_now_add=True, verbose_name="thêm lúc")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="người thêm",
    )  # fmt: skip
    removed_at = models.DateTimeField("bỏ khỏi tổ lúc", null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="người bỏ khỏi tổ",
    )  # fmt: skip

    objects = WorkingGroupMemberQuerySet.as_manager()

    class Meta:
        verbose_name = "thành viên tổ công tác"
        verbose_name_plural = "tổ công tác"
        ordering = ["amendment", "role", "added_at"]
        constraints = [
            # One seat at a time: a member removed and added again has a row for each time.
            models.UniqueConstraint(
                fields=["amendment", "user"], condition=Q(removed_at__isnull=True), name="one_seat_per_working_group"
            ),
            models.UniqueConstraint(
                fields=["amendment"], condition=Q(role=WorkingGroupRole.CHAIR), name="one_chair_per_working_group"
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"

    @property
    def is_chair(self) -> bool:
        return self.role == WorkingGroupRole.CHAIR


class EventAction(models.TextChoices):
    CREATE = "create", "Lập hồ sơ"
    SUBMIT = "submit", "Trình"
    APPROVE = "approve", "Đồng ý"
    RETURN = "return", "Trả lại để chỉnh sửa"
    REJECT = "reject", "Không thông qua"
    ISSUE = "issue", "Ban hành"
    WITHDRAW = "withdraw", "Dừng"


class Event(TransitionRecord):
    """Every transition of an amendment: who, from which stage and status to which, when, and why,
    with the meeting and its votes where the stage records them."""

    amendment = models.ForeignKey(
        Amendment, on_delete=models.CASCADE, related_name="events", verbose_name="hồ sơ sửa đổi"
    )
    action = models.CharField("hành động", max_length=16, choices=EventAction.choices)
    from_status = models.CharField("từ trạng thái", max_length=16, choices=AmendmentStatus.choices, blank=True)
    to_status = models.CharField("sang trạng thái", max_length=16, choices=AmendmentStatus.choices)
    from_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="từ bước")
    to_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="sang bước")
    meeting_date = models.DateField("ngày họp", null=True, blank=True)
    members_present = models.PositiveSmallIntegerField("số có mặt", null=True, blank=True)
    members_total = models.PositiveSmallIntegerField("tổng số", null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField("tán thành", null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField("không tán thành", null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField("không biểu quyết", null=True, blank=True)

    class Meta(TransitionRecord.Meta):
        verbose_name = "sự kiện"
        verbose_name_plural = "diễn biến"
        constraints = [
            models.CheckConstraint(
                condition=Q(members_present__isnull=True) | Q(members_present__lte=models.F("members_total")),
                name="present_at_most_total",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} – {self.amendment}"


class ArticleChange(models.Model):
    """One change the working group made to the draft, with its reason (cột "lý do" of the table)."""

    class Kind(models.TextChoices):
        MODIFIED = "modified", "Sửa đổi"
        ADDED = "added", "Bổ sung"
        REMOVED = "removed", "Bãi bỏ"
        MOVED = "moved", "Chuyển vị trí"

    amendment = models.ForeignKey(
        Amendment, on_delete=models.CASCADE, related_name="changes", verbose_name="hồ sơ sửa đổi"
    )
    article_key = models.UUIDField("điều (định danh)")
    article_label = models.CharField("điều", max_length=16)
    kind = models.CharField(max_length=16, choices=Kind.choices, verbose_name="loại thay đổi")
    reason = models.TextField("lý do")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người sửa"
    )
    at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm")

    class Meta:
        verbose_name = "thay đổi trong dự thảo"
        verbose_name_plural = "thay đổi trong dự thảo"
        ordering = ["amendment", "at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} Điều {self.article_label}: {self.reason}"


class ConsultationRequest(models.Model):
    """Phiếu lấy ý kiến: to one member, or to a subordinate organization, with a due date."""

    amendment = models.ForeignKey(
        Amendment, on_delete=models.CASCADE, related_name="requests", verbose_name="hồ sơ sửa đổi"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultation_requests",
        verbose_name="cấp ủy viên được hỏi",
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultation_requests",
        verbose_name="tổ chức được hỏi",
    )
    due = models.DateField("hạn trả lời")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="gửi lúc")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người gửi"
    )
    answered_at = models.DateTimeField("đã trả lời lúc", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người trả lời",
    )
    no_comment = models.BooleanField("không có ý kiến", default=False)

    class Meta:
        verbose_name = "phiếu lấy ý kiến"
        verbose_name_plural = "phiếu lấy ý kiến"
        ordering = ["amendment", "due", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, organization__isnull=True)
                | Q(user__isnull=True, organization__isnull=False),
                name="request_to_a_person_or_an_organization",
            ),
            models.UniqueConstraint(fields=["amendment", "user"], name="one_request_per_person"),
            models.UniqueConstraint(fields=["amendment", "organization"], name="one_request_per_organization"),
        ]

    def __str__(self):
        return f"Lấy ý kiến {self.recipient_name}"

    @property
    @admin.display(description="gửi đến")
    def recipient_name(self) -> str:
        return str(self.user) if self.user_id else self.organization.name

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class SuggestionKind(models.TextChoices):
    """What a proposed wording (đề nghị sửa câu chữ) does to its passage."""

    REPLACE = "replace", "Đề nghị sửa thành"
    INSERT_AFTER = "insert_after", "Đề nghị bổ sung sau"
    REMOVE = "remove", "Đề nghị bỏ"


class Comment(models.Model):
    """Ý kiến góp ý: on the whole draft, on one article, or on one clause or point of it; replies form threads.

    A suggestion is a comment that proposes wording for its passage: its text is the reason, and
    `base_text` the passage as it read when suggested, so that accepting it never overwrites a
    passage changed since.
    """

    amendment = models.ForeignKey(
        Amendment, on_delete=models.CASCADE, related_name="comments", verbose_name="hồ sơ sửa đổi"
    )
    request = models.ForeignKey(
        ConsultationRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name="phiếu lấy ý kiến",
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies", verbose_name="trả lời góp ý"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người góp ý"
    )
    # The article by its identity (it may be renumbered while the amendment goes on); the label
    # as the commenter saw it.
    article_key = models.UUIDField(null=True, blank=True, verbose_name="mã điều")
    article_label = models.CharField("điều", max_length=16, blank=True)
    # The clause or point within the article, by its identity too (empty: the article as a whole),
    # and how it was named when the comment was made ("khoản 2", "điểm a khoản 1").
    provision_key = models.UUIDField("khoản, điểm (định danh)", null=True, blank=True)
    provision_label = models.CharField("khoản, điểm", max_length=64, blank=True, default="", db_default="")
    text = models.TextField("nội dung")
    # Each new column has a database default: during a rolling upgrade the release before inserts without it.
    suggestion = models.CharField(
        "đề nghị sửa câu chữ", max_length=16, choices=SuggestionKind.choices, blank=True, default="", db_default=""
    )
    proposed_text = models.TextField("câu chữ đề nghị", blank=True, default="", db_default="")
    base_text = models.TextField("câu chữ khi đề nghị", blank=True, default="", db_default="")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="gửi lúc")

    class Meta:
        verbose_name = "ý kiến"
        verbose_name_plural = "ý kiến"
        ordering = ["amendment", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(suggestion="") | Q(suggestion__in=SuggestionKind.values), name="comment_suggestion_valid"
            ),
            models.CheckConstraint(
                condition=Q(provision_key__isnull=True) | Q(article_key__isnull=False),
                name="comment_provision_within_an_article",
            ),
            models.CheckConstraint(
                condition=Q(suggestion="") | Q(article_key__isnull=False), name="suggestion_on_a_passage"
            ),
            # A wording to put in place or in addition is given; a removal has none.
            models.CheckConstraint(
                condition=Q(suggestion__in=("", SuggestionKind.REMOVE), proposed_text="")
                | (Q(suggestion__in=(SuggestionKind.REPLACE, SuggestionKind.INSERT_AFTER)) & ~Q(proposed_text="")),
                name="suggestion_has_its_wording",
            ),
        ]

    def __str__(self):
        return f"{self.author} ({self.place_as_seen})"

    @property
    def place_as_seen(self) -> str:
        """The passage as the commenter named it ("khoản 2 Điều 4"); the draft may have renumbered it since."""
        if not self.article_label:
            return "toàn văn"
        return " ".join(part for part in (self.provision_label, f"Điều {self.article_label}") if part)

    @property
    def is_suggestion(self) -> bool:
        return bool(self.suggestion)

    @property
    def suggested_change(self) -> str:
        """The suggestion word by word against the passage as it read (marked up, safe for templates)."""
        if self.suggestion == SuggestionKind.REMOVE:
            ops = [("delete", self.base_text)]
        elif self.suggestion == SuggestionKind.INSERT_AFTER:
            ops = [("insert", self.proposed_text)]
        else:
            ops = diffing.word_diff(self.base_text, self.proposed_text)
        return diffing.diff_markup(ops)


class DispositionKind(models.TextChoices):
    ACCEPTED = "accepted", "Tiếp thu"
    EXPLAINED = "explained", "Giải trình"


class Disposition(models.Model):
    """How the working group dealt with a comment: taken in, or explained and not taken."""

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="disposition", verbose_name="góp ý")
    kind = models.CharField("hình thức", max_length=16, choices=DispositionKind.choices)
    explanation = models.TextField("giải trình / nội dung tiếp thu", blank=True)
    change = models.ForeignKey(
        ArticleChange, on_delete=models.SET_NULL, null=True, blank=True, related_name="dispositions",
        verbose_name="thay đổi trong dự thảo",
    )  # fmt: skip
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người quyết định"
    )
    decided_at = models.DateTimeField(auto_now=True, verbose_name="quyết định lúc")

    # A disposition decided again keeps the one before it: the synthesis shows "đã sửa" with each.
    history = HistoricalRecords(
        verbose_name="lịch sử tiếp thu, giải trình", verbose_name_plural="lịch sử tiếp thu, giải trình"
    )

    class Meta:
        verbose_name = "tiếp thu, giải trình"
        verbose_name_plural = "tiếp thu, giải trình"
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=DispositionKind.EXPLAINED) | ~Q(explanation=""),
                name="explained_disposition_has_explanation",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.comment}"


class PaperKind(models.TextChoices):
    """The papers the office files with an amendment; the values are those of the URLs and `export_paper`."""

    SUBMISSION = "to-trinh", "Tờ trình"
    SYNTHESIS_REPORT = "bao-cao-tong-hop", "Báo cáo tổng hợp, tiếp thu, giải trình ý kiến"
    MINUTES = "bien-ban", "Biên bản hội nghị, kiểm phiếu"
    DECISION = "quyet-dinh", "Quyết định ban hành"


class PaperStatus(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    FINAL = "final", "Đã ban hành"


class Paper(models.Model):
    """One paper of an amendment: generated from the workflow's data, edited as a draft, then issued with a
    number from the register; the issued PDF and DOCX are kept as filed and never printed again."""

    amendment = models.ForeignKey(Amendment, on_delete=models.PROTECT, related_name="papers")
    kind = models.CharField("loại văn bản", max_length=32, choices=PaperKind.choices)
    status = models.CharField("tình trạng", max_length=16, choices=PaperStatus.choices, default=PaperStatus.DRAFT)
    subject = models.TextField("trích yếu")
    body = models.TextField("nội dung")
    recipients = models.TextField("nơi nhận", blank=True)
    signer_authority = models.CharField("thẩm quyền ký", max_length=100, blank=True)
    signer_position = models.CharField("chức vụ người ký", max_length=100, blank=True)
    signer_name = models.CharField("người ký", max_length=100, blank=True)
    # Bumped on every save, so that a second editor working from an older text is refused.
    revision = models.PositiveIntegerField(default=0, editable=False)
    number = models.OneToOneField(
        "regulations.RegisteredNumber", on_delete=models.PROTECT, null=True, blank=True, related_name="paper",
        verbose_name="số trong sổ đăng ký",
    )  # fmt: skip
    issued = models.DateField("ngày ban hành", null=True, blank=True)
    pdf = models.FileField("bản PDF", upload_to="papers/", blank=True, editable=False)
    docx = models.FileField("bản Word", upload_to="papers/", blank=True, editable=False)
    updated_at = models.DateTimeField("sửa lần cuối", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="người ban hành",
    )  # fmt: skip

    class Meta:
        verbose_name = "văn bản kèm hồ sơ"
        verbose_name_plural = "văn bản kèm hồ sơ"
        ordering = ["amendment", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["amendment", "kind"], name="one_paper_per_kind_and_amendment"),
            models.CheckConstraint(condition=Q(kind__in=PaperKind.values), name="paper_kind_valid"),
            models.CheckConstraint(
                condition=Q(status=PaperStatus.DRAFT) | Q(number__isnull=False, issued__isnull=False),
                name="final_paper_has_number_and_date",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.amendment}"

    @property
    def is_final(self) -> bool:
        return self.status == PaperStatus.FINAL
