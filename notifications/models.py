"""Reminders and notices to people: stored once, shown in the header, sent by email; and each
organization's reminder thresholds."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from organizations.models import Organization


class ReminderSettings(models.Model):
    """Thresholds of the reminders for one organization, set by its office (defaults otherwise)."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="reminder_settings", verbose_name="tổ chức đảng"
    )
    review_notice_days = models.PositiveSmallIntegerField("nhắc trước hạn rà soát (ngày)", default=14)
    review_escalation_days = models.PositiveSmallIntegerField("báo cấp trên khi quá hạn rà soát (ngày)", default=30)
    term_rules_days = models.PositiveSmallIntegerField(
        "thời hạn ban hành quy chế làm việc sau khi bắt đầu nhiệm kỳ (ngày)", default=90
    )
    consultation_notice_days = models.PositiveSmallIntegerField("nhắc trước hạn trả lời ý kiến (ngày)", default=3)
    stalled_stage_days = models.PositiveSmallIntegerField("nhắc khi hồ sơ dừng ở một bước quá (ngày)", default=14)

    history = HistoricalRecords(  # who changed a threshold, when, from what
        verbose_name="lịch sử ngưỡng nhắc việc", verbose_name_plural="lịch sử ngưỡng nhắc việc"
    )

    class Meta:
        db_table = "reviews_remindersettings"  # kept from before the app was split out of reviews
        verbose_name = "ngưỡng nhắc việc"
        verbose_name_plural = "ngưỡng nhắc việc"
        constraints = [
            models.CheckConstraint(condition=Q(term_rules_days__gte=1), name="term_rules_days_positive"),
            models.CheckConstraint(condition=Q(stalled_stage_days__gte=1), name="stalled_stage_days_positive"),
        ]

    def __str__(self):
        return f"Ngưỡng nhắc việc – {self.organization}"


class NotificationReason(models.TextChoices):
    REVIEW_DUE = "review_due", "Sắp đến hạn rà soát quy chế"
    REVIEW_OVERDUE = "review_overdue", "Quá hạn rà soát quy chế"
    REVIEW_ESCALATED = "review_escalated", "Tổ chức trực thuộc quá hạn rà soát quy chế"
    TERM_RULES_DUE = "term_rules_due", "Sắp hết hạn ban hành quy chế làm việc nhiệm kỳ mới"
    TERM_RULES_OVERDUE = "term_rules_overdue", "Chưa ban hành quy chế làm việc nhiệm kỳ mới"
    CONSULTATION_DUE = "consultation_due", "Sắp hết hạn góp ý dự thảo"
    CONSULTATION_TOMORROW = "consultation_tomorrow", "Ngày mai hết hạn góp ý dự thảo"
    CONSULTATION_EXPIRED = "consultation_expired", "Hết hạn lấy ý kiến, còn nơi chưa trả lời"
    STAGE_STALLED = "stage_stalled", "Hồ sơ sửa đổi chờ xử lý lâu"
    BASIS_REPLACED = "basis_replaced", "Văn bản làm căn cứ đã được thay thế hoặc bãi bỏ"
    PDF_READY = "pdf_ready", "Tệp PDF đã sẵn sàng"
    FINDING_OVERDUE = "finding_overdue", "Quá hạn khắc phục sau kiểm tra"
    # Told when something happens (the event's own id is the period), not found by a scan.
    CONSULTATION_REQUESTED = "opinion_requested", "Đề nghị góp ý dự thảo"
    ANSWER_RECEIVED = "answer_received", "Có ý kiến gửi về dự thảo"
    COMMENT_REPLIED = "comment_replied", "Có trả lời ý kiến của đồng chí"
    COMMENT_DISPOSED = "comment_disposed", "Ý kiến của đồng chí đã được tiếp thu, giải trình"
    STAGE_REACHED = "dossier_arrived", "Hồ sơ sửa đổi chờ đồng chí xử lý"
    AMENDMENT_MOVED = "amendment_moved", "Hồ sơ sửa đổi đang theo dõi chuyển bước"
    AMENDMENT_RETURNED = "amendment_returned", "Hồ sơ sửa đổi bị trả lại để chỉnh sửa"
    AMENDMENT_REJECTED = "amendment_rejected", "Hồ sơ sửa đổi không được thông qua"
    AMENDMENT_STARTED = "amendment_started", "Quy chế đang theo dõi được lập hồ sơ sửa đổi"
    REGULATION_ADOPTED = "regulation_adopted", "Quy chế sửa đổi đã được thông qua"
    REGULATION_ISSUED = "regulation_issued", "Quy chế đã được ban hành"
    REGULATION_REPEALED = "regulation_repealed", "Quy chế đã bị bãi bỏ"
    FINDING_ASSIGNED = "finding_assigned", "Kết luận kiểm tra yêu cầu khắc phục"
    FINDING_REOPENED = "finding_reopened", "Khắc phục chưa đạt, yêu cầu khắc phục lại"


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Chờ gửi"
    DIGEST = "digest", "Chờ thư tổng hợp"
    SENT = "sent", "Đã gửi"
    FAILED = "failed", "Gửi lỗi"
    SKIPPED = "skipped", "Không gửi"


