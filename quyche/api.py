"""What every API view shares: errors in Vietnamese, a bounded page (authentication: quyche/authentication.py)."""

import hashlib

from django.http import JsonResponse
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler

from quyche.counts import KEPT_PAGES, cached

# DRF's own messages for these have no Vietnamese translation.
MESSAGES = {
    "not_authenticated": "Cần đăng nhập hoặc gửi mã truy cập (token).",
    "authentication_failed": "Thông tin đăng nhập hoặc mã truy cập không đúng.",
    "permission_denied": "Bạn không có quyền thực hiện việc này.",
    "not_found": "Không tìm thấy.",
    "not_acceptable": "Không trả về được định dạng được yêu cầu.",
    "unsupported_media_type": "Định dạng dữ liệu gửi lên không được hỗ trợ.",
    "throttled": "Quá nhiều yêu cầu; hãy thử lại sau.",
    "parse_error": "Dữ liệu gửi lên không đọc được.",
}


def not_found(request):
    """Any other URL under /api/ ("abc" or "-1" for an id): the API's 404, in JSON, not the site's page."""
    return JsonResponse({"detail": MESSAGES["not_found"]}, status=404)


def vietnamese_exception_handler(exc, context):
    response = exception_handler(exc, context)
    code = getattr(exc, "default_code", None)
    detail = getattr(response, "data", None)
    # DRF's messages are English (plain ASCII); ours carry Vietnamese letters and are kept as they are.
    if code in MESSAGES and isinstance(detail, dict) and set(detail) == {"detail"} and str(detail["detail"]).isascii():
        response.data = {"detail": MESSAGES[code]}
    return response


class Pagination(LimitOffsetPagination):
    """`?limit=` up to `max_limit`: a larger one, even past any integer the database holds, gets `max_limit`.

    A view that names what its rows depend on (`count_depends_on`, scopes of quyche.counts) has its total
    kept per person and filters until one of those changes: counting every row a city's auditor may read
    costs more than drawing the page."""

    max_limit = 500

    def paginate_queryset(self, queryset, request, view=None):
        self.depends_on = getattr(view, "count_depends_on", None)
        return super().paginate_queryset(queryset, request, view)

    def get_count(self, queryset):
        if not self.depends_on:
            return super().get_count(queryset)
        params = self.request.query_params.copy()
        for name in (self.limit_query_param, self.offset_query_param):
            params.pop(name, None)
        # The filters digested: whatever a client sends, the key stays short and of safe characters.
        filters = hashlib.sha256(f"{self.request.path}?{params.urlencode()}".encode()).hexdigest()[:32]
        name = f"api-count:{self.request.user.pk}:{filters}"
        count = super().get_count
        return cached(name, self.depends_on, lambda: count(queryset))


class KeptListMixin:
    """A list whose answer is kept per person and URL (filters and page) until one of `list_depends_on` (scopes of
    quyche.counts) changes: for lists whose rows cost more to gather than the rest of the request. A refused
    filter raises before anything is kept.

    As the site's lists (quyche.counts.cached_page), only what a reader ordinarily asks for is kept: pages of the
    default size among the first KEPT_PAGES, under the list's own parameters. Any other (`?limit=500`, a page far
    on, a parameter the list does not read) is answered afresh, so that a client walking the list or varying the
    URL does not fill the cache with entries no one reads again."""

    list_depends_on: tuple[str, ...] = ()

    def list(self, request, *args, **kwargs):
        answer = super().list
        if not self._kept_as_asked(request):
            return answer(request, *args, **kwargs)
        asked = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]
        name = f"api-list:{request.user.pk}:{asked}"
        return Response(cached(name, self.list_depends_on, lambda: answer(request, *args, **kwargs).data))

    def _kept_as_asked(self, request) -> bool:
        paginator = self.paginator
        read = {paginator.limit_query_param, paginator.offset_query_param}
        read |= set(getattr(self.filterset_class, "base_filters", {}))
        limit = paginator.get_limit(request)
        return (
            set(request.query_params) <= read
            and limit == paginator.default_limit
            and paginator.get_offset(request) < KEPT_PAGES * limit
        )


def document_errors(result, generator, request, public):
    """Every operation's schema names the errors it can answer, each with its body (a drf-spectacular hook).

    401/403 without a login or the right to it, 429 past the rate a person may ask at, 404 for an id that
    is not there (or not for this user),
    400 for a query parameter refused (the FilterSets and the search answer which one, and why).
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    }
    schemas["InvalidParameters"] = {
        "type": "object",
        "description": "Mỗi tham số bị từ chối, với lý do.",
        "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
    }
    for path_item in result["paths"].values():
        for operation in path_item.values():
            where = {parameter["in"] for parameter in operation.get("parameters", [])}
            errors = {}
            if "query" in where:
                errors["400"] = ("Tham số không hợp lệ.", "InvalidParameters")
            if {} not in operation.get("security", [{}]):
                errors["401"] = ("Chưa đăng nhập, hoặc mã truy cập không đúng.", "Error")
                errors["403"] = ("Không có quyền.", "Error")
                errors["429"] = ("Quá nhiều yêu cầu; hãy thử lại sau.", "Error")
            if "path" in where:
                errors["404"] = ("Không tìm thấy.", "Error")
            for code, (description, schema) in errors.items():
                operation["responses"].setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
                    },
                )
    return result
