"""Error pages that need more than Django's defaults."""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseBadRequest
from django.template import loader


def bad_request(request, exception):
    """The 400 page (rendered, as Django's, without the request), saying when a request was too large."""
    page = loader.get_template("400.html").render({"too_big": isinstance(exception, RequestDataTooBig)})
    return HttpResponseBadRequest(page)
