from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from organizations.access import get_organization_for_user
from quyche.forms import add_service_error

from . import conformance, diffing, pdf, search, selectors, services, tasks
from .access import can_import_regulation, can_keep_register, can_view_regulation
from .filters import RegulationFilter
from .forms import DocumentEndForm, ImportForm, InForceForm, RepealForm, SuperiorDocumentForm
from .models import Provision, ProvisionKind, RegulationKind, SuperiorDocument, VersionStatus, normalize_number


@login_required
@vary_on_headers("HX-Request")  # the same URL answers htmx with a fragment: caches must tell them apart
def regulation_list(request, organization_pk):
    organization = get_organization_for_user(request.user, organization_pk)
    filters = RegulationFilter(request.GET or None, selectors.regulations_of(request.user, organization))
    context = {
        "organization": organization,
        "regulations": filters.qs if filters.is_valid() else filters.queryset,
        "filters": filters.form,
        "can_import": can_import_regulation(request.user, organization),
    }
    template = "regulations/_regulation_rows.html" if request.htmx else "regulations/regulation_list.html"
    return render(request, template, context)


@login_required
def regulation_detail(request, pk):
    regulation = selectors.get_regulation_for_user(request.user, pk)
    versions = selectors.versions_of(regulation)
    return render(
        request,
        "regulations/regulation_detail.html",
        {
            "regulation": regulation,
            "versions": versions,
            "in_force_form": InForceForm(),
            "can_import": can_import_regulation(request.user, regulation.organization),
        },
    )


@login_required
def regulation_in_force(request, pk):
    regulation = selectors.get_regulation_for_user(request.user, pk)
    form = InForceForm(request.GET)
    if not form.is_valid():
        messages.error(request, "Ngày không hợp lệ. Hãy chọn ngày theo dạng ngày/tháng/năm.")
        return redirect("regulations:detail", pk=regulation.pk)
    day = form.cleaned_data["day"]
    version = selectors.version_in_force(regulation, day)
    if version is None:
        messages.warning(request, f"Không có văn bản nào của quy chế này có hiệu lực vào ngày {day:%d/%m/%Y}.")
        return redirect("regulations:detail", pk=regulation.pk)
    return redirect(f"{reverse('regulations:version', args=[version.pk])}?ngay={day:%Y-%m-%d}")


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
            "repeal_form": RepealForm() if _can_repeal(request.user, version) else None,
        },
    )


def _can_repeal(user, version) -> bool:
    return version.status == VersionStatus.IN_FORCE and can_import_regulation(user, version.regulation.organization)


@login_required
@require_POST
def version_repeal(request, pk):
    version = selectors.get_version_for_user(request.user, pk)
    if not can_import_regulation(request.user, version.regulation.organization):
        raise PermissionDenied("Chỉ văn phòng cấp ủy mới ghi nhận việc bãi bỏ.")
    form = RepealForm(request.POST)
    if form.is_valid():
        try:
            services.version_repeal(version=version, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Đã ghi nhận việc bãi bỏ theo {form.cleaned_data['number']}.")
    else:
        messages.error(request, "Cần nhập đủ số, ngày và cơ quan ban hành quyết định bãi bỏ.")
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
    shown = [c for c in changes if c.change != "unchanged"] if changed_only else changes
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
    if not (old and new and old.isdigit() and new.isdigit()) or old == new:
        messages.error(request, "Hãy chọn hai phiên bản khác nhau để so sánh.")
        return redirect("regulations:detail", pk=regulation.pk)
    return redirect("regulations:compare", pk=int(old), other_pk=int(new))


@login_required
def regulation_import(request, organization_pk):
    organization = get_organization_for_user(request.user, organization_pk)
    regulation = None
    if request.GET.get("quy_che") or request.POST.get("regulation"):
        regulation = selectors.get_regulation_for_user(
            request.user, request.GET.get("quy_che") or request.POST["regulation"]
        )
        if regulation.organization_id != organization.pk:
            raise Http404("Không tìm thấy quy chế.")
    if not can_import_regulation(request.user, organization):
        raise PermissionDenied("Chỉ văn phòng cấp ủy mới được nhập văn bản.")
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"organization": organization, "regulation": regulation, "form": form, "kinds": RegulationKind}
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            if request.POST.get("action") == "save":
                result = services.regulation_import(
                    text=text,
                    user=request.user,
                    organization=organization,
                    regulation=regulation,
                    kind=form.cleaned_data["kind"] or None,
                )
                messages.success(request, f"Đã lưu {result.version}.")
                return redirect("regulations:version", pk=result.version.pk)
            document = services.parse_or_refuse(text)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            context.update(
                preview=document,
                preview_rows=flatten(document.provisions),
                summary=services.ImportResult(version=None, document=document).summary(),
                text=text,
            )
    return render(request, "regulations/import.html", context)


def flatten(nodes, depth=0) -> list[tuple[int, object]]:
    """A parsed tree as (depth, node) rows in reading order, for the import preview."""
    rows = []
    for node in nodes:
        rows.append((depth, node))
        rows.extend(flatten(node.children, depth + 1))
    return rows


@login_required
@vary_on_headers("HX-Request")  # the same URL answers htmx with a fragment: caches must tell them apart
def search_page(request):
    query = request.GET.get("q", "").strip()
    hits = search.search(request.user, query) if query else []
    context = {"query": query, "hits": [(hit, mark_safe(hit.snippet)) for hit in hits], "limit": search.MAX_RESULTS}  # noqa: S308 - highlight() escapes
    template = "regulations/_search_results.html" if request.htmx else "regulations/search.html"
    return render(request, template, context)


