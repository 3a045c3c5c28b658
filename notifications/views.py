from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from organizations.access import can_draft, get_organization_for_user
from quyche.paging import page_of

from . import services
from .forms import EmailModeForm, ReminderSettingsForm
from .models import ReminderSettings


@login_required
def notification_list(request):
    page = page_of(request, request.user.notifications.all())
    return render(request, "notifications/list.html", {"items": page.items, "page": page})


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
