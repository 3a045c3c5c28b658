"""One text of a regulation: reading it, an article across versions, comparing two, recording a repeal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from quyche.forms import error_text

from .. import diffing, selectors, services
from ..access import can_repeal
from ..forms import InForceForm, RepealForm
from ..models import Provision, VersionStatus


@login_required
def version_detail(request, pk):
    version = selectors.get_version_for_user(request.user, pk)
    tree = selectors.provision_tree(version)
    in_force_on = InForceForm({"day": request.GET.get("ngay")}) if request.GET.get("ngay") else None
    return render(
        request,
        "regulations/version_detail.html",
        {
            "version": version,
            "regulation": version.regulation,
            "tree": tree,
            "counts": tree.counts(),
            "in_force_on": in_force_on.cleaned_data["day"] if in_force_on and in_force_on.is_valid() else None,
            # A replaced text may be repealed too, but the form is offered on the one in force.
            "repeal_form": (
                RepealForm() if version.status == VersionStatus.IN_FORCE and can_repeal(request.user, version) else None
            ),
        },
    )


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
    version = selectors.get_version_for_user(request.user, pk)
    provision = Provision.objects.filter(version=version, key=key).first()
    if provision is None:
        raise Http404("Không tìm thấy điều này.")
    provision.version = version
    steps = selectors.article_across_versions(provision)
    edits = list(selectors.edits_of(provision))
    return render(
        request,
        "regulations/article_detail.html",
        {
            "version": version,
            "regulation": version.regulation,
            "article": provision,
            "steps": [(step, diffing.diff_markup(step.ops)) for step in steps],
            "edits": edit_rows(edits),
        },
    )


def edit_rows(edits) -> list[dict]:
    """Each recorded change with the word-level difference from the provision's previous record."""
    rows, last_text = [], {}
    for record in edits:
        text = " ".join(part for part in (record.heading, record.text) if part)
        before = last_text.get(record.id)
        ops = diffing.word_diff(before, text) if before is not None else [("insert", text)]
        rows.append({"record": record, "diff": diffing.diff_markup(ops), "created": before is None})
        last_text[record.id] = text
    return rows


@login_required
def version_compare(request, pk, other_pk):
    old = selectors.get_version_for_user(request.user, pk)
    new = selectors.get_version_for_user(request.user, other_pk)
    if old.regulation_id != new.regulation_id:
        raise Http404("Hai văn bản không thuộc cùng một quy chế.")
    changes = selectors.compare_versions(old, new)
    changed_only = request.GET.get("tat_ca") != "1"
    shown = [c for c in changes if c.change != diffing.ChangeKind.UNCHANGED] if changed_only else changes
    return render(
        request,
        "regulations/compare.html",
        {
            "old": old,
            "new": new,
            "regulation": old.regulation,
            "rows": [(change, diffing.diff_markup(change.ops)) for change in shown],
            "summary": selectors.change_summary(changes),
            "changed_only": changed_only,
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
