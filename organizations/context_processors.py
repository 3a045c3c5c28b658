from .access import roles_by_organization


def my_organizations(request):
    """The organizations the signed-in user sits in, each once, for the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "my_organizations": [
            {"pk": membership.organization_id, "name": membership.organization_name}
            for membership in roles_by_organization(user)
        ]
    }
