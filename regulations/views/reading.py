"""How a person reads texts: the "Hiện số dòng" switch, remembered for them."""

from urllib.parse import parse_qsl, urlencode, urlsplit

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ..models import ReadingPreference


@login_required
@require_POST
def line_numbers(request):
    """Show or hide line numbers on every text from now on, then back to the page the reader was on."""
    ReadingPreference.objects.update_or_create(
        user=request.user, defaults={"line_numbers": request.POST.get("so_dong") == "1"}
    )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = "/"
    # The page as it reads without `?so_dong=`, which would overrule the choice just made.
    parts = urlsplit(back)
    query = urlencode([(name, value) for name, value in parse_qsl(parts.query) if name != "so_dong"])
    return redirect(parts._replace(query=query).geturl())
