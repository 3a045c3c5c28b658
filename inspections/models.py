"""Inspections (kiểm tra, giám sát) and the remediation of what they find."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from organizations.models import Organization
from quyche.models import TransitionRecord
from regulations.models import Regulation


class InspectionKind(models.TextChoices):
    INSPECTION = "inspection", "Kiểm tra"
    SUPERVISION = "supervision", "Giám sát"


class InspectionQuerySet(models.QuerySet):
    def for_list(self, today):
        """With the organizations and, per inspection, its unresolved and overdue findings."""
        unresolved = ~Q(findings__status=FindingStatus.CLOSED)
        return self.select_related("inspecting", "inspected").annotate(
            open_count=models.Count("findings", filter=unresolved),
            overdue_count=models.Count("findings", filter=unresolved & Q(findings__deadline__lt=today)),
        )


class Inspection(models.Model):
    """Cuộc kiểm tra, giám sát: a superior organization checks how one below it keeps its regulations.

    That the inspected organization lies strictly below the inspecting one is checked by the
    service (the tree lives in the paths); the database refuses at least an organization inspecting itself.
    """

    inspecting = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="inspections_made", verbose_name="tổ chức kiểm tra"
    )
    inspected = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="inspections_received",
        verbose_name="tổ chức được kiểm tra",
    )  # fmt: skip
    kind = models.CharField("hình thức", max_length=16, choices=InspectionKind.choices)
    date = models.DateField("ngày kiểm tra, giám sát")
    team = models.TextField("thành phần đoàn", help_text="Họ tên, chức vụ các thành viên đoàn.")
    scope = models.TextField("nội dung, phạm vi")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người lập"
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="lập lúc")

    objects = InspectionQuerySet.as_manager()

    class Meta:
        db_table = "reviews_inspection"  # kept from before the app was split out of reviews
        verbose_name = "cuộc kiểm tra, giám sát"
        verbose_name_plural = "kiểm tra, giám sát"
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=InspectionKind.values), name="inspection_kind_valid"),
            models.CheckConstraint(condition=~Q(inspected=models.F("inspecting")), name="inspection_not_of_itself"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.inspected.name} ngày {self.date:%d/%m/%Y}"


class FindingKind(models.TextChoices):
    LIMITATION = "limitation", "Hạn chế"
    FAULT = "fault", "Khuyết điểm"


class FindingStatus(models.TextChoices):
    OPEN = "open", "Chưa khắc phục"
    REPORTED = "reported", "Đã báo cáo khắc phục"
    CLOSED = "closed", "Đã khắc phục"
    REOPENED = "reopened", "Chưa đạt, yêu cầu khắc phục lại"


# The inspected organization owes a remediation report for findings in these states.
AWAITING_REMEDIATION = (FindingStatus.OPEN, FindingStatus.REOPENED)


class FindingQuerySet(models.QuerySet):
    def unresolved(self):
        return self.exclude(status=FindingStatus.CLOSED)

    def overdue(self, today):
        return self.unresolved().filter(deadline__lt=today)


class Finding(models.Model):
    """Hạn chế, khuyết điểm found by an inspection, with the remediation required and its deadline."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="findings", verbose_name="cuộc kiểm tra, giám sát"
    )
    kind = models.CharField("loại", max_length=16, choices=FindingKind.choices)
    description = models.TextField("nội dung")
    remediation = models.TextField("yêu cầu khắc phục")
    deadline = models.DateField("hạn khắc phục")
    status = models.CharField("trạng thái", max_length=16, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    # The article of the inspected organization's regulation it concerns, by its identity (it may be
    # renumbered later); the label as the inspectors saw it.
    regulation = models.ForeignKey(
        Regulation, on_delete=models.PROTECT, null=True, blank=True, related_name="findings", verbose_name="quy chế"
    )
    article_key = models.UUIDField("điều (định danh)", null=True, blank=True)
    article_label = models.CharField("điều", max_length=16, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người ghi"
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="ghi lúc")

    objects = FindingQuerySet.as_manager()

    class Meta:
        db_table = "reviews_finding"  # kept from before the app was split out of reviews
        verbose_name = "hạn chế, khuyết điểm"
        verbose_name_plural = "hạn chế, khuyết điểm"
        ordering = ["inspection", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=FindingKind.values), name="finding_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=FindingStatus.values), name="finding_status_valid"),
            models.CheckConstraint(
                condition=Q(article_key__isnull=True) | Q(regulation__isnull=False),
                name="finding_article_in_regulation",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="finding_status_deadline")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.description[:80]}"

    @property
    def is_closed(self) -> bool:
        return self.status == FindingStatus.CLOSED

    @property
    def awaits_remediation(self) -> bool:
        return self.status in AWAITING_REMEDIATION


class FindingAction(models.TextChoices):
    RECORD = "record", "Ghi nhận"
    REPORT = "report", "Báo cáo khắc phục"
    ACCEPT = "accept", "Hậu kiểm: đã khắc phục"
    REOPEN = "reopen", "Hậu kiểm: chưa đạt, yêu cầu khắc phục lại"


class FindingEvent(TransitionRecord):
    """Every step of a finding: who, from which state to which, when, what they wrote, the deadline set."""

    finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, related_name="events", verbose_name="hạn chế, khuyết điểm"
    )
    action = models.CharField("hành động", max_length=16, choices=FindingAction.choices)
    from_status = models.CharField("từ trạng thái", max_length=16, choices=FindingStatus.choices, blank=True)
    to_status = models.CharField("sang trạng thái", max_length=16, choices=FindingStatus.choices)
    comment = models.TextField("báo cáo, ý kiến", blank=True)  # the remediation report, or the inspectors' view
    deadline = models.DateField("hạn khắc phục")

    class Meta(TransitionRecord.Meta):
        db_table = "reviews_findingevent"  # kept from before the app was split out of reviews
        verbose_name = "diễn biến khắc phục"
        verbose_name_plural = "diễn biến khắc phục"
        constraints = [
            models.CheckConstraint(condition=Q(action__in=FindingAction.values), name="finding_event_action_valid"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} – {self.finding}"
