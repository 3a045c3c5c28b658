"""Who may do what with an amendment: one function per action, used by views, the API, services and templates.

The functions take the amendment and read what they need from it; the lists they consult
(working group, consultation requests) are loaded once per amendment object.
"""

from organizations.access import answering_organization_ids, can_draft, can_view_organization, sits_in

from .models import AmendmentStatus, StageKind, WorkingGroupRole


def _working_group(amendment) -> dict:
    cached = getattr(amendment, "_working_group_roles", None)
    if cached is None:
        cached = dict(amendment.working_group.active().values_list("user_id", "role"))
        amendment._working_group_roles = cached
    return cached


def _requests(amendment) -> list:
    cached = getattr(amendment, "_consultation_requests", None)
    if cached is None:
        cached = list(amendment.requests.all())
        amendment._consultation_requests = cached
    return cached


def in_working_group(user, amendment) -> bool:
    """A working group exists while its amendment is open; it dissolves when the amendment ends."""
    return amendment.is_open and user.is_authenticated and user.pk in _working_group(amendment)


def can_work_on(user, amendment) -> bool:
    """The working group, and the office of the organization it works for."""
    return in_working_group(user, amendment) or can_draft(user, amendment.regulation.organization)


def open_requests_for(user, amendment) -> list:
    """Consultation requests this user may answer: their own, and their organization's."""
    if not user.is_authenticated:
        return []
    return [request for request in _requests(amendment) if request.answered_at is None and _asks(request, user)]


def _asks(request, user) -> bool:
    return request.user_id == user.pk or request.organization_id in answering_organization_ids(user)


def is_consulted(user, amendment) -> bool:
    return user.is_authenticated and any(_asks(request, user) for request in _requests(amendment))


def can_view_amendment(user, amendment) -> bool:
    if not user.is_authenticated:
        return False
    return (
        can_view_organization(user, amendment.regulation.organization)
        or in_working_group(user, amendment)
        or is_consulted(user, amendment)
        or user.has_perm("reviews.view_amendment", amendment)
    )


def can_start_amendment(user, regulation) -> bool:
    return can_draft(user, regulation.organization)


def can_act_at_stage(user, amendment) -> bool:
    """The working group acts at its own stages; at the others, the members of the stage's body."""
    if amendment.status != AmendmentStatus.IN_PROGRESS:
        return False
    stage = amendment.stage
    if stage.by_working_group:
        return can_work_on(user, amendment)
    return user.is_superuser or sits_in(user, amendment.regulation.organization, stage.body_kind)


def can_edit_draft(user, amendment) -> bool:
    return (
        amendment.status == AmendmentStatus.IN_PROGRESS
        and amendment.stage.kind in (StageKind.DRAFTING, StageKind.SYNTHESIS)
        and can_work_on(user, amendment)
    )


def can_edit_dossier(user, amendment) -> bool:
    return (
        amendment.status == AmendmentStatus.IN_PROGRESS
        and amendment.stage.by_working_group
        and can_work_on(user, amendment)
    )


def can_manage_working_group(user, amendment) -> bool:
    if not amendment.is_open:
        return False
    return _working_group(amendment).get(user.pk) == WorkingGroupRole.CHAIR or can_draft(
        user, amendment.regulation.organization
    )


def can_consult(user, amendment) -> bool:
    return (
        amendment.status == AmendmentStatus.IN_PROGRESS
        and amendment.stage.kind == StageKind.CONSULTATION
        and can_work_on(user, amendment)
    )


def can_close_consultation(user, amendment) -> bool:
    """Ending the consultation before every answer is in is the working group's call, as sending it was."""
    return can_consult(user, amendment)


def can_comment(user, amendment) -> bool:
    """During consultation, those asked for their opinion comment on the draft."""
    return (
        amendment.status == AmendmentStatus.IN_PROGRESS
        and amendment.stage.kind == StageKind.CONSULTATION
        and bool(open_requests_for(user, amendment))
    )


def can_reply(user, amendment) -> bool:
    return (
        amendment.status == AmendmentStatus.IN_PROGRESS
        and amendment.stage.kind in (StageKind.CONSULTATION, StageKind.SYNTHESIS)
        and (is_consulted(user, amendment) or can_work_on(user, amendment))
    )


def can_dispose(user, amendment) -> bool:
    return (
        amendment.status == AmendmentStatus.IN_PROGRESS
        and amendment.stage.kind == StageKind.SYNTHESIS
        and can_work_on(user, amendment)
    )


def can_issue(user, amendment) -> bool:
    return amendment.status == AmendmentStatus.ADOPTED and can_draft(user, amendment.regulation.organization)


def can_prepare_papers(user, amendment) -> bool:
    """The papers filed with the amendment are written and issued by the working group and the office."""
    return can_work_on(user, amendment)


def can_issue_paper(user, amendment) -> bool:
    """Issuing a paper takes a number from the organization's register: the office's, as issuing the text is."""
    return can_draft(user, amendment.regulation.organization)


def can_read_paper(user, amendment, paper) -> bool:
    """A paper being written is the working group's and the office's; once issued, whoever reads the dossier."""
    if can_prepare_papers(user, amendment):
        return True
    return paper is not None and paper.is_final and can_view_amendment(user, amendment)
