from . import services


def unread(request):
    """How many notifications the signed-in user has not read, for the header (counted when shown)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_count": services.unread_count_lazy(user)}
