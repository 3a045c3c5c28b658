"""The dossier of an amendment: starting it, its stages and decisions, the working group, issuance."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from quyche import choosers, counts
from quyche.forms import add_service_error
from quyche.paging import page_of, reverse_each
from regulations import pdf as regulation_pdf
from regulations.selectors import get_regulation_for_user

from .. import access, selectors, services
from ..forms import (
    DossierForm,
    IssueForm,
    StartForm,
    TransitionForm,
    WorkingGroupForm,
    working_group_choices,
)
from ..models import AmendmentStatus, EventAction
from .base import page


@login_required
def amendment_list(request):
    """The dossiers the reader may read, newest first. The drawn page is kept per reader until one of
    `selectors.LIST_DEPENDS_ON` changes: a city's auditor reads two thousand, and drawing their page costs more
    than the rest of the request."""

    def draw() -> str:
        visible = selectors.visible_amendments(request.user).for_list()
        listed = page_of(request, selectors.with_waiting(visible).order_by("-created_at", "-pk"), carried=())
        detail_url = reverse_each("reviews:detail")
        for amendment in listed.items:
            amendment.url = detail_url(amendment.pk)
            amendment.waiting = selectors.waiting_of(amendment)
        return render_to_string("reviews/_amendment_table.html", {"amendments": listed.items, "page": listed})

    table = counts.cached_page(request, f"amendment-list:{request.user.pk}", selectors.LIST_DEPENDS_ON, draw)
    return render(request, "reviews/amendment_list.html", {"table": table})


@login_required
def amendment_start(request, regulation_pk):
    regulation = get_regulation_for_user(request.user, regulation_pk)
    if not access.can_start_amendment(request.user, regulation):
        raise PermissionDenied("Chỉ văn phòng cấp ủy mới lập hồ sơ sửa đổi.")
    current = selectors.open_amendment_of(regulation)
    if current is not None:
        # A second dossier would fork the draft: the office goes on with the open one.
        messages.info(
            request, f"Quy chế này đang có hồ sơ sửa đổi chưa kết thúc ({current.standing}); hãy tiếp tục hồ sơ này."
        )
        return redirect("reviews:detail", pk=current.pk)
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
    return _detail_page(request, amendment, _transition_form(amendment))


def _transition_form(amendment) -> TransitionForm:
    return TransitionForm(
        initial={"stage": amendment.stage_id, "meeting_date": timezone.localdate(), "votes_against": 0,
                 "votes_abstain": 0}
    )  # fmt: skip


def _detail_page(request, amendment, transition, *, confirm_reject=False, group_form=None):
    """The dossier with its process; `transition` is the stage's form, bound with what was typed after a refusal,
    and so is `group_form`, the working group's."""
    stage = amendment.stage
    members = services.members_of(stage, amendment.regulation.organization, timezone.localdate())
    return page(
        request,
        "reviews/amendment_detail.html",
        amendment,
        "detail",
        stages=services.stages_for(amendment.regulation.organization),
        events=selectors.events_of(amendment),
        working_group=amendment.working_group.active().select_related("user"),
        transition=transition,
        confirm_reject=confirm_reject,
        body_size=members,
        quorum=stage.quorum_of(members),
        majority=members // 2 + 1,
        group_form=group_form or WorkingGroupForm(amendment=amendment, user=request.user),
        requests=selectors.requests_of(amendment),
        waiting=selectors.waiting_for(amendment),
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
def dossier_history(request, pk):
    """Lịch sử chỉnh sửa hồ sơ: each edit of the dossier, and who joined or left the working group, by whom."""
    amendment = selectors.get_amendment_for_user(request.user, pk)
    return page(
        request,
        "reviews/dossier_history.html",
        amendment,
        "detail",
        revisions=amendment.dossier_revisions.select_related("edited_by"),
        seats=amendment.working_group.select_related("user", "added_by", "removed_by").order_by("added_at", "pk"),
    )


@login_required
@require_POST
def amendment_transition(request, pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        action, stage, confirmed = data.pop("action"), data.pop("stage"), data.pop("confirm")
        if action == EventAction.REJECT and not confirmed:
            # Not adopting ends the dossier for good: it is asked twice, in the page, without JavaScript.
            if data["comment"].strip():
                return _detail_page(request, amendment, form, confirm_reject=True)
            form.add_error("comment", "Cần ghi rõ lý do không thông qua.")
        else:
            try:
                amendment = services.amendment_transition(
                    amendment=amendment, user=request.user, action=action, expected_stage_id=stage, **data
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                if amendment.status == AmendmentStatus.ADOPTED:
                    messages.success(request, "Dự thảo đã được thông qua; văn phòng vào số và ban hành.")
                elif amendment.status == AmendmentStatus.REJECTED:
                    messages.warning(request, "Đã ghi nhận: không thông qua.")
                else:
                    messages.success(request, f"Đã chuyển sang bước “{amendment.stage.name}”.")
                return redirect("reviews:detail", pk=amendment.pk)
    # Refused: the page again, with what was typed and why it was refused.
    return _detail_page(request, amendment, form)


@login_required
@require_POST
def working_group_add(request, pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    _require_group_manager(request.user, amendment)
    form = WorkingGroupForm(request.POST, amendment=amendment, user=request.user)
    if not form.is_valid():
        # Again with what was typed and why it was refused (the people it may name, to pick from, without a script).
        return _detail_page(request, amendment, _transition_form(amendment), group_form=form)
    member = form.cleaned_data["member"]
    try:
        services.working_group_add(
            amendment=amendment, user=request.user, member=member, affiliation=form.cleaned_data["affiliation"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Đã thêm {member} vào tổ công tác.")
    return redirect("reviews:detail", pk=amendment.pk)


def _require_group_manager(user, amendment) -> None:
    if not access.can_manage_working_group(user, amendment):
        raise PermissionDenied("Chỉ tổ trưởng hoặc văn phòng được thay đổi tổ công tác.")


@login_required
def working_group_people(request, pk):
    """The people the working group's form may add, as its chair or the office types."""
    amendment = selectors.get_amendment_for_user(request.user, pk)
    _require_group_manager(request.user, amendment)
    return choosers.suggestions(request, working_group_choices(amendment, request.user))


@login_required
@require_POST
def working_group_remove(request, pk, user_pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    seat = amendment.working_group.active().select_related("user").filter(user_id=user_pk).first()
    if seat is None:
        raise Http404("Không có thành viên này trong tổ công tác.")
    try:
        services.working_group_remove(amendment=amendment, user=request.user, member=seat.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Đã bỏ {seat.user} khỏi tổ công tác.")
    return redirect("reviews:detail", pk=amendment.pk)


def _issuable(request, pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    if not access.can_issue(request.user, amendment):
        raise PermissionDenied("Chỉ văn phòng cấp ủy ban hành văn bản đã được Ban Chấp hành thông qua.")
    return amendment


@login_required
def issue(request, pk):
    """Three steps: the number taken from the register ("Lấy số"); the dates and signer, checked and shown with a
    preview of the PDF ("Xem trước"); then the same values again, checked again, and issued ("Ban hành")."""
    amendment = _issuable(request, pk)
    if request.method == "POST" and "reserve" in request.POST:
        try:
            held = services.amendment_number_reserve(amendment=amendment, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Đã lấy số {held.number} trong sổ đăng ký văn bản; số được giữ cho văn bản này.")
        return redirect("reviews:issue", pk=amendment.pk)
    today = timezone.localdate()
    number, held = services.issue_number(amendment, on=today)
    shown = {"number": number, "number_held": held, "organization": amendment.regulation.organization}
    if request.method != "POST":
        form = IssueForm(initial=services.issue_defaults(amendment, on=today))
        return page(request, "reviews/issue.html", amendment, "detail", form=form, **shown)
    form = IssueForm(request.POST)
    if "edit" in request.POST or not form.is_valid():
        return page(request, "reviews/issue.html", amendment, "detail", form=form, **shown)
    try:
        if "confirm" not in request.POST:
            values = services.amendment_issue_preview(amendment=amendment, user=request.user, **form.cleaned_data)
            return page(
                request, "reviews/issue.html", amendment, "detail", form=form, preview=values, **shown,
                preview_query=urlencode({name: value or "" for name, value in form.cleaned_data.items()}),
            )  # fmt: skip
        amendment = services.amendment_issue(amendment=amendment, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        add_service_error(form, error)
        return page(request, "reviews/issue.html", amendment, "detail", form=form, **shown)
    messages.success(request, f"Đã ban hành {amendment.draft.number}; văn bản cũ được ghi là đã thay thế.")
    return redirect("regulations:version", pk=amendment.draft_id)


@login_required
def issue_preview(request, pk):
    """The PDF of the draft as it would be issued with the values given; nothing is saved."""
    amendment = _issuable(request, pk)
    form = IssueForm(request.GET)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        values = services.amendment_issue_preview(amendment=amendment, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages), content_type="text/plain; charset=utf-8")
    content = regulation_pdf.render_issue_preview(amendment.draft, **values)
    return regulation_pdf.pdf_response(content, "xem-truoc-" + regulation_pdf.version_pdf_filename(amendment.draft))


@login_required
def todo(request):
    return render(request, "reviews/todo.html", selectors.kept_awaiting(request.user))
