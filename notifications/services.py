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
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection, mail_admins
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from organizations.access import can_draft
from organizations.models import EmailMode
from quyche import counts

from . import follows
from .models import EmailPreferenceChange, EmailStatus, FailedTask, Follow, Notification, ReminderSettings
from .reminders import Due, due_today

logger = logging.getLogger(__name__)
# One task tries a send this many times (with growing pauses); each scan gives a failed send another
# task, until it has been tried MAX_TOTAL_ATTEMPTS times in all.
MAX_EMAIL_ATTEMPTS = 5
MAX_TOTAL_ATTEMPTS = 25
# A worker takes a queued email within seconds; one still pending after this long was never queued (or its
# task was lost with the broker), and the next scan queues it again. A second task for an email already
# sent does nothing (send_emails checks the status under a lock).
QUEUE_LOST_AFTER = datetime.timedelta(minutes=10)


# How many rows go in one INSERT, and how many subjects or people one lookup names (one query at a province's
# scale, and far below PostgreSQL's 65,535 parameters).
INSERT_BATCH = 1000
LOOKUP_BATCH = 10_000


def _chunks(values: list, size: int):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _existing(items: list) -> set[tuple]:
    """The keys (person, reason, subject, period) of those already stored, by their subjects: one query a scan."""
    existing = set()
    for chunk in _chunks(sorted({item.subject for item in items}), LOOKUP_BATCH):
        existing.update(
            Notification.objects.filter(subject__in=chunk).values_list("recipient_id", "reason", "subject", "period")
        )
    return existing


def create(items) -> dict:
    """Store the reminders; return how many were new and how many already existed.

    What is already stored is found first, so only new reminders are inserted; the INSERT still skips any that
    a scan running at the same moment stored in between (the constraint), and the count of the scan's rows says
    how many this one created.
    """
    scan = uuid.uuid4()
    items = list(items)
    seen = _existing(items)
    new = []
    for item in items:
        key = (item.recipient_id, item.reason, item.subject, item.period)
        if key not in seen:  # the first of the same reminder found twice in one scan is the one kept, as before
            seen.add(key)
            new.append(item)
    users = {}
    for chunk in _chunks(sorted({item.recipient_id for item in new}), LOOKUP_BATCH):
        users.update(
            (pk, (email, mode))
            for pk, email, mode in get_user_model()
            .objects.filter(pk__in=chunk)
            .values_list("pk", "email", "email_mode")
        )
    rows, unknown = [], 0
    for item in new:
        if item.recipient_id not in users:
            unknown += 1
            continue
        email, mode = users[item.recipient_id]
        if not email or mode == EmailMode.NONE:
            status = EmailStatus.SKIPPED
        elif mode == EmailMode.DIGEST:
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
                organization_id=item.organization_id,
            )  # fmt: skip
        )
    for batch in _chunks(rows, INSERT_BATCH):
        Notification.objects.bulk_create(batch, ignore_conflicts=True)
    unread_changed({row.recipient_id for row in rows})
    created = Notification.objects.filter(scan=scan).count()
    return {"created": created, "skipped_duplicates": len(items) - unknown - created, "scan": scan}


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


