"""Reminders about reviews and amendments: a regulation due for review, a consultation's deadline,
an amendment waiting too long at a stage."""

import datetime
from collections import defaultdict

from django.db.models import Value
from django.db.models.functions import Concat
from django.utils import timezone

from notifications.models import NotificationReason as R
from notifications.reminders import DEFAULTS, Due, People, largest, path_of, rule
from regulations.models import Regulation, VersionStatus

from .models import Amendment, AmendmentStatus, ConsultationRequest, Stage, StageKind, WorkingGroupMember


@rule
def review_reminders(today, people: People, thresholds: dict) -> list[Due]:
    """A regulation in force is reviewed every `review_interval_months` from its last review or amendment;
    one with an amendment under way is being reviewed."""
    due_items = []
    regulation_path = path_of("regulations:detail")
    # Only those whose reminder has begun, whatever an office set; the rest wait for a later scan.
    regulations = list(
        Regulation.objects.filter(
            current_version__status=VersionStatus.IN_FORCE,
            next_review_on__lte=today + datetime.timedelta(days=largest(thresholds, "review_notice_days")),
        )
        .exclude(amendments__status__in=(AmendmentStatus.IN_PROGRESS, AmendmentStatus.ADOPTED))
        .values_list(
            "pk",
            "title",
            "organization_id",
            "organization__name",
            "organization__path",
            "next_review_on",
            "last_reviewed_on",
            "review_interval_months",
            "current_version__number",
            "current_version__effective",
            "current_version__issued",
        )  # fmt: skip
    )
    escalated = {}  # organization id -> path, of those overdue long enough to tell the superior
    for _, _, org_id, _, path, due, *_ in regulations:
        limits = thresholds.get(org_id, DEFAULTS)
        if today >= due + datetime.timedelta(days=limits.review_escalation_days):
            escalated[org_id] = path
    parents = people.nearest_superiors(escalated)
    for pk, regulation_title, org_id, org_name, _, due, reviewed, interval, number, effective, issued in regulations:
        limits = thresholds.get(org_id, DEFAULTS)
        if today < due - datetime.timedelta(days=limits.review_notice_days):
            continue
        url = regulation_path(pk)
        subject, period = f"regulation:{pk}", due.isoformat()
        if today < due:
            reason, title = R.REVIEW_DUE, f"Đến ngày {due:%d/%m/%Y} cần rà soát: {regulation_title}"
        else:
            reason, title = R.REVIEW_OVERDUE, f"Quá hạn rà soát từ {due:%d/%m/%Y}: {regulation_title}"
        since = reviewed or effective or issued
        body = (
            f"{regulation_title} ({number}) được rà soát định kỳ "
            f"{interval} tháng một lần; lần gần nhất từ {since:%d/%m/%Y}."
        )
        for user_id in people.office(org_id):
            due_items.append(Due(user_id, reason, subject, period, title, body, url, org_id))
        if reason == R.REVIEW_OVERDUE and today >= due + datetime.timedelta(days=limits.review_escalation_days):
            superior = parents.get(org_id)
            if superior is not None:
                title = f"{org_name} quá hạn rà soát quy chế từ {due:%d/%m/%Y}"
                for user_id in people.office(superior):
                    due_items.append(Due(user_id, R.REVIEW_ESCALATED, subject, period, title, body, url, org_id))
    return due_items


