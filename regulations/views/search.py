"""Tìm kiếm: titles and provisions, typed with or without diacritics."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.vary import vary_on_headers

from .. import search


@login_required
@vary_on_headers("HX-Request")  # the same URL answers htmx with a fragment: caches must tell them apart
def search_page(request):
    query = request.GET.get("q", "").strip()
    hits = search.search(request.user, query) if query else []
    context = {"query": query, "hits": [(hit, mark_safe(hit.snippet)) for hit in hits], "limit": search.MAX_RESULTS}  # noqa: S308 - highlight() escapes
    template = "regulations/_search_results.html" if request.htmx else "regulations/search.html"
    return render(request, template, context)
