import csv
import io

import openpyxl
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from organizations import access
from organizations.models import Organization, Position
from quyche.forms import add_service_error
from regulations import diffing, editing
from regulations import pdf as regulation_pdf
from regulations import services as regulation_services
from regulations.models import Provision
from regulations.selectors import get_regulation_for_user, get_version_for_user, provision_tree

from . import inspections, notifications, oversight, pdf, selectors, services, tasks
from .forms import (
    ArticleForm,
    CheckForm,
    CommentForm,
    DispositionForm,
    DossierForm,
    EmailModeForm,
    FindingForm,
    InsertForm,
    InspectionForm,
    IssueForm,
    OversightFilterForm,
    PlaceForm,
    ReminderSettingsForm,
    ReplyForm,
    ReportForm,
    RequestForm,
    StartForm,
    TransitionForm,
    WorkingGroupForm,
)
from .models import Amendment, AmendmentStatus, Comment, FindingStatus, InspectionKind, ReminderSettings


def rights(user, amendment) -> dict:
    """What the user may do here: one call per rule, for the templates' buttons."""
    return {
        "can_act": access.can_act_at_stage(user, amendment),
        "can_edit_draft": access.can_edit_draft(user, amendment),
        "can_edit_dossier": access.can_edit_dossier(user, amendment),
        "can_manage_group": access.can_manage_working_group(user, amendment),
        "can_consult": access.can_consult(user, amendment),
        "can_comment": access.can_comment(user, amendment),
        "can_reply": access.can_reply(user, amendment),
        "can_dispose": access.can_dispose(user, amendment),
        "can_issue": access.can_issue(user, amendment),
    }


def page(request, template, amendment, tab, **context):
    return render(
        request,
        template,
        {
            "amendment": amendment,
            "tab": tab,
            "regulation": amendment.regulation,
            **rights(request.user, amendment),
            **context,
        },
    )


@login_required
def amendment_list(request):
    amendments = selectors.visible_amendments(request.user).for_list().order_by("-created_at")[:200]
    return render(request, "reviews/amendment_list.html", {"amendments": amendments})


