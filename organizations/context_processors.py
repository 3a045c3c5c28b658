from .access import seats


def my_organizations(request):
    """The organizations the signed-in user sits in, for the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unique = {}
    for seat in seats(user):
        unique.setdefault(seat.organization_id, seat.organization_name)
    return {"my_organizations": [{"pk": pk, "name": name} for pk, name in unique.items()]}
