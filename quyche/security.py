"""Login lockout (django-axes): the address a login comes from, and the page a locked-out one gets."""

import ipaddress
import math

from django.conf import settings
from django.shortcuts import render


def client_ip(request) -> str | None:
    """The address a login comes from (django-axes). Behind the proxy, the last address of
    X-Forwarded-For is the one the proxy saw; those before it are whatever the client wrote."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")


def locked_out(request, original_response, credentials):
    """The page a locked-out login gets (django-axes), in Vietnamese, saying how long to wait."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
