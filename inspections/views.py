from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from organizations.access import can_audit, get_organization_for_user
from quyche import choosers
from quyche.forms import add_service_error, error_text

from . import access, selectors, services
from .forms import CheckForm, FindingForm, InspectionForm, ReportForm, citable_choices
from .models import FindingStatus, InspectionKind


def _finding_url(finding) -> str:
    return reverse("inspections:detail", args=[finding.inspection_id]) + f"#han-che-{finding.pk}"


@login_required
def inspection_list(request, organization_pk):
    organization = get_organization_for_user(request.user, organization_pk)
    made, received = selectors.inspections_on_page(request.user, organization, timezone.localdate())
    return render(
        request,
        "inspections/list.html",
        {
            "organization": organization,
            "made": made,
            "received": received,
            "shows_made": can_audit(request.user, organization),
            "can_inspect": access.can_inspect(request.user, organization),
        },
    )


@login_required
def inspection_create(request, organization_pk):
    organization = get_organization_for_user(request.user, organization_pk)
    if not access.can_inspect(request.user, organization):
        raise PermissionDenied("Chỉ Ban Thường vụ, Ủy ban Kiểm tra, Văn phòng lập cuộc kiểm tra, giám sát của tổ chức.")
    form = InspectionForm(
        request.POST or None, organization=organization,
        initial={"kind": InspectionKind.INSPECTION, "date": timezone.localdate()},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_create(inspecting=organization, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Đã lập cuộc kiểm tra, giám sát. Hãy ghi các hạn chế, khuyết điểm đã phát hiện.")
            return redirect("inspections:detail", pk=inspection.pk)
    return render(request, "inspections/create.html", {"organization": organization, "form": form})


@login_required
def inspection_detail(request, pk):
    inspection = selectors.get_inspection_for_user(request.user, pk)
    findings = selectors.findings_of(inspection)
    for finding in findings:
        prefix = f"f{finding.pk}"
        finding.report_form = ReportForm(prefix=prefix) if access.can_report(request.user, finding) else None
        finding.check_form = CheckForm(prefix=prefix) if access.can_check(request.user, finding) else None
    return render(
        request,
        "inspections/detail.html",
        {
            "inspection": inspection,
            "findings": findings,
            "today": timezone.localdate(),
            "can_add_finding": access.can_add_finding(request.user, inspection),
        },
    )


@login_required
def finding_add(request, pk):
    inspection = selectors.get_inspection_for_user(request.user, pk)
    if not access.can_add_finding(request.user, inspection):
        raise PermissionDenied("Chỉ cấp kiểm tra, giám sát ghi hạn chế, khuyết điểm.")
    form = FindingForm(
        request.POST or None, inspection=inspection, citable=selectors.articles_to_cite(inspection.inspected)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        regulation, article_key = data.pop("article")
        try:
            finding = services.finding_add(
                inspection=inspection, user=request.user, regulation=regulation, article_key=article_key, **data
            )
        except ValidationError as error:
            add_service_error(form, error, aliases={"regulation": "article", "article_key": "article"})
        else:
            messages.success(request, "Đã ghi hạn chế, khuyết điểm và yêu cầu khắc phục.")
            return redirect(_finding_url(finding))
    return render(request, "inspections/finding_add.html", {"inspection": inspection, "form": form})


@login_required
def finding_articles(request, pk):
    """The finding's "Liên quan đến quy chế, điều" suggestions as the inspecting side types."""
    inspection = selectors.get_inspection_for_user(request.user, pk)
    if not access.can_add_finding(request.user, inspection):
        raise PermissionDenied("Chỉ cấp kiểm tra, giám sát ghi hạn chế, khuyết điểm.")
    return choosers.suggestions(request, citable_choices(selectors.articles_to_cite(inspection.inspected)))


@login_required
@require_POST
def finding_report(request, pk):
    finding = selectors.get_finding_for_user(request.user, pk)
    form = ReportForm(request.POST, prefix=f"f{finding.pk}")
    if not form.is_valid():
        messages.error(request, error_text(form))
        return redirect(_finding_url(finding))
    try:
        services.remediation_report(finding=finding, user=request.user, report=form.cleaned_data["report"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Đã gửi báo cáo khắc phục; cấp kiểm tra sẽ hậu kiểm.")
    return redirect(_finding_url(finding))


@login_required
@require_POST
def finding_check(request, pk):
    finding = selectors.get_finding_for_user(request.user, pk)
    form = CheckForm(request.POST, prefix=f"f{finding.pk}")
    if not form.is_valid():
        messages.error(request, "Thông tin chưa hợp lệ: " + "; ".join(e for errs in form.errors.values() for e in errs))
        return redirect(_finding_url(finding))
    try:
        finding = services.finding_check(finding=finding, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if finding.status == FindingStatus.CLOSED:
            messages.success(request, "Đã kết luận: đã khắc phục.")
        else:
            messages.warning(request, f"Đã yêu cầu khắc phục lại, hạn {finding.deadline:%d/%m/%Y}.")
    return redirect(_finding_url(finding))
