"""Trang chủ: each person's desk."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import selectors


@login_required
def home(request):
    """What awaits the person, their organizations and roles, their regulations, what happened lately."""
    return render(request, "reviews/desk.html", selectors.desk(request.user))
