"""What every page of an amendment shares: the user's rights for the buttons, the tabs' frame."""

from django.shortcuts import render
from django.urls import reverse

from quyche.ids import as_id

from .. import access


def rights(user, amendment) -> dict:
    """What the user may do here: one call per rule, for the templates' buttons."""
    return {
        "can_act": access.can_act_at_stage(user, amendment),
        "can_edit_draft": access.can_edit_draft(user, amendment),
        "can_edit_dossier": access.can_edit_dossier(user, amendment),
        "can_manage_group": access.can_manage_working_group(user, amendment),
        "can_consult": access.can_consult(user, amendment),
        "can_comment": access.can_comment(user, amendment),
        "can_reply": access.can_reply(user, amendment),
        "can_dispose": access.can_dispose(user, amendment),
        "can_issue": access.can_issue(user, amendment),
    }


def answering(user, amendment, chosen) -> tuple[list, object]:
    """The requests the user may answer, and the one they answer now: the one chosen (`?phieu=`), else the first.

    A committee member who is also an organization's secretary is asked twice, in person and for the
    organization; what they write goes to the request they chose, so the organization's answer gathers
    its secretary's and its office's opinions under its name.
    """
    requests = access.open_requests_for(user, amendment)
    chosen = next((r for r in requests if r.pk == as_id(chosen)), requests[0] if requests else None)
    return requests, chosen


def page(request, template, amendment, tab, **context):
    return render(
        request,
        template,
        {
            "amendment": amendment,
            "tab": tab,
            "regulation": amendment.regulation,
            **rights(request.user, amendment),
            **context,
        },
    )


def draft_url(amendment, *, request_id=None) -> str:
    """The draft's page; with `request_id`, answering that request of the several the user has (see `answering`)."""
    url = reverse("reviews:draft", args=[amendment.pk])
    return f"{url}?phieu={request_id}" if request_id else url


def synthesis_url(amendment) -> str:
    return reverse("reviews:synthesis", args=[amendment.pk])
