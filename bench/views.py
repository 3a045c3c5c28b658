"""The benchmark's bare view and its query counter (bench/settings.py)."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.template import engines

from organizations.models import Organization

FILLER = "<p>" + "Quy chế làm việc của Ban Chấp hành. " * 24 + "</p>\n"  # about 1 KB
# The site's layout around the same 10 KB: what every page pays before its own content.
LAYOUT = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}{{ roots }}{% endblock %}'
    + "{% block content %}"
    + FILLER * 10
    + "{% endblock %}"
)


@login_required
def baseline(request):
    """One query and about 10 KB, as light as a page of the site can be."""
    roots = Organization.objects.filter(parent=None).count()
    return HttpResponse(f"<!doctype html><title>{roots}</title>\n" + FILLER * 10)


@login_required
def layout(request):
    """The bare view's query and text inside base.html: the header's counts, the nav, the context processors."""
    roots = Organization.objects.filter(parent=None).count()
    return HttpResponse(LAYOUT.render({"roots": roots}, request))


def count_queries(get_response):
    """Middleware, outermost: the number of queries the request made, in the X-Queries header."""

    def middleware(request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = get_response(request)
        response["X-Queries"] = str(count)
        return response

    return middleware
