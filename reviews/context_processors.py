from django.utils.functional import SimpleLazyObject

from . import notifications, selectors


def todo(request):
    """What awaits the signed-in user and what they have not read, for the header (counted when shown)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "todo_count": SimpleLazyObject(lambda: selectors.awaiting_count(user)),
        "unread_count": SimpleLazyObject(lambda: notifications.unread_count(user)),
    }