@rule
def consultation_reminders(today, people: People, thresholds: dict) -> list[Due]:
    """Those who have not answered, some days and one day before; the working group when it expires."""
    due_items = []
    draft_path, consultation_path = path_of("reviews:draft"), path_of("reviews:consultation")
    notice = largest(thresholds, "consultation_notice_days")
    requests = (
        ConsultationRequest.objects.filter(
            answered_at__isnull=True,
            amendment__status=AmendmentStatus.IN_PROGRESS,
            amendment__stage__kind=StageKind.CONSULTATION,
            due__lte=today + datetime.timedelta(days=notice),  # later deadlines are not reminded yet
        )
        .annotate(recipient_user=Concat("user__last_name", Value(" "), "user__first_name"))
        .values_list(
            "pk",
            "due",
            "user_id",
            "user__username",
            "recipient_user",
            "organization_id",
            "organization__name",
            "amendment_id",
            "amendment__title",
            "amendment__regulation__organization_id",
        )  # fmt: skip
    )
    # The working groups of every open amendment, in one query: they hear when a consultation expires.
    groups = defaultdict(set)
    for amendment_id, user_id in (
        WorkingGroupMember.objects.active()
        .filter(amendment__status=AmendmentStatus.IN_PROGRESS)
        .values_list("amendment_id", "user_id")
    ):
        groups[amendment_id].add(user_id)
    for pk, due, user_id, username, user_name, org_id, org_name, amendment_id, amendment_title, owner_id in requests:
        limits = thresholds.get(owner_id, DEFAULTS)
        url = draft_path(amendment_id)
        subject = f"request:{pk}"
        days_left = (due - today).days
        recipients = {user_id} if user_id else people.office(org_id) | (people.secretaries.get(org_id, set()))
        body = f"Dự thảo: {amendment_title}. Hạn trả lời: {due:%d/%m/%Y}."
        if days_left == 1:
            for recipient in recipients:
                due_items.append(Due(recipient, R.CONSULTATION_TOMORROW, subject, due.isoformat(),
                                     f"Ngày mai hết hạn góp ý: {amendment_title}", body, url, owner_id))  # fmt: skip
        elif 1 < days_left <= limits.consultation_notice_days:
            for recipient in recipients:
                due_items.append(Due(recipient, R.CONSULTATION_DUE, subject, due.isoformat(),
                                     f"Còn {days_left} ngày để góp ý: {amendment_title}", body, url,
                                     owner_id))  # fmt: skip
        elif days_left < 0:
            # The request's recipient as ConsultationRequest.recipient_name names them.
            name = (user_name.strip() or username) if user_id else org_name
            for recipient in groups[amendment_id] | people.office(owner_id):
                due_items.append(Due(recipient, R.CONSULTATION_EXPIRED, f"amendment:{amendment_id}",
                                     due.isoformat(), f"Hết hạn lấy ý kiến, {name} chưa trả lời", body,
                                     consultation_path(amendment_id), owner_id))  # fmt: skip
    return due_items


@rule
def stalled_reminders(today, people: People, thresholds: dict) -> list[Due]:
    """An amendment waiting at a stage too long reminds those who act there."""
    due_items = []
    amendment_path = path_of("reviews:detail")
    groups = defaultdict(set)
    for amendment_id, user_id in (
        WorkingGroupMember.objects.active()
        .filter(amendment__status=AmendmentStatus.IN_PROGRESS)
        .values_list("amendment_id", "user_id")
    ):
        groups[amendment_id].add(user_id)
    stages = {stage.pk: stage for stage in Stage.objects.all()}
    amendments = Amendment.objects.filter(status=AmendmentStatus.IN_PROGRESS).values_list(
        "pk", "title", "stage_id", "stage_entered_at", "regulation__organization_id"
    )
    for pk, amendment_title, stage_id, stage_entered_at, org_id in amendments:
        limits = thresholds.get(org_id, DEFAULTS)
        entered = timezone.localtime(stage_entered_at)
        waited = (today - entered.date()).days
        if waited < limits.stalled_stage_days:
            continue
        stage = stages[stage_id]
        recipients = groups[pk] if stage.by_working_group else people.body(org_id, stage.body_kind)
        title = f"Hồ sơ chờ ở bước “{stage.name}” đã {waited} ngày: {amendment_title}"
        body = f"Hồ sơ vào bước này từ {entered:%d/%m/%Y}."
        period = f"{stage.pk}:{entered:%Y-%m-%d}"
        url = amendment_path(pk)
        for user_id in recipients:
            due_items.append(Due(user_id, R.STAGE_STALLED, f"amendment:{pk}", period, title, body, url, org_id))
    return due_items
