"""The draft, edited article by article, and the comparison table."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect

from quyche import choosers
from quyche.forms import add_service_error
from regulations import diffing, editing, lines
from regulations.models import Provision, ProvisionKind
from regulations.selectors import provision_tree

from .. import access, selectors, services
from ..forms import ArticleForm, InsertForm, PlaceForm, draft_article_choices
from ..models import Amendment
from ..passages import passages_of
from .base import answering, draft_url, page


@login_required
def draft(request, pk):
    return draft_page(request, selectors.get_amendment_for_user(request.user, pk))


def draft_page(request, amendment, *, pending=()):
    """The draft with its comments; `pending`: comments an answer could not send, put back in their boxes."""
    unsent = {comment.article_key: comment.text for comment in pending}
    tree = provision_tree(amendment.draft)
    numbered = lines.wanted(request)
    if numbered:
        lines.numbered(tree.all)
    rows = selectors.comparison_table(amendment)
    changed = {row.new_label: row for row in rows if (row.is_modified or row.is_added) and row.new_label}
    comments = selectors.comments_by_article(amendment)
    passages = passages_of(tree)
    within = {}
    for node in tree.all:
        if node.kind != ProvisionKind.ARTICLE and node.article_id:
            within.setdefault(node.article_id, []).append(node)
    for article in tree.articles:
        article.lines = within.get(article.pk, [])
        article.row = changed.get(article.label)
        article.comments = comments.get(article.key, [])
        for comment in article.comments:  # under the name its clause or point bears now
            passage = passages.get(comment.provision_key)
            comment.passage_name = passage.name if passage else comment.provision_label
        article.unsent = unsent.get(article.key, "")
        article.diff = diffing.diff_markup(article.row.ops) if article.row else ""
    open_requests, answered = answering(
        request.user, amendment, request.GET.get("phieu") or request.POST.get("request")
    )
    return page(
        request,
        "reviews/draft.html",
        amendment,
        "draft",
        tree=tree,
        whole_draft_comments=comments.get(None, []),
        whole_draft_unsent=unsent.get(None, ""),
        pending=pending,
        open_requests=open_requests,
        answering=answered,
        numbered=numbered,
    )


def _article(amendment, key) -> Provision:
    article = Provision.objects.filter(version=amendment.draft_id, key=key, kind=ProvisionKind.ARTICLE).first()
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
            return redirect(f"{draft_url(amendment)}#dieu-{article.label}")
    return page(request, "reviews/article_edit.html", amendment, "draft", article=article, form=form, conflict=conflict)


def _place(amendment, key):
    return _article(amendment, key) if key else None


def _first_chapter_id(amendment) -> int | None:
    """ "At the start" means first in the first chapter, not above the chapter headings."""
    chapter = next(
        (n for n in provision_tree(amendment.draft).all if n.kind in (ProvisionKind.CHAPTER, ProvisionKind.SECTION)),
        None,
    )
    return chapter.pk if chapter else None


@login_required
def article_insert(request, pk):
    amendment = _editable(request, pk)
    articles = provision_tree(amendment.draft).articles
    form = InsertForm(
        request.POST or None, amendment=amendment, articles=articles, initial={"after": request.GET.get("sau", "")}
    )
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
                return redirect(draft_url(amendment))
    return page(request, "reviews/article_insert.html", amendment, "draft", form=form, preview=preview)


@login_required
def article_remove(request, pk, key):
    amendment = _editable(request, pk)
    article = _article(amendment, key)
    form = PlaceForm(request.POST or None, initial={"revision": article.revision})
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
            return redirect(draft_url(amendment))
    return page(request, "reviews/article_remove.html", amendment, "draft", article=article, form=form, preview=preview)


@login_required
def article_move(request, pk, key):
    amendment = _editable(request, pk)
    article = _article(amendment, key)
    articles = provision_tree(amendment.draft).articles
    form = PlaceForm(request.POST or None, amendment=amendment, articles=articles, exclude=article.key)
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
                return redirect(draft_url(amendment))
    return page(request, "reviews/article_move.html", amendment, "draft", article=article, form=form, preview=preview)


@login_required
def draft_articles(request, pk):
    """The "Đặt sau" suggestions: the draft's articles (but the one moved, `?tru=`), as the working group types."""
    amendment = _editable(request, pk)
    articles = (
        Provision.objects.filter(version=amendment.draft, kind=ProvisionKind.ARTICLE)
        .only("key", "label", "heading")
        .order_by("position")
    )
    return choosers.suggestions(request, draft_article_choices(articles, exclude=request.GET.get("tru")))


@login_required
def comparison(request, pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    rows = selectors.comparison_table(amendment)
    changed_only = request.GET.get("tat_ca") != "1"
    shown = [row for row in rows if row.change != diffing.ChangeKind.UNCHANGED] if changed_only else rows
    numbered = lines.wanted(request)
    spans = lines.article_spans(provision_tree(amendment.draft).all) if numbered else {}
    return page(
        request,
        "reviews/comparison.html",
        amendment,
        "comparison",
        rows=[(row, diffing.diff_markup(row.ops) if row.ops else "", spans.get(row.new_label)) for row in shown],
        summary=selectors.summary_of(rows),
        changed_only=changed_only,
        numbered=numbered,
    )
