"""Suggested wording (đề nghị sửa câu chữ): proposed with the change shown word by word before it is sent,
and taken into the draft from the synthesis, one or several at once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from quyche.forms import add_service_error, error_text
from quyche.ids import as_id

from .. import access, selectors, services
from ..forms import SuggestionForm
from ..passages import find_passage
from .base import answering, draft_url, page, synthesis_url
from .consultation import synthesis_page

NOT_ASKED = "Dự thảo không ở bước lấy ý kiến, hoặc đồng chí không được hỏi ý kiến."
# The preview shows the change while the wording is typed, before any reason is.
PREVIEW_REASON = "(xem trước)"


def _asked(request, pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    if not access.can_comment(request.user, amendment):
        raise PermissionDenied(NOT_ASKED)
    return amendment


def _fields(passage, data, *, reason=None) -> dict:
    return {
        "key": passage.node.key, "kind": data["kind"], "proposed_text": data["proposed_text"],
        "reason": reason if reason is not None else data["reason"],
    }  # fmt: skip


@login_required
def suggest(request, pk, key):
    """The form, then (without script) the preview of the change with the button that sends it."""
    amendment = _asked(request, pk)
    passage = find_passage(amendment.draft_id, key)
    if passage is None:
        raise Http404("Không tìm thấy điều, khoản, điểm này trong dự thảo.")
    open_requests, answered = answering(
        request.user, amendment, request.POST.get("request") or request.GET.get("phieu")
    )
    form = SuggestionForm(request.POST or None, initial={"proposed_text": passage.text, "request": answered.pk})
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("confirm") != "1":
                preview = services.suggestion_check(amendment=amendment, user=request.user, **_fields(passage, data))
            else:
                comment = services.suggestion_add(
                    amendment=amendment, user=request.user, request_id=data["request"], **_fields(passage, data)
                )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if preview is None:
                messages.success(
                    request,
                    f"Đã lưu đề nghị sửa {comment.place_as_seen}. Góp ý xong, đồng chí bấm “Gửi toàn bộ ý kiến”.",
                )
                chosen = comment.request_id if len(open_requests) > 1 else None
                return redirect(f"{draft_url(amendment, request_id=chosen)}#y-kien-{comment.pk}")
    return page(
        request, "reviews/suggest.html", amendment, "draft", passage=passage, form=form, answering=answered,
        preview=preview.as_comment() if preview else None,
    )  # fmt: skip


@login_required
@require_POST
def suggest_preview(request, pk, key):
    """The change as typed so far, word by word (htmx), with the button that sends it once it can be sent."""
    amendment = _asked(request, pk)
    form = SuggestionForm(request.POST)
    preview, error = None, ""
    if form.is_valid():
        data = form.cleaned_data
        fields = {"key": key, "kind": data["kind"], "proposed_text": data["proposed_text"]}
        try:
            checked = services.suggestion_check(
                amendment=amendment, user=request.user, **fields, reason=data["reason"] or PREVIEW_REASON
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            preview = checked.as_comment()
    else:
        error = error_text(form)
    return render(request, "reviews/_suggestion_preview.html", {"preview": preview, "error": error})


@login_required
@require_POST
def suggestions_accept(request, pk):
    """Tiếp thu: the suggestions chosen go into the draft together, or none does."""
    amendment = selectors.get_amendment_for_user(request.user, pk)
    if not access.can_dispose(request.user, amendment):
        raise PermissionDenied("Chỉ tổ công tác tiếp thu, giải trình, ở bước tổng hợp.")
    posted = request.POST.getlist("comment")[: services.PENDING_MAX + 1]
    if not posted or len(posted) > services.PENDING_MAX:
        messages.error(request, f"Hãy chọn từ 1 đến {services.PENDING_MAX} đề nghị sửa câu chữ cần tiếp thu.")
        return redirect(synthesis_url(amendment))
    ids = sorted({as_id(value) for value in posted} - {None})
    # An id of another dossier's opinion (or no id at all) is not found here, whoever guessed it.
    if len(ids) != len(set(posted)) or amendment.comments.filter(pk__in=ids).exclude(suggestion="").count() != len(ids):
        raise Http404("Không tìm thấy đề nghị này trong hồ sơ.")
    try:
        accepted = services.suggestions_accept(amendment=amendment, user=request.user, comment_ids=ids)
    except services.StaleSuggestion as stale:
        return synthesis_page(request, amendment, stale=stale, status=409)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(synthesis_url(amendment))
    messages.success(request, f"Đã tiếp thu và áp dụng {len(accepted)} đề nghị vào dự thảo.")
    return redirect(f"{synthesis_url(amendment)}#y-kien-{ids[0]}")
