"""Consultation (lấy ý kiến): requests, comments and replies, answers; the synthesis of opinions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from organizations.models import BodyKind, Organization, Position
from quyche import choosers
from quyche.forms import add_service_error, error_text
from regulations.models import Provision, ProvisionKind

from .. import access, selectors, services
from ..forms import (
    AnswerForm,
    CommentForm,
    ConsultationCloseForm,
    DispositionForm,
    ReplyForm,
    RequestForm,
    change_choices,
)
from ..models import Comment, DispositionKind
from .base import answering, draft_url, page, synthesis_url
from .draft import draft_page


def _request_form(amendment, sender, data=None) -> tuple[RequestForm, list, object]:
    """The form that asks members and subordinate organizations, with whom it may ask: the committee's members, not
    its office's staff (who do the paperwork) nor the sender herself, who may sit in the committee too."""
    organization = amendment.regulation.organization
    seats = (
        Position.objects.active()
        .filter(body__organization=organization)
        .exclude(body__kind=BodyKind.OFFICE)
        .exclude(user=sender)
    )
    members = sorted({p.user for p in seats.select_related("user")}, key=str)
    subordinates = Organization.objects.filter(parent=organization).order_by("name_folded", "pk")
    return RequestForm(data, members=members, subordinates=subordinates), members, subordinates


def _consultation_page(request, amendment, *, form=None, close_form=None):
    requests = list(selectors.requests_of(amendment))
    waiting = selectors.waiting_requests(requests)
    if close_form is None and waiting and access.can_close_consultation(request.user, amendment):
        close_form = ConsultationCloseForm()
    return page(
        request, "reviews/consultation.html", amendment, "consultation", form=form, requests=requests,
        today=timezone.localdate(), close_form=close_form, waiting=waiting,
    )  # fmt: skip


