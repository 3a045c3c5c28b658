"""What every page of an amendment shares: the user's rights for the buttons, the tabs' frame."""

from django.shortcuts import render
from django.urls import reverse

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


def draft_url(amendment) -> str:
    return reverse("reviews:draft", args=[amendment.pk])


def synthesis_url(amendment) -> str:
    return reverse("reviews:synthesis", args=[amendment.pk])
