"""One text of a regulation: reading it, an article across versions, comparing two, recording a repeal, correcting."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from quyche.forms import error_text
from quyche.gzipped import Compressible, page_around
from quyche.kept import kept

from .. import diffing, editing, history, lines, selectors, services
from ..access import can_correct, can_import_regulation, can_repeal
from ..forms import CorrectionForm, InForceForm, RepealForm
from ..models import Provision, ProvisionKind, VersionStatus


@login_required
def version_detail(request, pk):
    version = selectors.get_version_for_user(request.user, pk, neighbours=True)
    in_force_on = InForceForm({"day": request.GET.get("ngay")}) if request.GET.get("ngay") else None
    # The office amends the text in force from here, or is led to the dossier already open on it.
    can_start_amendment = version.status == VersionStatus.IN_FORCE and can_import_regulation(
        request.user, version.regulation.organization
    )
    numbered = lines.wanted(request)
    text = _version_text(version, numbered=numbered)
    page = render_to_string(
        "regulations/version_detail.html",
        {
            "version": version,
            "regulation": version.regulation,
            "numbered": numbered,
            "text": text,
            "in_force_on": in_force_on.cleaned_data["day"] if in_force_on and in_force_on.is_valid() else None,
            # A replaced text may be repealed too, but the form is offered on the one in force.
            "repeal_form": (
                RepealForm() if version.status == VersionStatus.IN_FORCE and can_repeal(request.user, version) else None
            ),
            "can_start_amendment": can_start_amendment,
            "open_amendment": (
                selectors.open_amendment(selectors.amendments_of(version.regulation)) if can_start_amendment else None
            ),
            "corrections": (version.corrections.select_related("created_by") if version.last_corrected_at else None),
        },
        request,
    )
    # The page is drawn around the text's mark; the text, kept as UTF-8 and compressed, takes its place as it is
    # (a 300-article text: 444 KB neither decoded, copied through the template, encoded nor compressed again).
    head, tail = page.split(TEXT_MARK, 1)
    return page_around(request, head, text.html, tail)


# Where the drawn text goes in the page: the fields around it are escaped, so it cannot be written by a reader.
TEXT_MARK = "<!-- quyche:version-text -->"


@dataclass
class _Text:
    counts: dict
    html: Compressible  # UTF-8, as the template engine drew and escaped it

    @property
    def mark(self) -> SafeString:
        return mark_safe(TEXT_MARK)  # noqa: S308  (a constant)


# An issued text is kept drawn for a day (quyche/kept.py).
TEXT_KEPT = 24 * 3600  # seconds


def _version_text(version, *, numbered: bool = False) -> _Text:
    """The version's table of contents and provisions, drawn, with their counts; `numbered`: line by line,
    numbered as the PDF prints them (regulations/lines.py).

    An issued text changes only by a correction, which stamps `last_corrected_at`: its drawing is kept
    for every reader under its pk and that stamp, so a correction is drawn afresh. A draft is edited in
    place and a model's open content is marked in place: those are drawn on every request.
    """

    def draw() -> tuple[dict, str]:
        tree = selectors.provision_tree(version)
        if numbered:
            lines.numbered(tree.all)
        context = {"tree": tree, "version": version, "regulation": version.regulation, "numbered": numbered}
        return tree.counts(), Compressible(render_to_string("regulations/_version_text.html", context).encode())

    def draw_compressed() -> tuple[dict, Compressible]:
        counts, html = draw()
        html.blocks  # noqa: B018  (compressed once, kept with the text)
        return counts, html

    if version.is_draft or version.regulation.is_model:
        counts, html = draw()
    else:
        key = f"version-page-text:{selectors.issued_stamp(version)}{':numbered' if numbered else ''}"
        counts, html = kept(key, draw_compressed, timeout=TEXT_KEPT)
    return _Text(counts, html)


@login_required
@require_POST
def version_repeal(request, pk):
    version = selectors.get_version_for_user(request.user, pk)
    form = RepealForm(request.POST)
    if form.is_valid():
        try:
            services.version_repeal(version=version, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Đã ghi nhận việc bãi bỏ theo {form.cleaned_data['number']}.")
    else:
        messages.error(request, error_text(form))
    return redirect("regulations:version", pk=version.pk)


@login_required
def article_detail(request, pk, key):
    provision = selectors.get_provision_for_user(request.user, pk, key)
    version = provision.version
    steps = selectors.article_across_versions(provision)
    return render(
        request,
        "regulations/article_detail.html",
        {
            "version": version,
            "regulation": version.regulation,
            "article": provision,
            "steps": [(step, diffing.diff_markup(step.ops)) for step in steps],
            "history": history.article_history(provision, user=request.user),
            "can_correct": provision.is_article and can_correct(request.user, version),
        },
    )


@login_required
def article_text(request, pk, key):
    """An article's text, heading and all under it: what a comparison shows of a renumbered article when opened."""
    version = selectors.get_version_for_user(request.user, pk)
    article = selectors.article_tree(version, key)
    if article is None:
        raise Http404("Không tìm thấy điều này.")
    return HttpResponse(selectors.subtree_text(article), content_type="text/plain; charset=utf-8")


