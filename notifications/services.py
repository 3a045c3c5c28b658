"""Delivery of reminders: stored once in the database, shown in the header, sent by email.

A reminder is created with a plain INSERT that the database refuses when the same one exists
(person, reason, subject, period): two scans at the same moment, or a retried task, cannot
create it twice. An email that fails is retried; one that keeps failing stays marked "failed"
with its error, for a later scan to try again. One whose task could not be queued (the broker
was down) stays "pending", and a later scan queues it again.
"""

import datetime
import logging
import uuid
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from organizations.access import can_draft
from organizations.models import EmailMode
from quyche import counts

from .models import EmailPreferenceChange, EmailStatus, Notification, ReminderSettings
from .reminders import due_today

logger = logging.getLogger(__name__)
# One task tries a send this many times (with growing pauses); each scan gives a failed send another
# task, until it has been tried MAX_TOTAL_ATTEMPTS times in all.
MAX_EMAIL_ATTEMPTS = 5
MAX_TOTAL_ATTEMPTS = 25
# A worker takes a queued email within seconds; one still pending after this long was never queued (or its
# task was lost with the broker), and the next scan queues it again. A second task for an email already
# sent does nothing (send_email checks the status under a lock).
QUEUE_LOST_AFTER = datetime.timedelta(minutes=10)


def create(items) -> dict:
    """Store the reminders; return how many were new and how many already existed."""
    scan = uuid.uuid4()
    users = {
        user.pk: user
        for user in get_user_model()
        .objects.filter(pk__in={item.recipient_id for item in items})
        .only("pk", "email", "email_mode")
    }
    rows = []
    for item in items:
        user = users.get(item.recipient_id)
        if user is None:
            continue
        if not user.email or user.email_mode == EmailMode.NONE:
            status = EmailStatus.SKIPPED
        elif user.email_mode == EmailMode.DIGEST:
            status = EmailStatus.DIGEST
        else:
            status = EmailStatus.PENDING
        rows.append(
            Notification(
                recipient_id=item.recipient_id,
                reason=item.reason,
                subject=item.subject,
                period=item.period,
                title=item.title[:300],
                body=item.body,
                url=item.url,
                email_status=status,
                scan=scan,
            )  # fmt: skip
        )
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    unread_changed({row.recipient_id for row in rows})
    created = Notification.objects.filter(scan=scan).count()
    return {"created": created, "skipped_duplicates": len(rows) - created, "scan": scan}


def reminders_store(today=None) -> dict:
    """One pass of every rule: store what is due; return the counts and the emails to send now.

    Failed sends get another chance on each pass, until they have used up their attempts, and so do
    emails left pending by an earlier pass that could not queue them; the caller queues the emails
    once this transaction has committed.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        result = create(due_today(today))
        pending = Q(scan=result["scan"]) | Q(created_at__lt=timezone.now() - QUEUE_LOST_AFTER)
        to_email = list(
            Notification.objects.filter(
                Q(pending, email_status=EmailStatus.PENDING)
                | Q(email_status=EmailStatus.FAILED, email_attempts__lt=MAX_TOTAL_ATTEMPTS)
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    return {**result, "to_email": to_email}


def scan_counts(result: dict, not_queued: int = 0) -> dict:
    """What a scan reports: new reminders, emails already sent (all of them, when run inline), duplicates,
    and the emails it could not queue (left pending for the next scan)."""
    emailed = Notification.objects.filter(scan=result["scan"], email_status=EmailStatus.SENT).count()
    return {
        "created": result["created"], "emailed": emailed, "skipped_duplicates": result["skipped_duplicates"],
        "not_queued": not_queued,
    }  # fmt: skip


def send_email(notification_id: int) -> bool:
    """Send one notification's email. Raises on a failure, after recording it, so that the task retries."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("recipient").filter(pk=notification_id).first()
        )
        if notification is None or notification.email_status not in (EmailStatus.PENDING, EmailStatus.FAILED):
            return False
        notification.email_attempts += 1
        notification.save(update_fields=["email_attempts"])
    context = {"notification": notification, "site_url": settings.SITE_URL}
    message = EmailMultiAlternatives(
        subject=f"[Quy chế] {notification.title}",
        body=render_to_string("notifications/email/notification.txt", context),
        to=[notification.recipient.email],
    )
    message.attach_alternative(render_to_string("notifications/email/notification.html", context), "text/html")
    try:
        message.send()
    except Exception as error:  # SMTP down, refused, timed out: all are worth another try later
        Notification.objects.filter(pk=notification.pk).update(
            email_status=EmailStatus.FAILED, email_error=f"{type(error).__name__}: {error}"[:2000]
        )
        logger.warning(
            "Email of notification %s failed (attempt %s): %s", notification.pk, notification.email_attempts, error
        )
        raise
    Notification.objects.filter(pk=notification.pk).update(
        email_status=EmailStatus.SENT, emailed_at=timezone.now(), email_error=""
    )
    return True


