"""Trang chủ: each person's desk."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from quyche import counts

from .. import selectors


@login_required
def home(request):
    """What awaits the person, their organizations and roles, their regulations, what happened lately.

    Kept for the person and the day until a dossier, a request, a seat, a regulation, a finding, an organization
    or one of their notifications changes: gathered afresh, it costs four times the rest of the page."""
    user = request.user
    depends_on = (*selectors.AWAITING_DEPENDS_ON, f"notifications:{user.pk}")
    desk = counts.cached(f"desk:{user.pk}", depends_on, lambda: selectors.desk(user))
    return render(request, "reviews/desk.html", desk)
