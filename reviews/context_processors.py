from . import selectors


def todo(request):
    """What awaits the signed-in user, for the header (counted when shown)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"todo_count": selectors.awaiting_count_lazy(user)}
