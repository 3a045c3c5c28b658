"""The header's links, worked out once per process: every page draws them, and `{% url %}` reverses each
afresh (ten of them: 0.3 ms of every page, bench/README.md)."""

import functools

from django.urls import get_script_prefix, reverse

HEADER = {
    "tree": "organizations:tree",
    "search": "regulations:search",
    "amendments": "reviews:list",
    "register": "regulations:register",
    "todo": "reviews:todo",
    "notifications": "notifications:list",
    "notification_settings": "notifications:settings",
    "admin": "admin:index",
    "styleguide": "styleguide",
    "logout": "logout",
}


# A site is served under one prefix (SCRIPT_NAME, from the server's configuration); a few at most are kept, so that
# prefixes a client might send are never kept without bound.
@functools.lru_cache(maxsize=4)
def _links(prefix: str) -> dict[str, str]:
    return {name: reverse(view) for name, view in HEADER.items()}


def header_links(request):
    """`links.tree`, `links.todo`, … for base.html (the same under one script prefix, which reverse() reads)."""
    return {"links": _links(get_script_prefix())}