@login_required
def article_correct(request, pk, key):
    """Đính chính: the office puts an article of an issued text right, saying why."""
    version = selectors.get_version_for_user(request.user, pk)
    article = Provision.objects.filter(version=version, key=key, kind=ProvisionKind.ARTICLE).first()
    if article is None or not can_correct(request.user, version):
        raise Http404("Không tìm thấy điều này.")
    if request.method == "POST":
        form = CorrectionForm(request.POST)
        if form.is_valid():
            try:
                editing.version_correct(version=version, user=request.user, key=key, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Đã ghi nhận đính chính Điều {article.label}.")
                return redirect("regulations:article", pk=version.pk, key=key)
    else:
        form = CorrectionForm(initial={"heading": article.heading, "body": editing.article_body(article=article)})
    return render(
        request,
        "regulations/article_correct.html",
        {"version": version, "regulation": version.regulation, "article": article, "form": form},
    )


@login_required
def version_compare(request, pk, other_pk):
    old, new = selectors.get_versions_for_user(request.user, pk, other_pk)
    if old.regulation_id != new.regulation_id:
        raise Http404("Hai văn bản không thuộc cùng một quy chế.")
    changed_only = request.GET.get("tat_ca") != "1"

    def table() -> str:
        changes = selectors.compare_versions(old, new)
        shown = [c for c in changes if c.change != diffing.ChangeKind.UNCHANGED] if changed_only else changes
        return render_to_string(
            "regulations/_compare_table.html",
            {
                "new": new,
                "rows": [(change, diffing.diff_markup(change.ops)) for change in shown],
                "summary": selectors.change_summary(changes),
                "changed_only": changed_only,
            },
        )

    form = "changed" if changed_only else "all"
    return render(
        request,
        "regulations/compare.html",
        {
            "old": old,
            "new": new,
            "regulation": old.regulation,
            # Safe: rendered by the template engine, which escaped it.
            "table": mark_safe(selectors.comparison_kept(old, new, f"page-{form}", table)),  # noqa: S308
        },
    )


@login_required
def version_compare_pick(request, pk):
    regulation = selectors.get_regulation_for_user(request.user, pk)
    old, new = request.GET.get("cu"), request.GET.get("moi")
    if not (old and new and old.isdecimal() and new.isdecimal()) or old == new:  # "²".isdigit(), but no int
        messages.error(request, "Hãy chọn hai phiên bản khác nhau để so sánh.")
        return redirect("regulations:detail", pk=regulation.pk)
    return redirect("regulations:compare", pk=int(old), other_pk=int(new))