def send_emails(notification_ids) -> int:
    """Send these notifications' emails over one connection; return how many went.

    Each one still waiting is counted as an attempt and sent; one that fails is marked with its error and the
    others still go. Then, if any failed, the first error is raised so that the task retries: the retry sends
    only those not yet sent (the status is checked under a lock first).
    """
    with transaction.atomic():
        notifications = list(
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .only("title", "body", "url", "email_attempts", "recipient__email")
            .filter(pk__in=notification_ids, email_status__in=(EmailStatus.PENDING, EmailStatus.FAILED))
            .order_by("pk")
        )
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(email_attempts=F("email_attempts") + 1)
    recipients = {notification.recipient_id for notification in notifications}
    sent, failed = [], defaultdict(list)  # error -> notification ids
    first_error = None
    connection = get_connection()
    try:
        connection.open()
    except Exception as error:  # the server is down: none of them went
        failed[f"{type(error).__name__}: {error}"[:2000]] = [n.pk for n in notifications]
        first_error = error
        logger.warning("Emails of %s notifications failed: %s", len(notifications), error)
        notifications = []
    try:
        for notification in notifications:
            context = {"notification": notification, "site_url": settings.SITE_URL}
            message = EmailMultiAlternatives(
                subject=f"[Quy chế] {notification.title}",
                body=render_to_string("notifications/email/notification.txt", context),
                to=[notification.recipient.email],
                connection=connection,
            )
            message.attach_alternative(render_to_string("notifications/email/notification.html", context), "text/html")
            try:
                message.send()
            except Exception as error:  # SMTP down, refused, timed out: all are worth another try later
                failed[f"{type(error).__name__}: {error}"[:2000]].append(notification.pk)
                first_error = first_error or error
                logger.warning(
                    "Email of notification %s failed (attempt %s): %s",
                    notification.pk, notification.email_attempts + 1, error,
                )  # fmt: skip
            else:
                sent.append(notification.pk)
    finally:
        connection.close()
    Notification.objects.filter(pk__in=sent).update(
        email_status=EmailStatus.SENT, emailed_at=timezone.now(), email_error=""
    )
    for error, pks in failed.items():
        Notification.objects.filter(pk__in=pks).update(email_status=EmailStatus.FAILED, email_error=error)
    unread_changed(recipients)  # their lists say whether the email went
    if first_error is not None:
        raise first_error
    return len(sent)


# The digest's heading for what concerns no organization in particular.
NO_ORGANIZATION = "Thông báo chung"


def _by_organization(notifications: list) -> list[tuple[str, list]]:
    """The digest's sections: each organization's notifications under its name, in the order of the names."""
    groups = defaultdict(list)
    for notification in notifications:
        groups[notification.organization.name if notification.organization else NO_ORGANIZATION].append(notification)
    return sorted(groups.items(), key=lambda group: (group[0] == NO_ORGANIZATION, group[0]))


def send_digests() -> int:
    """One email per person with everything that waited for the daily digest, grouped by organization."""
    waiting = defaultdict(list)
    for notification in (
        Notification.objects.filter(email_status=EmailStatus.DIGEST)
        .select_related("recipient", "organization")
        .order_by("created_at", "pk")
    ):
        waiting[notification.recipient].append(notification)
    sent = 0
    for user, notifications in waiting.items():
        context = {
            "user": user, "notifications": notifications, "groups": _by_organization(notifications),
            "site_url": settings.SITE_URL,
        }  # fmt: skip
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


