"""API token authentication that stops guessing.

Kept apart from quyche/api.py: DRF imports its authentication classes while `rest_framework.views`
is being imported, so this module must not import that.
"""

from rest_framework import authentication, exceptions
from rest_framework.throttling import SimpleRateThrottle


class WrongTokenThrottle(SimpleRateThrottle):
    """Wrong tokens sent from one address, at most so many a period (`wrong_token` rate)."""

    scope = "wrong_token"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def exhausted(self, request) -> bool:
        self.key = self.get_cache_key(request, None)
        self.now = self.timer()
        self.history = [moment for moment in self.cache.get(self.key, []) if moment > self.now - self.duration]
        return len(self.history) >= self.num_requests

    def count(self) -> None:
        self.throttle_success()


class TokenAuthentication(authentication.TokenAuthentication):
    """Tokens, with guessing stopped: throttles run only after authentication, so they never see a wrong
    token. Past the rate of wrong ones from an address, every token from there is refused (429) until
    the period ends, the right one too, so a guess learns nothing."""

    def authenticate(self, request):
        self.request = request
        return super().authenticate(request)

    def authenticate_credentials(self, key):
        wrong = WrongTokenThrottle()
        if wrong.exhausted(self.request):
            raise exceptions.Throttled(wrong.wait())
        try:
            return super().authenticate_credentials(key)
        except exceptions.AuthenticationFailed:
            wrong.count()
            raise
