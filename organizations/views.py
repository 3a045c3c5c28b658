import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.vary import vary_on_headers

from quyche import counts
from quyche.forms import SearchForm, error_text

from . import selectors, services
from .access import can_audit, can_draft, can_manage_organization, get_organization_for_user
from .forms import ChildOrganizationForm, ChildrenForm


@login_required
@vary_on_headers("HX-Request")  # the same URL answers htmx with a fragment: caches must tell them apart
def organization_tree(request):
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {"query": query, "error": error_text(form)}
    if query:
        context["results"] = selectors.search_organizations(request.user, query)
    else:
        # Kept for each reader until the tree, a seat (or a right granted) or a person (a superuser's roots are all
        # the tree's) changes, as their pages of children.
        depends_on = ("organizations", "positions", "people")
        context["nodes"] = counts.cached(
            f"tree-roots:{request.user.pk}", depends_on, lambda: selectors.tree_roots(request.user)
        )
    if request.htmx and request.htmx.target == "tree-body":
        return render(request, "organizations/_tree_body.html", context)
    return render(request, "organizations/tree.html", context)


def _children(request, organization, *, count_organization: bool = False) -> dict:
    """The page of children asked for (`?q=` filters by name, `?trang=` numbers the pages; the first if nonsense),
    drawn as items of a list, with the organization's own counts where asked.

    Kept drawn for each reader until the tree or a seat changes (which also decides what they may read): a bloc's
    page of fifty children cost more to draw than the rest of its page."""
    form = ChildrenForm(request.GET)
    query, number = (form.cleaned_data["q"], form.cleaned_data["trang"] or 1) if form.is_valid() else ("", 1)

    def draw() -> dict:
        page = selectors.children_page(
            request.user, organization, query=query, number=number, count_organization=count_organization
        )
        html = render_to_string("organizations/_children.html", {"organization": organization, "children": page})
        counts_label = organization.counts_label if count_organization else ""
        return {"shown": bool(page.nodes), "query": query, "number": number, "counts_label": counts_label, "html": html}

    digest = hashlib.sha256(query.encode()).hexdigest()[:32]
    name = f"children:{request.user.pk}:{organization.pk}:{int(count_organization)}:{number}:{digest}"
    return counts.cached(name, ("organizations", "positions"), draw)


@login_required
def organization_children(request, pk):
    """A page of an organization's children, as items of a list: the tree unfolds a node, the page shows more."""
    organization = get_organization_for_user(request.user, pk)
    return HttpResponse(_children(request, organization)["html"])


@login_required
def organization_detail(request, pk):
    organization = get_organization_for_user(request.user, pk)
    # A leaf has nothing to count; otherwise its counts come with its children's.
    children = _children(request, organization, count_organization=True) if organization.numchild else None
    context = {
        "organization": organization,
        "children": children,
        "page_size": selectors.CHILDREN_PAGE,
        "counts_label": children["counts_label"] if children else "",
        "can_audit": can_audit(request.user, organization),
        "can_manage": can_manage_organization(request.user, organization),
        "can_draft": can_draft(request.user, organization),
        **selectors.organization_page(organization),
    }
    return render(request, "organizations/detail.html", context)


@login_required
def organization_add_child(request, pk):
    parent = get_organization_for_user(request.user, pk)
    if not can_manage_organization(request.user, parent):
        raise PermissionDenied("Chỉ văn phòng cấp ủy mới được thêm tổ chức trực thuộc.")
    form = ChildOrganizationForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(parent=parent, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Đã thêm {organization.name}.")
            return redirect("organizations:detail", pk=organization.pk)
    return render(request, "organizations/add_child.html", {"parent": parent, "form": form})