def notify_many(
    recipients: Iterable[int], *, reason: str, subject: str, period: str, title: str, body: str, url: str, actor=None,
    organization_id: int | None = None,
) -> set[int]:  # fmt: skip
    """Tell these people (ids) of an event, in the event's own transaction; return whom it told.

    The person who caused it is not told; each of the others once, however often they are named, and once
    only even if the event is told again (`create`: the key is person, reason, subject, period, so the event's
    id goes in the subject or period). Shown at once; emailed as each chose (now, in the daily digest, or not),
    the immediate emails queued once the event is committed: a rolled-back event sends nothing.
    """
    told = set(recipients) - {None, getattr(actor, "pk", None)}
    if not told:
        return told
    result = create(
        Due(pk, reason, subject, period, title, body, url, organization_id) for pk in sorted(told)
    )  # fmt: skip
    to_email = list(
        Notification.objects.filter(scan=result["scan"], email_status=EmailStatus.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if to_email:
        # A broker that is down leaves them pending for the next scan (tasks.queue_emails); robust, so that
        # nothing after the commit can make the event look failed to whoever caused it.
        transaction.on_commit(lambda: _queue(to_email), robust=True)
    return told


def _queue(notification_ids: list[int]) -> None:
    from .tasks import queue_emails  # the tasks call the services: imported when first used

    queue_emails(notification_ids)


# Follows --------------------------------------------------------------------------------------


def _follow_key(target) -> dict:
    return {"content_type": ContentType.objects.get_for_model(target), "object_id": target.pk}


def followers(target) -> set[int]:
    """Who follows the regulation or amendment, has not muted it, and may still read it: a follower whose seat
    has ended since, or who moved to another committee, is told nothing more of it (its title, a returned
    dossier's comment). Checked one by one, as the follow itself was: an item has a handful of followers."""
    followable = follows.of(target)
    following = Follow.objects.filter(**_follow_key(target), muted=False).values("user_id")
    people = get_user_model().objects.filter(pk__in=following, is_active=True)
    return {person.pk for person in people if followable.can_view(person, target)}


def follow_of(user, target) -> Follow | None:
    """Whether the person follows it (and muted it): kept for the person until one of their follows changes
    (`follows_changed`), as every page of a regulation or a dossier shows it."""
    if not user.is_authenticated:
        return None
    key = _follow_key(target)

    def find() -> Follow | None:
        return Follow.objects.filter(user=user, **key).first()

    name = f"follow:{user.pk}:{key['content_type'].pk}:{target.pk}"
    return counts.cached(name, (f"follows:{user.pk}",), find)


def follows_changed(user_ids) -> None:
    """These people's follows changed: a saved or deleted follow says so itself (apps.py), a bulk write here."""
    if user_ids:
        counts.changed(*(f"follows:{pk}" for pk in user_ids))


@transaction.atomic
def follow(*, user, target) -> Follow:
    """Follow a regulation or an amendment one may read (or hear of it again, if muted)."""
    if not follows.of(target).can_view(user, target):
        raise PermissionDenied("Đồng chí không có quyền xem nội dung này.")
    followed, _ = Follow.objects.update_or_create(user=user, **_follow_key(target), defaults={"muted": False})
    return followed


def follows_add(*, user_ids: Iterable[int], target) -> None:
    """Those who work on it follow it by default: kept as they were if they already follow it (muted or not).
    The caller has just given them the right to read it."""
    key = _follow_key(target)
    user_ids = set(user_ids)
    Follow.objects.bulk_create([Follow(user_id=pk, **key) for pk in user_ids], ignore_conflicts=True)
    follows_changed(user_ids)


def unfollow(*, user, target) -> None:
    Follow.objects.filter(user=user, **_follow_key(target)).delete()


def follow_mute(*, user, target, muted: bool) -> Follow:
    """Hear nothing of a followed item (or hear of it again); what a person's role requires still comes."""
    followed = follow_of(user, target)
    if followed is None:
        raise ValidationError("Đồng chí chưa theo dõi nội dung này.")
    if followed.muted != muted:
        followed.muted = muted
        followed.save(update_fields=["muted"])
    return followed


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def unread_count_lazy(user):
    """The header's count, counted when shown: from the cache until the person reads one or is sent one
    (`unread_changed`)."""
    return counts.lazy_count("unread", user, (f"notifications:{user.pk}",), lambda: unread_count(user))


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


# What a failed task's record keeps of its arguments: ids, not whole texts.
FAILED_ARGUMENTS_MAX = 2000


def failed_task_record(*, task_name: str, task_id: str, args, kwargs, exception: BaseException, traceback: str):
    """Keep a task that failed for good, shown in the admin, and tell ADMINS by email when there are any."""
    arguments = ", ".join([*(repr(a) for a in args or ()), *(f"{k}={v!r}" for k, v in (kwargs or {}).items())])
    failed = FailedTask.objects.create(
        task_name=task_name[:200],
        task_id=task_id or "",
        arguments=arguments[:FAILED_ARGUMENTS_MAX],
        exception=f"{type(exception).__name__}: {exception}",
        traceback=traceback,
    )
    mail_admins(
        f"Tác vụ nền bị lỗi: {failed.task_name}",
        f"{failed.exception}\n\nTham số: {failed.arguments}\nThời điểm: {timezone.localtime(failed.failed_at)}"
        f"\nMã tác vụ: {failed.task_id}\n\n{failed.traceback}",
        fail_silently=True,
    )
    return failed
