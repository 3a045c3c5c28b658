"""Tìm kiếm: titles and provisions, typed with or without diacritics."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.vary import vary_on_headers

from quyche.forms import SearchForm, error_text

from .. import search


@login_required
@vary_on_headers("HX-Request")  # the same URL answers htmx with a fragment: caches must tell them apart
def search_page(request):
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    hits = search.search(request.user, query) if query else []
    context = {
        "query": query, "error": error_text(form), "limit": search.MAX_RESULTS,
        "hits": [(hit, mark_safe(hit.snippet)) for hit in hits],  # noqa: S308 - highlight() escapes
    }  # fmt: skip
    template = "regulations/_search_results.html" if request.htmx else "regulations/search.html"
    return render(request, template, context)
