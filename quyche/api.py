"""What every API view shares: errors in Vietnamese, a bounded page (authentication: quyche/authentication.py)."""

from rest_framework.pagination import LimitOffsetPagination
from rest_framework.views import exception_handler

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


def vietnamese_exception_handler(exc, context):
    response = exception_handler(exc, context)
    code = getattr(exc, "default_code", None)
    detail = getattr(response, "data", None)
    # DRF's messages are English (plain ASCII); ours carry Vietnamese letters and are kept as they are.
    if (
        code in MESSAGES
        and isinstance(detail, dict)
        and set(detail) == {"detail"}
        and str(detail["detail"]).isascii()
    ):
        response.data = {"detail": MESSAGES[code]}
    return response


class Pagination(LimitOffsetPagination):
    """`?limit=` up to `max_limit`: a larger one, even past any integer the database holds, gets `max_limit`."""

    max_limit = 500
