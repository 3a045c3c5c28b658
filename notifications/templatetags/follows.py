"""`{% follow_button regulation %}`: the follow button of a regulation or an amendment, on its page."""

from django import template

from ..views import follow_context

register = template.Library()


@register.inclusion_tag("notifications/_follow.html", takes_context=True)
def follow_button(context, target):
    """Shown to a reader of the page, who may follow what they read (one query: whether they do)."""
    request = context["request"]
    return {**follow_context(request.user, target), "csrf_token": context.get("csrf_token"), "request": request}
