"""Reminders about reviews and amendments: a regulation due for review, a consultation's deadline,
an amendment waiting too long at a stage."""

import datetime
from collections import defaultdict

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from notifications.models import NotificationReason as R
from notifications.reminders import DEFAULTS, Due, People, rule
from regulations.models import Regulation, VersionStatus

from .models import Amendment, AmendmentStatus, ConsultationRequest, StageKind, WorkingGroupMember


@rule
def review_reminders(today, people: People, thresholds: dict) -> list[Due]:
    """A regulation in force is reviewed every `review_interval_months` from its last review or amendment;
    one with an amendment under way is being reviewed."""
    due_items = []
    regulations = (
        Regulation.objects.filter(current_version__status=VersionStatus.IN_FORCE, next_review_on__isnull=False)
        .exclude(amendments__status__in=(AmendmentStatus.IN_PROGRESS, AmendmentStatus.ADOPTED))
        .select_related("organization", "current_version")
    )
    parents = people.nearest_superiors({r.organization for r in regulations})
    for regulation in regulations:
        due = regulation.next_review_on
        limits = thresholds.get(regulation.organization_id, DEFAULTS)
        if today < due - datetime.timedelta(days=limits.review_notice_days):
            continue
        url = reverse("regulations:detail", args=[regulation.pk])
        subject, period = f"regulation:{regulation.pk}", due.isoformat()
        if today < due:
            reason, title = R.REVIEW_DUE, f"Đến ngày {due:%d/%m/%Y} cần rà soát: {regulation.title}"
        else:
            reason, title = R.REVIEW_OVERDUE, f"Quá hạn rà soát từ {due:%d/%m/%Y}: {regulation.title}"
        since = regulation.last_reviewed_on or regulation.current_version.in_force_from
        body = (
            f"{regulation.title} ({regulation.current_version.number}) được rà soát định kỳ "
            f"{regulation.review_interval_months} tháng một lần; lần gần nhất từ {since:%d/%m/%Y}."
        )
        for user_id in people.office(regulation.organization):
            due_items.append(Due(user_id, reason, subject, period, title, body, url))
        if reason == R.REVIEW_OVERDUE and today >= due + datetime.timedelta(days=limits.review_escalation_days):
            superior = parents.get(regulation.organization_id)
            if superior is not None:
                title = f"{regulation.organization.name} quá hạn rà soát quy chế từ {due:%d/%m/%Y}"
                for user_id in people.office(superior):
                    due_items.append(Due(user_id, R.REVIEW_ESCALATED, subject, period, title, body, url))
    return due_items


@rule
def consultation_reminders(today, people: People, thresholds: dict) -> list[Due]:
    """Those who have not answered, some days and one day before; the working group when it expires."""
    due_items = []
    requests = ConsultationRequest.objects.filter(
        answered_at__isnull=True,
        amendment__status=AmendmentStatus.IN_PROGRESS,
        amendment__stage__kind=StageKind.CONSULTATION,
    ).select_related("amendment__regulation__organization", "organization", "user")
    # The working groups of every open amendment, in one query: they hear when a consultation expires.
    groups = defaultdict(set)
    for amendment_id, user_id in (
        WorkingGroupMember.objects.active()
        .filter(amendment__status=AmendmentStatus.IN_PROGRESS)
        .values_list("amendment_id", "user_id")
    ):
        groups[amendment_id].add(user_id)
    for request in requests:
        amendment = request.amendment
        limits = thresholds.get(amendment.regulation.organization_id, DEFAULTS)
        url = reverse("reviews:draft", args=[amendment.pk])
        subject = f"request:{request.pk}"
        days_left = (request.due - today).days
        recipients = (
            {request.user_id}
            if request.user_id
            else people.office(request.organization) | (people.secretaries.get(request.organization_id, set()))
        )
        body = f"Dự thảo: {amendment.title}. Hạn trả lời: {request.due:%d/%m/%Y}."
        if days_left == 1:
            for user_id in recipients:
                due_items.append(Due(user_id, R.CONSULTATION_TOMORROW, subject, request.due.isoformat(),
                                     f"Ngày mai hết hạn góp ý: {amendment.title}", body, url))  # fmt: skip
        elif 1 < days_left <= limits.consultation_notice_days:
            for user_id in recipients:
                due_items.append(Due(user_id, R.CONSULTATION_DUE, subject, request.due.isoformat(),
                                     f"Còn {days_left} ngày để góp ý: {amendment.title}", body, url))  # fmt: skip
        elif days_left < 0:
            for user_id in groups[amendment.pk] | people.office(amendment.regulation.organization):
                due_items.append(Due(user_id, R.CONSULTATION_EXPIRED, f"amendment:{amendment.pk}",
                                     request.due.isoformat(),
                                     f"Hết hạn lấy ý kiến, {request.recipient_name} chưa trả lời", body,
                                     reverse("reviews:consultation", args=[amendment.pk])))  # fmt: skip
    return due_items


@rule
def stalled_reminders(today, people: People, thresholds: dict) -> list[Due]:
    """An amendment waiting at a stage too long reminds those who act there."""
    due_items = []
    amendments = (
        Amendment.objects.filter(status=AmendmentStatus.IN_PROGRESS)
        .prefetch_related(Prefetch("working_group", queryset=WorkingGroupMember.objects.active()))
        .select_related("stage", "regulation__organization")
    )
    for amendment in amendments:
        organization = amendment.regulation.organization
        limits = thresholds.get(organization.pk, DEFAULTS)
        entered = timezone.localtime(amendment.stage_entered_at)
        waited = (today - entered.date()).days
        if waited < limits.stalled_stage_days:
            continue
        stage = amendment.stage
        if stage.by_working_group:
            recipients = {seat.user_id for seat in amendment.working_group.all()}
        else:
            recipients = people.body(organization.pk, stage.body_kind)
        title = f"Hồ sơ chờ ở bước “{stage.name}” đã {waited} ngày: {amendment.title}"
        body = f"Hồ sơ vào bước này từ {entered:%d/%m/%Y}."
        period = f"{stage.pk}:{entered:%Y-%m-%d}"
        url = reverse("reviews:detail", args=[amendment.pk])
        for user_id in recipients:
            due_items.append(Due(user_id, R.STAGE_STALLED, f"amendment:{amendment.pk}", period, title, body, url))
    return due_items