def send_digests() -> int:
    """One email per person with everything that waited for the daily digest."""
    waiting = defaultdict(list)
    for notification in Notification.objects.filter(email_status=EmailStatus.DIGEST).select_related("recipient"):
        waiting[notification.recipient].append(notification)
    sent = 0
    for user, notifications in waiting.items():
        context = {"user": user, "notifications": notifications, "site_url": settings.SITE_URL}
        message = EmailMultiAlternatives(
            subject=f"[Quy chế] {len(notifications)} thông báo mới",
            body=render_to_string("notifications/email/digest.txt", context),
            to=[user.email],
        )
        message.attach_alternative(render_to_string("notifications/email/digest.html", context), "text/html")
        try:
            message.send()
        except Exception as error:  # one person's mailbox must not stop the others' digests
            logger.warning("Digest for %s failed: %s", user.pk, error)
            continue
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
            email_status=EmailStatus.SENT, emailed_at=timezone.now()
        )
        sent += 1
    return sent


def notify(*, recipient_id: int, reason: str, subject: str, title: str, body: str, url: str) -> Notification:
    """A notice shown in the header (no email), once per person, reason and subject."""
    notification, _ = Notification.objects.get_or_create(
        recipient_id=recipient_id,
        reason=reason,
        subject=subject,
        period="",
        defaults={"title": title[:300], "body": body, "url": url, "email_status": EmailStatus.SKIPPED},
    )
    return notification


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def unread_count_cached(user) -> int:
    """The header's count: from the cache until the person reads one or is sent one (`unread_changed`)."""
    return counts.cached_count("unread", user, (f"notifications:{user.pk}",), lambda: unread_count(user))


def unread_changed(recipient_ids) -> None:
    """Bulk writes (which send no signals) say whose unread notifications changed."""
    if recipient_ids:
        counts.changed(*(f"notifications:{pk}" for pk in recipient_ids))


def mark_read(user, notification_ids=None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    marked = qs.update(read_at=timezone.now())
    if marked:
        unread_changed([user.pk])
    return marked


REMINDER_THRESHOLDS = (
    "review_notice_days", "review_escalation_days", "term_rules_days", "consultation_notice_days",
    "stalled_stage_days",
)  # fmt: skip


@transaction.atomic
def reminder_settings_save(*, organization, user, **thresholds) -> ReminderSettings:
    """The office sets its organization's reminder thresholds (the defaults stand until it does)."""
    if not can_draft(user, organization):
        raise PermissionDenied("Chỉ văn phòng cấp ủy đặt ngưỡng nhắc việc của tổ chức.")
    unknown = set(thresholds) - set(REMINDER_THRESHOLDS)
    if unknown:
        raise ValueError(f"Unknown thresholds: {sorted(unknown)}")
    settings_row, _ = ReminderSettings.objects.select_for_update().get_or_create(organization=organization)
    for name, value in thresholds.items():
        setattr(settings_row, name, value)
    settings_row.full_clean()
    settings_row._history_user = user  # the history keeps who changed what (ReminderSettings.history)
    settings_row.save()
    return settings_row


def email_mode_save(*, user, email_mode: str, email: str):
    """How a person receives their notifications: immediately, as a daily digest, or only on the site."""
    previous_mode, previous_email = user.email_mode, user.email
    user.email_mode, user.email = email_mode, email
    user.full_clean(exclude=["password", "username"])
    user.save(update_fields=["email_mode", "email"])
    if (previous_mode, previous_email) != (email_mode, email):
        EmailPreferenceChange.objects.create(
            user=user, email_mode=email_mode, email=email, previous_email_mode=previous_mode,
            previous_email=previous_email,
        )  # fmt: skip
    return user