@login_required
def consultation(request, pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    form = None
    if access.can_consult(request.user, amendment):
        form, members, subordinates = _request_form(amendment, request.user, request.POST or None)
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
    return _consultation_page(request, amendment, form=form)


@login_required
@require_POST
def consultation_close(request, pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    if not access.can_close_consultation(request.user, amendment):
        if amendment.is_in_progress and amendment.stage.is_consultation:
            raise PermissionDenied("Chỉ tổ công tác kết thúc việc lấy ý kiến, ở bước lấy ý kiến.")
        messages.error(request, "Hồ sơ không còn ở bước lấy ý kiến.")
        return redirect("reviews:detail", pk=amendment.pk)
    close_form = ConsultationCloseForm(request.POST)
    if close_form.is_valid():
        try:
            amendment = services.consultation_close(
                amendment=amendment, user=request.user, reason=close_form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_error(close_form, error)
        else:
            messages.success(request, f"Đã kết thúc lấy ý kiến; hồ sơ chuyển sang bước “{amendment.stage.name}”.")
            return redirect("reviews:detail", pk=amendment.pk)
    # What was typed stays in the form, with the reason it was refused.
    form = _request_form(amendment, request.user)[0] if access.can_consult(request.user, amendment) else None
    return _consultation_page(request, amendment, form=form, close_form=close_form)


def _refusal(request, refused) -> tuple[str, int]:
    """What a refused comment or reply shows in its box, and the status it answers with.

    Without htmx a missing right stays the 403 page it always was; with htmx the box says why and keeps the text.
    """
    if isinstance(refused, PermissionDenied):
        if not request.htmx:
            raise refused
        return str(refused), 403
    return " ".join(refused.messages), 422


@login_required
@require_POST
def comment_add(request, pk):
    """Save one comment: in place with htmx (the box emptied, the comment added to its list), else reload."""
    amendment = selectors.get_amendment_for_user(request.user, pk)
    form = CommentForm(request.POST)
    article = _commented_article(amendment, request.POST.get("article")) if request.htmx else None
    comment, error, status = None, "", 200
    if form.is_valid():
        data = form.cleaned_data
        try:
            comment = services.comment_add(
                amendment=amendment, user=request.user, text=data["text"], article_key=data["article"],
                request_id=data["request"],
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as refused:
            error, status = _refusal(request, refused)
    else:
        error, status = "Hãy nhập nội dung góp ý.", 422
    if request.htmx:
        context = {
            "amendment": amendment, "article": article, "error": error,
            "answering": answering(request.user, amendment, request.POST.get("request"))[1],
            "can_reply": access.can_reply(request.user, amendment),
            "text": request.POST.get("text", "") if error else "",
            "comment": selectors.comment_for_rendering(amendment, comment.pk) if comment else None,
        }  # fmt: skip
        return render(request, "reviews/_comment_saved.html", context, status=status)
    if error:
        messages.error(request, error)
        return redirect(draft_url(amendment))
    messages.success(request, "Đã lưu góp ý của đồng chí.")
    chosen = comment.request_id if len(access.open_requests_for(request.user, amendment)) > 1 else None
    return redirect(
        draft_url(amendment, request_id=chosen)
        + (f"#dieu-{comment.article_label}" if comment.article_label else "#toan-van")
    )


def _commented_article(amendment, key) -> Provision | None:
    """The draft's article whose box was posted (None: the whole draft's box)."""
    if not key:
        return None
    try:
        article = Provision.objects.filter(
            version=amendment.draft_id, key=key, kind=ProvisionKind.ARTICLE
        ).only("key", "label").first()  # fmt: skip
    except ValidationError:
        article = None  # not a key at all
    if article is None:
        raise Http404("Không tìm thấy điều này trong dự thảo.")
    return article


@login_required
@require_POST
def reply_add(request, pk, comment_pk):
    """Reply to a comment: in place with htmx (the comment re-read with its replies), else reload."""
    amendment = selectors.get_amendment_for_user(request.user, pk)
    comment = Comment.objects.filter(amendment=amendment, pk=comment_pk).first()
    if comment is None:
        raise Http404("Không tìm thấy ý kiến.")
    root_pk = comment.parent_id or comment.pk
    form = ReplyForm(request.POST)
    error, status = "", 200
    if form.is_valid():
        try:
            services.reply_add(comment=comment, user=request.user, text=form.cleaned_data["text"])
        except (ValidationError, PermissionDenied) as refused:
            error, status = _refusal(request, refused)
    else:
        error, status = "Hãy nhập nội dung trả lời.", 422
    if request.htmx:
        context = {
            "amendment": amendment, "comment": selectors.comment_for_rendering(amendment, root_pk),
            "can_reply": access.can_reply(request.user, amendment), "reply_error": error,
            "reply_text": request.POST.get("text", "") if error else "",
        }  # fmt: skip
        return render(request, "reviews/_comment.html", context, status=status)
    if error:
        messages.error(request, error)
    return redirect(f"{draft_url(amendment)}#y-kien-{root_pk}")


@login_required
@require_POST
def request_answer(request, pk):
    """Send the answer, with the comments still in their boxes; refused, the page comes back with them."""
    amendment = selectors.get_amendment_for_user(request.user, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()) or "Phiếu lấy ý kiến không hợp lệ.")
        return redirect(draft_url(amendment))
    pending = form.cleaned_data["pending"]
    try:
        services.request_answer(
            amendment=amendment, user=request.user, request_id=form.cleaned_data["request"],
            no_comment=form.cleaned_data["no_comment"], pending=pending,
        )  # fmt: skip
    except PermissionDenied as refused:
        if not pending:
            raise
        error = str(refused)
    except ValidationError as refused:
        error = " ".join(refused.messages)
    else:
        sent = f" cùng {len(pending)} góp ý vừa nhập" if pending else ""
        messages.success(request, f"Đã gửi ý kiến{sent}. Cảm ơn đồng chí.")
        return redirect(draft_url(amendment))
    messages.error(request, error)
    if pending:
        return draft_page(request, amendment, pending=pending)
    return redirect(draft_url(amendment))


@login_required
def synthesis(request, pk):
    return synthesis_page(request, selectors.get_amendment_for_user(request.user, pk))


def synthesis_page(request, amendment, *, stale=None, status=200, refused=None):
    """The synthesis; `stale`: a suggestion refused because its passage changed, shown with both texts;
    `refused`: (an opinion's id, its disposition form as sent and refused), shown with what was typed and why."""
    changes = change_choices(selectors.changes_of(amendment))
    rows = selectors.synthesis_rows(amendment)
    can_dispose = access.can_dispose(request.user, amendment)
    earlier = selectors.earlier_dispositions(amendment)
    for _, comments in rows:
        for comment in comments:
            comment.earlier_dispositions = earlier.get(comment.pk, [])
            disposition = getattr(comment, "disposition", None)
            initial = (
                {"kind": disposition.kind, "explanation": disposition.explanation, "change": disposition.change_id}
                if disposition
                else {}
            )
            if refused and refused[0] == comment.pk:
                comment.form = refused[1]
            elif can_dispose:
                comment.form = DispositionForm(
                    initial=initial, amendment=amendment, changes=changes, prefix=f"c{comment.pk}"
                )
            else:
                comment.form = None
    acceptable = can_dispose and any(
        comment.is_suggestion and not _taken_in(comment) for _, comments in rows for comment in comments
    )
    response = page(
        request, "reviews/synthesis.html", amendment, "synthesis", rows=rows, acceptable=acceptable, stale=stale
    )
    response.status_code = status
    return response


@login_required
def draft_changes(request, pk):
    """The suggestions of a disposition's "Thay đổi trong dự thảo", as the working group types."""
    amendment = selectors.get_amendment_for_user(request.user, pk)
    if not access.can_dispose(request.user, amendment):
        raise PermissionDenied("Chỉ tổ công tác ghi tiếp thu, giải trình ở bước tổng hợp.")
    return choosers.suggestions(request, change_choices(selectors.changes_of(amendment)))


def _taken_in(comment) -> bool:
    disposition = getattr(comment, "disposition", None)
    return disposition is not None and disposition.kind == DispositionKind.ACCEPTED


@login_required
@require_POST
def disposition_set(request, pk, comment_pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    comment = Comment.objects.filter(amendment=amendment, pk=comment_pk, parent__isnull=True).first()
    if comment is None:
        raise Http404("Không tìm thấy ý kiến.")
    changes = change_choices(selectors.changes_of(amendment))
    form = DispositionForm(request.POST, amendment=amendment, changes=changes, prefix=f"c{comment.pk}")
    if not form.is_valid() and access.can_dispose(request.user, amendment):
        # Again with what was typed and why (a change named by several comes with them, to pick one).
        return synthesis_page(request, amendment, refused=(comment.pk, form))
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
        messages.error(request, error_text(form))
    return redirect(f"{synthesis_url(amendment)}#y-kien-{comment.pk}")