class Notification(models.Model):
    """One reminder to one person. The same reminder (person, object, reason, period) exists once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name="người nhận"
    )
    reason = models.CharField("lý do", max_length=32, choices=NotificationReason.choices)
    # What it is about ("regulation:12", "request:5") and for which period ("2026-05-09"): together
    # with the person and the reason, what makes a reminder the same one.
    subject = models.CharField(max_length=64, verbose_name="việc được báo")
    period = models.CharField(max_length=64, verbose_name="kỳ")
    title = models.CharField("tiêu đề", max_length=300)
    body = models.TextField("nội dung")
    url = models.CharField("liên kết", max_length=300)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="tạo lúc")
    read_at = models.DateTimeField(null=True, blank=True, verbose_name="đọc lúc")
    email_status = models.CharField(
        max_length=16, choices=EmailStatus.choices, default=EmailStatus.PENDING, verbose_name="tình trạng gửi thư"
    )
    email_attempts = models.PositiveSmallIntegerField(default=0, verbose_name="số lần gửi thư")
    emailed_at = models.DateTimeField(null=True, blank=True, verbose_name="gửi thư lúc")
    email_error = models.TextField(blank=True, verbose_name="lỗi gửi thư")
    scan = models.UUIDField(null=True, blank=True, editable=False, verbose_name="lượt quét nhắc việc")
    # The organization whose matter it is: the daily digest groups by it. Never looked up by it, so no index on
    # what is the largest table (an organization is deleted rarely, if ever).
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="tổ chức",
        db_index=False,
    )  # fmt: skip

    class Meta:
        db_table = "reviews_notification"  # kept from before the app was split out of reviews
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "reason", "subject", "period"], name="one_reminder_per_person_subject_period"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="reviews_not_recipie_a68ac9_idx"),
            models.Index(fields=["email_status"], name="reviews_not_email_s_ba6238_idx"),
            # A person's list, newest first, read from the index however many others have.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list_order"),
            # A scan looks up what it already stored by subject (the unique key starts with the person).
            models.Index(fields=["subject"], name="notification_subject_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def email_failed(self) -> bool:
        return self.email_status == EmailStatus.FAILED


class Follow(models.Model):
    """Theo dõi: a person follows a regulation or an amendment and is told of its changes, unless they muted it.

    Any app's object may be followed (notifications lies below them all); which ones, and who may follow them,
    is registered by the app that owns them (notifications/follows.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows", verbose_name="người theo dõi"
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name="loại đối tượng"
    )
    object_id = models.PositiveBigIntegerField(verbose_name="mã đối tượng")
    target = GenericForeignKey("content_type", "object_id")
    muted = models.BooleanField("tắt thông báo", default=False)
    created_at = models.DateTimeField("theo dõi từ", auto_now_add=True)

    class Meta:
        verbose_name = "theo dõi"
        verbose_name_plural = "theo dõi"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "content_type", "object_id"], name="one_follow_per_person_object"),
        ]
        # An event looks up the followers of its object.
        indexes = [models.Index(fields=["content_type", "object_id"], name="follow_target_idx")]

    def __str__(self):
        return f"{self.user} theo dõi {self.content_type.model} {self.object_id}"


class EmailPreferenceChange(models.Model):
    """A person changed how they receive notifications (or their address): what it was before, and when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="người dùng"
    )
    email_mode = models.CharField("cách nhận thư", max_length=16)
    email = models.EmailField("thư điện tử", blank=True)
    previous_email_mode = models.CharField("cách nhận thư trước đó", max_length=16)
    previous_email = models.EmailField("thư điện tử trước đó", blank=True)
    changed_at = models.DateTimeField("thời điểm", auto_now_add=True)

    class Meta:
        verbose_name = "thay đổi cách nhận thông báo"
        verbose_name_plural = "thay đổi cách nhận thông báo"
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.user}: {self.previous_email_mode} → {self.email_mode}"


class FailedTask(models.Model):
    """A background task that failed for good (its retries spent): for the admins to see, and fix."""

    task_name = models.CharField("tác vụ", max_length=200)
    task_id = models.CharField("mã tác vụ", max_length=64, blank=True)
    arguments = models.TextField("tham số", blank=True)
    exception = models.TextField("lỗi")
    traceback = models.TextField("vết lỗi", blank=True)
    failed_at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "tác vụ nền bị lỗi"
        verbose_name_plural = "tác vụ nền bị lỗi"
        ordering = ["-failed_at", "-pk"]

    def __str__(self):
        return f"{self.task_name}: {self.exception[:100]}"
