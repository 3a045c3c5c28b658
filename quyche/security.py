"""Safe defaults every request gets: a Content-Security-Policy, idle sessions that end, the lockout page."""

import ipaddress
import math
import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render

# Pages load scripts, styles and images from the site only; no inline script or style runs, so an
# injected one does nothing. htmx keeps working: its own indicator styles are off (base.html).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",  # the empty favicon (`data:,`) that spares a request
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


# The session's last sign of activity; saved again once it is this old.
ACTIVE_AT = "quyche_active_at"
RENEW_AFTER = 60  # seconds


class IdleSessionMiddleware:
    """A session ends SESSION_COOKIE_AGE after its last request, not after its login.

    Saving it on every request (SESSION_SAVE_EVERY_REQUEST) would cost every page a write; it is saved
    when its mark is a minute old. A session without a mark (made before, or by a test's force_login)
    gets one the next time it is saved anyway, as a login does.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        if session.accessed and not session.is_empty():
            now = int(time.time())
            marked = session.get(ACTIVE_AT)
            if session.modified or (marked is not None and now - marked >= RENEW_AFTER):
                session[ACTIVE_AT] = now
        return response


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


INSECURE_START_MESSAGE = (
    "With DEBUG off, set SECRET_KEY to a long random value of your own "
    "(for development, set DEBUG=1 instead: `make run` does)."
)


def refuse_insecure_start() -> None:
    """No site or worker runs in production on the public quick-start key (whoever knows it forges sessions)."""
    if settings.INSECURE_START:
        raise ImproperlyConfigured(INSECURE_START_MESSAGE)


class RefuseInsecureStartMiddleware:
    """Checked once, when the server loads its middleware (gunicorn, runserver): it does not start."""

    def __init__(self, get_response):
        refuse_insecure_start()
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