@login_required
def regulation_conformance(request, pk):
    """Báo cáo phù hợp với quy chế mẫu: what the regulation kept, filled in, changed, left out and added."""
    regulation = selectors.get_regulation_for_user(request.user, pk)
    context = {"regulation": regulation}
    try:
        report = conformance.conformance_report(regulation)
    except ValidationError as error:
        context["problem"] = " ".join(error.messages)
    else:
        context.update(
            report=report,
            can_view_model=can_view_regulation(request.user, report.model),
            changed=[(change, diffing.diff_markup(change.ops)) for change in report.changed],
            filled_in=[(change, diffing.diff_markup(change.ops)) for change in report.filled_in],
        )
    return render(request, "regulations/conformance.html", context)


# Open content is marked where it is read: beside each article and clause of the model's text.
OPEN_CONTENT_KINDS = (ProvisionKind.ARTICLE, ProvisionKind.CLAUSE)


@login_required
def open_content_controls(request, pk):
    """For the office of a model's organization, the buttons that mark open content, put in place by htmx."""
    version = selectors.get_version_for_user(request.user, pk)
    if not conformance.can_mark_open_content(request.user, version):
        return HttpResponse(status=204)
    nodes = Provision.objects.filter(version=version, kind__in=OPEN_CONTENT_KINDS).for_rendering()
    context = {"version": version, "can_mark_open": True, "oob": True}
    return HttpResponse(
        "".join(
            render_to_string("regulations/_open_content.html", {**context, "node": node}, request) for node in nodes
        )
    )


@login_required
@require_POST
def open_content_mark(request, pk, key):
    version = selectors.get_version_for_user(request.user, pk)
    provision = Provision.objects.filter(version=version, key=key).select_related("article").first()
    if provision is None:
        raise Http404("Không tìm thấy điều khoản này.")
    value = request.POST.get("value") == "1"
    try:
        provision = conformance.open_content_set(provision=provision, user=request.user, value=value)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if request.htmx:
            context = {"version": version, "node": provision, "can_mark_open": True}
            return render(request, "regulations/_open_content.html", context)
        reason = conformance.MARK_REASON if value else conformance.UNMARK_REASON
        messages.success(request, f"{reason}: {provision.display_label}.")
    anchor = provision.article.anchor if provision.article else provision.anchor
    return redirect(f"{reverse('regulations:version', args=[version.pk])}#{anchor}")


# The register of superior documents -------------------------------------------------------------


@login_required
def register(request):
    """Văn bản cấp trên: what regulations cite as legal bases, and which of them have ended."""
    can_keep = can_keep_register(request.user)
    form = SuperiorDocumentForm(request.POST or None) if can_keep else None
    if request.method == "POST":
        if not can_keep:
            raise PermissionDenied("Chỉ văn phòng cấp ủy cấp tỉnh cập nhật danh mục văn bản cấp trên.")
        if form.is_valid():
            try:
                document = services.superior_document_create(**form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, f"Đã thêm {document.number} vào danh mục.")
                return redirect("regulations:register")
    documents = SuperiorDocument.objects.select_related("replaced_by").annotate(
        citing=Count("citing_versions", filter=Q(citing_versions__status=VersionStatus.IN_FORCE))
    )
    return render(
        request,
        "regulations/register.html",
        {"documents": documents, "form": form, "end_form": DocumentEndForm() if can_keep else None},
    )


@login_required
@require_POST
def register_end(request, pk):
    if not can_keep_register(request.user):
        raise PermissionDenied("Chỉ văn phòng cấp ủy cấp tỉnh cập nhật danh mục văn bản cấp trên.")
    document = SuperiorDocument.objects.filter(pk=pk).first()
    if document is None:
        raise Http404("Không có văn bản này trong danh mục.")
    form = DocumentEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Cần chọn ngày văn bản hết hiệu lực.")
        return redirect("regulations:register")
    replaced_by = None
    number = normalize_number(form.cleaned_data["replaced_by"])
    if number:
        replaced_by = SuperiorDocument.objects.filter(number=number).first()
        if replaced_by is None:
            messages.error(request, f"{number} chưa có trong danh mục; hãy thêm văn bản thay thế trước.")
            return redirect("regulations:register")
    try:
        services.superior_document_end(document=document, on=form.cleaned_data["on"], replaced_by=replaced_by)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"Đã ghi nhận {document.number} hết hiệu lực; các quy chế lấy làm căn cứ cần rà soát."
        )
    return redirect("regulations:register")


@login_required
def version_pdf(request, pk):
    """A draft is printed afresh; an issued text once, then served from the file kept.

    Without Redis (the quick start) everything is printed in the request; with a worker, a large
    text is printed in the background and the reader sees "đang tạo tệp PDF" until it is ready.
    """
    version = selectors.get_version_for_user(request.user, pk)
    if version.is_draft:
        return pdf.pdf_response(pdf.render_version(version), pdf.version_pdf_filename(version))
    if not version.pdf:
        articles = Provision.objects.filter(version=version, kind=ProvisionKind.ARTICLE).count()
        if settings.CELERY_TASK_ALWAYS_EAGER or articles < settings.PDF_BACKGROUND_ARTICLES:
            version = services.version_pdf_store(version=version)
        else:
            if services.version_pdf_requested(version=version):
                transaction.on_commit(lambda: tasks.render_version_pdf.delay(version.pk, request.user.pk))
            return render(request, "regulations/pdf_pending.html", {"version": version})
    return FileResponse(
        version.pdf.open("rb"), as_attachment=True, filename=pdf.version_pdf_filename(version)
    )


@login_required
def version_pdf_status(request, pk):
    version = selectors.get_version_for_user(request.user, pk)
    return render(request, "regulations/_pdf_status.html", {"version": version})
