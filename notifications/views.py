from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from organizations.access import can_draft, get_organization_for_user
from quyche import counts
from quyche.paging import page_of, reverse_each

from . import follows, services
from .forms import EmailModeForm, ReminderSettingsForm
from .models import NotificationReason, ReminderSettings

REASONS = dict(NotificationReason.choices)


@login_required
def notification_list(request):
    """The person's notifications, newest first, fifty to a page. The drawn rows are kept for the person and
    the page until one of their notifications is sent, read or emailed (`services.unread_changed`); each row's
    button sends the one form outside them, which carries the request's token."""

    def draw() -> dict:
        page = page_of(request, request.user.notifications.all(), carried=())
        # What each row shows, made here: fifty rows of template lookups, reversed URLs and choice labels cost
        # five times the rest of the page.
        open_url = reverse_each("notifications:open")
        for notification in page.items:
            notification.open_url = open_url(notification.pk)
            notification.reason_label = REASONS.get(notification.reason, notification.reason)
            notification.when = f"{timezone.localtime(notification.created_at):%d/%m/%Y %H:%M}"
        rows = render_to_string("notifications/_rows.html", {"items": page.items, "page": page})
        return {"rows": rows, "any": bool(page.items)}

    name, depends_on = f"notification-list:{request.user.pk}", (f"notifications:{request.user.pk}",)
    kept = counts.cached_page(request, name, depends_on, draw)
    return render(request, "notifications/list.html", kept)


@login_required
@require_POST
def notification_read(request, notification_pk=None):
    """Mark one notification (then follow its link) or all of them as read."""
    if notification_pk is None:
        services.mark_read(request.user)
        return redirect("notifications:list")
    notification = request.user.notifications.filter(pk=notification_pk).first()
    if notification is None:
        raise Http404("Không tìm thấy thông báo.")
    services.mark_read(request.user, [notification.pk])
    return redirect(notification.url)


@login_required
def notification_settings(request):
    form = EmailModeForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.email_mode_save(user=request.user, **form.cleaned_data)
        messages.success(request, "Đã lưu cách nhận thông báo.")
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})


@login_required
def reminder_settings(request, organization_pk):
    organization = get_organization_for_user(request.user, organization_pk)
    if not can_draft(request.user, organization):
        raise PermissionDenied("Chỉ văn phòng cấp ủy đặt ngưỡng nhắc việc của tổ chức.")
    instance = ReminderSettings.objects.filter(organization=organization).first() or ReminderSettings(
        organization=organization
    )
    form = ReminderSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.reminder_settings_save(organization=organization, user=request.user, **form.cleaned_data)
        messages.success(request, "Đã lưu ngưỡng nhắc việc.")
        return redirect("organizations:detail", pk=organization.pk)
    return render(request, "notifications/reminder_settings.html", {"form": form, "organization": organization})


FOLLOW_ACTIONS = {
    "follow": "Đã theo dõi; đồng chí sẽ nhận thông báo khi có thay đổi.",
    "unfollow": "Đã bỏ theo dõi.",
    "mute": "Đã tắt thông báo về nội dung này.",
    "unmute": "Đã bật lại thông báo về nội dung này.",
}


@login_required
@require_POST
@vary_on_headers("HX-Request")  # htmx is answered with the button alone
def follow_change(request, kind, pk):
    """Follow, unfollow, mute or unmute a regulation or an amendment the user may read (404 otherwise)."""
    followable = follows.FOLLOWABLE.get(kind)
    if followable is None:
        raise Http404("Không tìm thấy nội dung.")
    target = followable.get_for_user(request.user, pk)
    action = request.POST.get("action")
    if action not in FOLLOW_ACTIONS:
        messages.error(request, "Thao tác theo dõi không hợp lệ.")
    else:
        try:
            if action == "follow":
                services.follow(user=request.user, target=target)
            elif action == "unfollow":
                services.unfollow(user=request.user, target=target)
            else:
                services.follow_mute(user=request.user, target=target, muted=action == "mute")
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            if not request.htmx:
                messages.success(request, FOLLOW_ACTIONS[action])
    if request.htmx:
        return render(request, "notifications/_follow.html", follow_context(request.user, target, followable))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = followable.url(target)
    return redirect(back)


def follow_context(user, target, followable=None) -> dict:
    followable = followable or follows.of(target)
    return {"follow": services.follow_of(user, target), "kind": followable.kind, "target_pk": target.pk}


@login_required
def follow_list(request):
    """What I follow, newest first, a page at a time (those who work on dossiers follow each by default, and they
    add up over the years), with unfollow and mute: each item read with the others of its kind (a query per kind)."""
    listed = page_of(request, request.user.follows.select_related("content_type").order_by("-created_at", "-pk"))
    by_type = defaultdict(list)
    for row in listed.items:
        by_type[row.content_type].append(row)
    items = []
    for content_type, followed in by_type.items():
        followable = follows.by_model(content_type.model_class())
        if followable is None:
            continue
        targets = followable.model.objects.in_bulk([row.object_id for row in followed])
        for row in followed:
            target = targets.get(row.object_id)
            if target is not None:
                items.append({"row": row, "target": target, "noun": followable.noun, "kind": followable.kind,
                              "url": followable.url(target)})  # fmt: skip
    items.sort(key=lambda item: (item["row"].created_at, item["row"].pk), reverse=True)
    context = {"items": items, "page": listed, "back": reverse("notifications:follows")}
    return render(request, "notifications/follows.html", context)