@login_required
def amendment_start(request, regulation_pk):
    regulation = get_regulation_for_user(request.user, regulation_pk)
    if not access.can_start_amendment(request.user, regulation):
        raise PermissionDenied("Chỉ văn phòng cấp ủy mới lập hồ sơ sửa đổi.")
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            amendment = services.amendment_start(regulation=regulation, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Đã lập hồ sơ sửa đổi, bổ sung và dự thảo từ văn bản đang có hiệu lực.")
            return redirect("reviews:detail", pk=amendment.pk)
    return render(request, "reviews/amendment_start.html", {"regulation": regulation, "form": form})


@login_required
def amendment_detail(request, pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    stages = services.stages_for(amendment.regulation.organization)
    transition = TransitionForm(initial={"stage": amendment.stage_id, "meeting_date": timezone.localdate()})
    body_size = (
        Position.objects.active()
        .filter(body__organization=amendment.regulation.organization, body__kind=amendment.stage.body_kind)
        .values("user")
        .distinct()
        .count()
    )
    return page(
        request,
        "reviews/amendment_detail.html",
        amendment,
        "detail",
        stages=stages,
        events=selectors.events_of(amendment),
        working_group=amendment.working_group.select_related("user"),
        transition=transition,
        body_size=body_size,
        group_form=WorkingGroupForm(),
        requests=selectors.requests_of(amendment),
    )


@login_required
def dossier_edit(request, pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    if not access.can_edit_dossier(request.user, amendment):
        raise PermissionDenied("Hồ sơ chỉ được sửa ở các bước của tổ công tác.")
    initial = {name: getattr(amendment, name) for name in services.DOSSIER_FIELDS}
    form = DossierForm(request.POST or None, initial={**initial, "revision": amendment.dossier_revision})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        revision = data.pop("revision")
        try:
            services.dossier_update(amendment=amendment, user=request.user, expected_revision=revision, **data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Đã lưu hồ sơ.")
            return redirect("reviews:detail", pk=amendment.pk)
    return page(request, "reviews/dossier_edit.html", amendment, "detail", form=form)


@login_required
@require_POST
def amendment_transition(request, pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Thông tin chưa hợp lệ: " + "; ".join(e for errs in form.errors.values() for e in errs))
        return redirect("reviews:detail", pk=amendment.pk)
    data = dict(form.cleaned_data)
    action, stage = data.pop("action"), data.pop("stage")
    try:
        amendment = services.amendment_transition(
            amendment=amendment, user=request.user, action=action, expected_stage_id=stage, **data
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if amendment.status == AmendmentStatus.ADOPTED:
            messages.success(request, "Dự thảo đã được thông qua; văn phòng vào số và ban hành.")
        elif amendment.status == AmendmentStatus.REJECTED:
            messages.warning(request, "Đã ghi nhận: không thông qua.")
        else:
            messages.success(request, f"Đã chuyển sang bước “{amendment.stage.name}”.")
    return redirect("reviews:detail", pk=amendment.pk)


@login_required
@require_POST
def working_group_add(request, pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    form = WorkingGroupForm(request.POST)
    if form.is_valid():
        try:
            services.working_group_add(
                amendment=amendment, user=request.user, member=form.cleaned_data["username"],
                affiliation=form.cleaned_data["affiliation"],
            )  # fmt: skip
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Đã thêm {form.cleaned_data['username']} vào tổ công tác.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("reviews:detail", pk=amendment.pk)


@login_required
@require_POST
def working_group_remove(request, pk, user_pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    seat = amendment.working_group.select_related("user").filter(user_id=user_pk).first()
    if seat is None:
        raise Http404("Không có thành viên này trong tổ công tác.")
    try:
        services.working_group_remove(amendment=amendment, user=request.user, member=seat.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Đã bỏ {seat.user} khỏi tổ công tác.")
    return redirect("reviews:detail", pk=amendment.pk)


# The draft -----------------------------------------------------------------------------------


@login_required
def draft(request, pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    tree = provision_tree(amendment.draft)
    rows = selectors.comparison_table(amendment)
    changed = {row.new_label: row for row in rows if row.change in ("modified", "added") and row.new_label}
    comments = selectors.comments_by_article(amendment)
    lines = {}
    for node in tree.all:
        if node.kind != "article" and node.article_id:
            lines.setdefault(node.article_id, []).append(node)
    for article in tree.articles:
        article.lines = lines.get(article.pk, [])
        article.row = changed.get(article.label)
        article.comments = comments.get(article.key, [])
        article.diff = diffing.diff_markup(article.row.ops) if article.row else ""
    return page(
        request,
        "reviews/draft.html",
        amendment,
        "draft",
        tree=tree,
        whole_draft_comments=comments.get(None, []),
        comment_form=CommentForm(),
        reply_form=ReplyForm(),
        open_requests=access.open_requests_for(request.user, amendment),
    )


def _article(amendment, key) -> Provision:
    article = Provision.objects.filter(version=amendment.draft_id, key=key, kind="article").first()
    if article is None:
        raise Http404("Không tìm thấy điều này trong dự thảo.")
    return article


def _editable(request, pk) -> Amendment:
    amendment = selectors.get_amendment_for_user(request.user, pk)
    if not access.can_edit_draft(request.user, amendment):
        raise PermissionDenied("Dự thảo chỉ được sửa ở bước soạn thảo hoặc tổng hợp, bởi tổ công tác.")
    return amendment


@login_required
def article_edit(request, pk, key):
    amendment = _editable(request, pk)
    article = _article(amendment, key)
    form = ArticleForm(
        request.POST or None,
        initial={
            "heading": article.heading,
            "body": editing.article_body(article=article),
            "revision": article.revision,
        },
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.draft_article_update(
                amendment=amendment, user=request.user, key=article.key, heading=data["heading"], body=data["body"],
                reason=data["reason"], expected_revision=data["revision"] or 0,
            )  # fmt: skip
        except editing.ConcurrentEdit as error:
            conflict = error
            form.add_error(None, error)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Đã lưu Điều {article.label}.")
            return redirect(f"{_draft_url(amendment)}#dieu-{article.label}")
    return page(request, "reviews/article_edit.html", amendment, "draft", article=article, form=form, conflict=conflict)


def _draft_url(amendment):
    return reverse("reviews:draft", args=[amendment.pk])


def _place(amendment, key):
    return _article(amendment, key) if key else None


def _first_chapter_id(amendment) -> int | None:
    """ "At the start" means first in the first chapter, not above the chapter headings."""
    chapter = next((n for n in provision_tree(amendment.draft).all if n.kind in ("chapter", "section")), None)
    return chapter.pk if chapter else None


@login_required
def article_insert(request, pk):
    amendment = _editable(request, pk)
    articles = provision_tree(amendment.draft).articles
    form = InsertForm(request.POST or None, articles=articles, initial={"after": request.GET.get("sau", "")})
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        after = _place(amendment, data["after"])
        if request.POST.get("confirm") != "1":
            parent = Provision.objects.filter(pk=_first_chapter_id(amendment)).first() if after is None else None
            preview = editing.preview_insert(version=amendment.draft, after=after, parent=parent)
        else:
            try:
                services.draft_article_insert(
                    amendment=amendment, user=request.user, after_key=after.key if after else None,
                    heading=data["heading"], body=data["body"], reason=data["reason"],
                    parent_id=_first_chapter_id(amendment) if after is None else None,
                )  # fmt: skip
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, "Đã bổ sung điều mới và đánh số lại các điều sau.")
                return redirect(_draft_url(amendment))
    return page(request, "reviews/article_insert.html", amendment, "draft", form=form, preview=preview)


@login_required
def article_remove(request, pk, key):
    amendment = _editable(request, pk)
    article = _article(amendment, key)
    form = PlaceForm(request.POST or None, initial={"revision": article.revision})
    del form.fields["after"]
    preview = editing.preview_remove(article=article)
    if request.method == "POST" and form.is_valid():
        try:
            services.draft_article_remove(
                amendment=amendment, user=request.user, key=article.key, reason=form.cleaned_data["reason"],
                expected_revision=form.cleaned_data["revision"] or 0,
            )  # fmt: skip
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Đã bỏ Điều {article.label} và đánh số lại các điều sau.")
            return redirect(_draft_url(amendment))
    return page(request, "reviews/article_remove.html", amendment, "draft", article=article, form=form, preview=preview)


@login_required
def article_move(request, pk, key):
    amendment = _editable(request, pk)
    article = _article(amendment, key)
    articles = provision_tree(amendment.draft).articles
    form = PlaceForm(request.POST or None, articles=articles, exclude=article.key)
    preview = None
    if request.method == "POST" and form.is_valid():
        after = _place(amendment, form.cleaned_data["after"])
        if request.POST.get("confirm") != "1":
            preview = editing.preview_move(article=article, after=after)
        else:
            try:
                services.draft_article_move(
                    amendment=amendment, user=request.user, key=article.key, after_key=after.key if after else None,
                    reason=form.cleaned_data["reason"],
                )  # fmt: skip
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, "Đã chuyển vị trí điều và đánh số lại.")
                return redirect(_draft_url(amendment))
    return page(request, "reviews/article_move.html", amendment, "draft", article=article, form=form, preview=preview)


@login_required
def comparison(request, pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    rows = selectors.comparison_table(amendment)
    changed_only = request.GET.get("tat_ca") != "1"
    shown = [row for row in rows if row.change != "unchanged"] if changed_only else rows
    return page(
        request,
        "reviews/comparison.html",
        amendment,
        "comparison",
        rows=[(row, diffing.diff_markup(row.ops) if row.ops else "") for row in shown],
        summary=selectors.summary_of(rows),
        changed_only=changed_only,
    )


# Consultation and synthesis ------------------------------------------------------------------


@login_required
def consultation(request, pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    organization = amendment.regulation.organization
    form = None
    if access.can_consult(request.user, amendment):
        members = sorted(
            {p.user for p in Position.objects.active().filter(body__organization=organization).select_related("user")},
            key=str,
        )
        subordinates = Organization.objects.filter(parent=organization)
        form = RequestForm(request.POST or None, members=members, subordinates=subordinates)
        if request.method == "POST" and form.is_valid():
            chosen_users = [u for u in members if str(u.pk) in form.cleaned_data["users"]]
            chosen_orgs = list(subordinates.filter(pk__in=form.cleaned_data["organizations"]))
            try:
                created = services.requests_create(
                    amendment=amendment, user=request.user, due=form.cleaned_data["due"], users=chosen_users,
                    organizations=chosen_orgs,
                )  # fmt: skip
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, f"Đã gửi {len(created)} phiếu lấy ý kiến.")
                return redirect("reviews:consultation", pk=amendment.pk)
    elif request.method == "POST":
        raise PermissionDenied("Chỉ tổ công tác gửi phiếu lấy ý kiến, ở bước lấy ý kiến.")
    return page(
        request, "reviews/consultation.html", amendment, "consultation", form=form,
        requests=selectors.requests_of(amendment), today=timezone.localdate(),
    )  # fmt: skip


@login_required
@require_POST
def comment_add(request, pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    form = CommentForm(request.POST)
    anchor = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            comment = services.comment_add(
                amendment=amendment, user=request.user, text=data["text"], article_key=data["article"],
                request_id=data["request"],
            )  # fmt: skip
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Đã ghi ý kiến của bạn.")
            anchor = f"#dieu-{comment.article_label}" if comment.article_label else "#toan-van"
    else:
        messages.error(request, "Hãy nhập nội dung góp ý.")
    return redirect(_draft_url(amendment) + anchor)


@login_required
@require_POST
def reply_add(request, pk, comment_pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    comment = Comment.objects.filter(amendment=amendment, pk=comment_pk).first()
    if comment is None:
        raise Http404("Không tìm thấy ý kiến.")
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply_add(comment=comment, user=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, "Hãy nhập nội dung trả lời.")
    return redirect(request.POST.get("next") or _draft_url(amendment))


@login_required
@require_POST
def request_answer(request, pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    try:
        services.request_answer(
            amendment=amendment, user=request.user, request_id=request.POST.get("request") or None,
            no_comment=request.POST.get("no_comment") == "1",
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Đã gửi ý kiến. Cảm ơn đồng chí.")
    return redirect(_draft_url(amendment))


@login_required
def synthesis(request, pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    changes = selectors.changes_of(amendment)
    rows = selectors.synthesis_rows(amendment)
    can_dispose = access.can_dispose(request.user, amendment)
    for _, comments in rows:
        for comment in comments:
            disposition = getattr(comment, "disposition", None)
            initial = (
                {"kind": disposition.kind, "explanation": disposition.explanation, "change": disposition.change_id}
                if disposition
                else {}
            )
            comment.form = (
                DispositionForm(initial=initial, changes=changes, prefix=f"c{comment.pk}") if can_dispose else None
            )
    return page(request, "reviews/synthesis.html", amendment, "synthesis", rows=rows)


@login_required
@require_POST
def disposition_set(request, pk, comment_pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    comment = Comment.objects.filter(amendment=amendment, pk=comment_pk, parent__isnull=True).first()
    if comment is None:
        raise Http404("Không tìm thấy ý kiến.")
    form = DispositionForm(request.POST, changes=selectors.changes_of(amendment), prefix=f"c{comment.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.disposition_set(
                comment=comment, user=request.user, kind=data["kind"], explanation=data["explanation"],
                change_id=data["change"] or None,
            )  # fmt: skip
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Đã ghi tiếp thu, giải trình.")
    else:
        messages.error(request, "Hãy chọn tiếp thu hoặc giải trình.")
    return redirect(f"{_synthesis_url(amendment)}#y-kien-{comment.pk}")


def _synthesis_url(amendment):
    return reverse("reviews:synthesis", args=[amendment.pk])


@login_required
def issue(request, pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    if not access.can_issue(request.user, amendment):
        raise PermissionDenied("Chỉ văn phòng cấp ủy ban hành văn bản đã được Ban Chấp hành thông qua.")
    form = IssueForm(request.POST or None, initial={"issued": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.amendment_issue(amendment=amendment, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Đã ban hành {form.cleaned_data['number']}; văn bản cũ được ghi là đã thay thế.")
            return redirect("regulations:version", pk=amendment.draft_id)
    return page(request, "reviews/issue.html", amendment, "detail", form=form)


@login_required
def todo(request):
    return render(request, "reviews/todo.html", selectors.awaiting(request.user))


# Notifications ---------------------------------------------------------------------------------


@login_required
def notification_list(request):
    items = request.user.notifications.all()[:200]
    return render(request, "reviews/notifications.html", {"items": items})


@login_required
@require_POST
def notification_read(request, notification_pk=None):
    """Mark one notification (then follow its link) or all of them as read."""
    if notification_pk is None:
        notifications.mark_read(request.user)
        return redirect("reviews:notifications")
    notification = request.user.notifications.filter(pk=notification_pk).first()
    if notification is None:
        raise Http404("Không tìm thấy thông báo.")
    notifications.mark_read(request.user, [notification.pk])
    return redirect(notification.url)


@login_required
def notification_settings(request):
    form = EmailModeForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Đã lưu cách nhận thông báo.")
        return redirect("reviews:notification_settings")
    return render(request, "reviews/notification_settings.html", {"form": form})


@login_required
def reminder_settings(request, organization_pk):
    organization = access.get_organization_for_user(request.user, organization_pk)
    if not access.can_draft(request.user, organization):
        raise PermissionDenied("Chỉ văn phòng cấp ủy đặt ngưỡng nhắc việc của tổ chức.")
    instance = ReminderSettings.objects.filter(organization=organization).first() or ReminderSettings(
        organization=organization
    )
    form = ReminderSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Đã lưu ngưỡng nhắc việc.")
        return redirect("organizations:detail", pk=organization.pk)
    return render(request, "reviews/reminder_settings.html", {"form": form, "organization": organization})


# Oversight -------------------------------------------------------------------------------------


def _dashboard_rows(request, organization):
    today = oversight.today()
    form = OversightFilterForm(request.GET or None, organization=organization)
    kind = status = ""
    within = None
    if form.is_valid():
        kind, status = form.cleaned_data["kind"], form.cleaned_data["status"]
        within_id = form.cleaned_data["within"]
        if within_id:
            within = Organization.objects.filter(
                pk=within_id, path__startswith=organization.path, depth__gt=organization.depth
            ).first()
    rows = oversight.filtered(
        oversight.annotated(organization, today), today=today, kind=kind, status=status, within=within
    )
    return form, rows, today


def _auditable(request, organization_pk) -> Organization:
    organization = access.get_organization_for_user(request.user, organization_pk)
    if not access.can_audit(request.user, organization):
        raise Http404("Không tìm thấy trang.")
    return organization


@login_required
@vary_on_headers("HX-Request")  # the same URL answers htmx with a fragment: caches must tell them apart
def dashboard(request, organization_pk):
    organization = _auditable(request, organization_pk)
    form, rows, today = _dashboard_rows(request, organization)
    paginator = Paginator(rows, 50)
    page_obj = paginator.get_page(request.GET.get("trang"))
    context = {
        "organization": organization,
        "form": form,
        "summary": oversight.summary(rows, today),
        "page_obj": page_obj,
        "rows": oversight.decorate(page_obj.object_list, today),
        "query": request.GET.copy(),
    }
    template = "reviews/_dashboard_rows.html" if request.htmx else "reviews/dashboard.html"
    return render(request, template, context)


EXPORT_COLUMNS = [
    ("Tổ chức", lambda r: r.name),
    ("Loại", lambda r: r.get_kind_display()),
    ("Trực thuộc", lambda r: r.parent.name if r.parent else ""),
    ("Quy chế làm việc hiện hành", lambda r: "Có" if r.current_rules else "Chưa có"),
    ("Số, ký hiệu", lambda r: r.rules_number or ""),
    ("Ngày ban hành", lambda r: r.rules_issued.strftime("%d/%m/%Y") if r.rules_issued else ""),
    (
        "Quy chế làm việc của UBKT",
        lambda r: ("Có" if r.inspection_rules else "Chưa có") if r.has_inspection_body else "",
    ),
    ("Sửa đổi gần nhất", lambda r: r.last_amended.strftime("%d/%m/%Y") if r.last_amended else ""),
    ("Hạn rà soát", lambda r: r.next_review_on.strftime("%d/%m/%Y") if r.next_review_on else ""),
    ("Số ngày quá hạn", lambda r: r.days_overdue or ""),
    ("Đang sửa đổi ở bước", lambda r: r.open_stage or ""),
    ("Ý kiến chưa trả lời", lambda r: r.answers_waiting),
    ("Mức phù hợp quy chế mẫu (%)", lambda r: "" if r.conformance is None else r.conformance),
    ("Kết luận kiểm tra chưa khắc phục", lambda r: r.findings_open),
    ("Cần rà soát do căn cứ thay đổi", lambda r: "Có" if r.review_basis else ""),
]


@login_required
def dashboard_export(request, organization_pk, fmt):
    organization = _auditable(request, organization_pk)
    _, rows, today = _dashboard_rows(request, organization)
    rows = oversight.decorate(rows, today)
    header = [title for title, _ in EXPORT_COLUMNS]
    values = [[value(row) for _, value in EXPORT_COLUMNS] for row in rows]
    filename = f"giam-sat-{organization.code.lower()}-{today:%Y%m%d}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        response.write("\ufeff")  # so that Excel reads the Vietnamese letters as UTF-8
        writer = csv.writer(response)
        writer.writerow(header)
        writer.writerows(values)
        return response
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Giám sát"
    sheet.append(header)
    for line in values:
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


# Inspections (kiểm tra, giám sát) and remediation ----------------------------------------------


def _finding_url(finding) -> str:
    return reverse("reviews:inspection", args=[finding.inspection_id]) + f"#han-che-{finding.pk}"


@login_required
def inspection_list(request, organization_pk):
    organization = access.get_organization_for_user(request.user, organization_pk)
    made, received = inspections.inspections_on_page(request.user, organization, timezone.localdate())
    return render(
        request,
        "reviews/inspections/list.html",
        {
            "organization": organization,
            "made": made,
            "received": received,
            "shows_made": access.can_audit(request.user, organization),
            "can_inspect": access.can_inspect(request.user, organization),
        },
    )


@login_required
def inspection_create(request, organization_pk):
    organization = access.get_organization_for_user(request.user, organization_pk)
    if not access.can_inspect(request.user, organization):
        raise PermissionDenied("Chỉ Ban Thường vụ, Ủy ban Kiểm tra, Văn phòng lập cuộc kiểm tra, giám sát của tổ chức.")
    form = InspectionForm(
        request.POST or None, organization=organization,
        initial={"kind": InspectionKind.INSPECTION, "date": timezone.localdate()},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            inspection = inspections.inspection_create(inspecting=organization, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Đã lập cuộc kiểm tra, giám sát. Hãy ghi các hạn chế, khuyết điểm đã phát hiện.")
            return redirect("reviews:inspection", pk=inspection.pk)
    return render(request, "reviews/inspections/create.html", {"organization": organization, "form": form})


@login_required
def inspection_detail(request, pk):
    inspection = inspections.get_inspection_for_user(request.user, pk)
    findings = inspections.findings_of(inspection)
    for finding in findings:
        prefix = f"f{finding.pk}"
        finding.report_form = ReportForm(prefix=prefix) if access.can_report(request.user, finding) else None
        finding.check_form = CheckForm(prefix=prefix) if access.can_check(request.user, finding) else None
    return render(
        request,
        "reviews/inspections/detail.html",
        {
            "inspection": inspection,
            "findings": findings,
            "today": timezone.localdate(),
            "can_add_finding": access.can_add_finding(request.user, inspection),
        },
    )


@login_required
def finding_add(request, pk):
    inspection = inspections.get_inspection_for_user(request.user, pk)
    if not access.can_add_finding(request.user, inspection):
        raise PermissionDenied("Chỉ cấp kiểm tra, giám sát ghi hạn chế, khuyết điểm.")
    form = FindingForm(request.POST or None, citable=inspections.articles_to_cite(inspection.inspected))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        regulation, article_key = data.pop("article")
        try:
            finding = inspections.finding_add(
                inspection=inspection, user=request.user, regulation=regulation, article_key=article_key, **data
            )
        except ValidationError as error:
            add_service_error(form, error, aliases={"regulation": "article", "article_key": "article"})
        else:
            messages.success(request, "Đã ghi hạn chế, khuyết điểm và yêu cầu khắc phục.")
            return redirect(_finding_url(finding))
    return render(request, "reviews/inspections/finding_add.html", {"inspection": inspection, "form": form})


@login_required
@require_POST
def finding_report(request, pk):
    finding = inspections.get_finding_for_user(request.user, pk)
    form = ReportForm(request.POST, prefix=f"f{finding.pk}")
    form.is_valid()
    try:
        inspections.remediation_report(finding=finding, user=request.user, report=form.cleaned_data["report"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Đã gửi báo cáo khắc phục; cấp kiểm tra sẽ hậu kiểm.")
    return redirect(_finding_url(finding))


@login_required
@require_POST
def finding_check(request, pk):
    finding = inspections.get_finding_for_user(request.user, pk)
    form = CheckForm(request.POST, prefix=f"f{finding.pk}")
    if not form.is_valid():
        messages.error(request, "Thông tin chưa hợp lệ: " + "; ".join(e for errs in form.errors.values() for e in errs))
        return redirect(_finding_url(finding))
    try:
        finding = inspections.finding_check(finding=finding, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if finding.status == FindingStatus.CLOSED:
            messages.success(request, "Đã kết luận: đã khắc phục.")
        else:
            messages.warning(request, f"Đã yêu cầu khắc phục lại, hạn {finding.deadline:%d/%m/%Y}.")
    return redirect(_finding_url(finding))


# PDF -------------------------------------------------------------------------------------------


def _pdf_response(content, filename):
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type="application/pdf")


@login_required
def version_pdf(request, pk):
    """A draft is printed afresh; an issued text once, then served from the file kept.

    Without Redis (the quick start) everything is printed in the request; with a worker, a large
    text is printed in the background and the reader sees "đang tạo tệp PDF" until it is ready.
    """
    version = get_version_for_user(request.user, pk)
    if version.is_draft:
        return _pdf_response(regulation_pdf.render_version(version), regulation_pdf.version_pdf_filename(version))
    if not version.pdf:
        articles = Provision.objects.filter(version=version, kind="article").count()
        if settings.CELERY_TASK_ALWAYS_EAGER or articles < settings.PDF_BACKGROUND_ARTICLES:
            version = regulation_services.version_pdf_store(version=version)
        else:
            if regulation_services.version_pdf_requested(version=version):
                transaction.on_commit(lambda: tasks.render_version_pdf.delay(version.pk, request.user.pk))
            return render(request, "reviews/pdf_pending.html", {"version": version})
    return FileResponse(
        version.pdf.open("rb"), as_attachment=True, filename=regulation_pdf.version_pdf_filename(version)
    )


@login_required
def version_pdf_status(request, pk):
    version = get_version_for_user(request.user, pk)
    return render(request, "reviews/_pdf_status.html", {"version": version})


@login_required
def comparison_pdf(request, pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    return _pdf_response(
        pdf.render_comparison(amendment, changed_only=request.GET.get("tat_ca") != "1"),
        pdf.comparison_pdf_filename(amendment),
    )


@login_required
def synthesis_pdf(request, pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    return _pdf_response(pdf.render_synthesis(amendment), pdf.synthesis_pdf_filename(amendment))
