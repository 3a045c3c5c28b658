"""Who may do what with regulations: one function per action, used by views, the API, services and templates."""

from organizations.access import can_draft, can_view_organization, seats
from organizations.models import BodyKind, Organization

from .models import RegulationKind


def can_view_regulation(user, regulation) -> bool:
    """A regulation is read by those who may read its organization or one of its parties, and by
    those it was granted to (working-group members from other bodies, while the work lasts)."""
    if can_view_organization(user, regulation.organization):
        return True
    if any(can_view_organization(user, party) for party in regulation.parties.all()):
        return True
    if regulation.kind == RegulationKind.MODEL and any(
        Organization.path_is_below(seat.organization_path, regulation.organization.path, include_self=True)
        for seat in seats(user)
    ):
        return True  # a model regulation is written for the organizations below to adapt
    return user.is_authenticated and user.has_perm("regulations.view_regulation", regulation)


def can_import_regulation(user, organization: Organization) -> bool:
    """Bringing in texts is drafting work: the office's."""
    return can_draft(user, organization)


def can_link_model(user, regulation) -> bool:
    """Saying which model a regulation adapts is the office's, as bringing in its text is."""
    return can_import_regulation(user, regulation.organization)


def model_applies_to(model, organization: Organization) -> bool:
    """A model regulation is written for its own organization and those below it to adapt."""
    return model.kind == RegulationKind.MODEL and organization.is_below(model.organization, include_self=True)


def can_repeal(user, version) -> bool:
    """Recording the decision that repealed a text is the office's, as bringing the text in was."""
    return can_import_regulation(user, version.regulation.organization)


def can_correct(user, version) -> bool:
    """A correction (đính chính) of an issued text is the office's, as bringing the text in was."""
    return not version.is_draft and can_import_regulation(user, version.regulation.organization)


def can_keep_register(user) -> bool:
    """The register of superior documents is kept by the offices of the top-level committees."""
    return user.is_superuser or any(
        seat.body_kind == BodyKind.OFFICE and seat.organization_depth == 1 for seat in seats(user)
    )


def can_read_numbers(user, organization: Organization) -> bool:
    """The register of numbers an organization issued is read by whoever may read the organization."""
    return can_view_organization(user, organization)


def can_keep_numbers(user, organization: Organization) -> bool:
    """Reserving and cancelling numbers is the office's, as issuing is."""
    return can_draft(user, organization)
