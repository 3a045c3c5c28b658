"""Error pages that need more than Django's defaults, and the style guide."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.template import loader


def bad_request(request, exception):
    """The 400 page (rendered, as Django's, without the request), saying when a request was too large."""
    page = loader.get_template("400.html").render({"too_big": isinstance(exception, RequestDataTooBig)})
    return HttpResponseBadRequest(page)


# The style guide's components, each drawn from its template and shown with that template's source.
STYLEGUIDE = [
    (
        "breadcrumbs",
        "Đường dẫn",
        "Một partial cho mọi trang: tổ chức › quy chế › phiên bản › điều; tổ chức › quy chế › hồ sơ › thẻ.",
    ),
    (
        "page_title",
        "Tiêu đề trang và thao tác",
        "Các nút của trang đứng cạnh tiêu đề, xuống dòng dưới nó khi hẹp.",
    ),
    (
        "tabs",
        "Thẻ",
        'Thẻ đang mở có aria-current="page"; trên điện thoại dãy thẻ cuộn ngang.',
    ),
    (
        "table",
        "Bảng",
        "Bảng rộng hơn trang cuộn ngang trong khung của nó, cột đầu giữ nguyên; trang không bao giờ cuộn ngang.",
    ),
    (
        "stack",
        "Bảng xếp chồng",
        "Trên điện thoại mỗi hàng thành một thẻ, mỗi ô có tên cột (data-label): bảng đối chiếu.",
    ),
    (
        "badges",
        "Nhãn",
        "Trạng thái, loại, số đếm: luôn trên một dòng.",
    ),
    (
        "form",
        "Biểu mẫu và nút",
        "Mỗi ô có nhãn (label for), gợi ý nối bằng aria-describedby; lỗi ghi bằng tiếng Việt ngay dưới ô.",
    ),
    (
        "chooser",
        "Chọn một trong hàng trăm",
        "Tổ chức, người, điều: không bao giờ là một <select> dài (quá 50 mục). Ô gõ tên, gợi ý hiện khi gõ (htmx), "
        "mũi tên lên, xuống để đi, Enter để chọn, Esc để đóng; không có script thì máy chủ đọc tên đã gõ và, nếu nhiều "
        "mục trùng, trả lại chúng để chọn. Không viết tay: dùng ChooserField (quyche/choosers.py) với Choices của "
        "mình và một địa chỉ gợi ý kiểm tra quyền như biểu mẫu.",
    ),
    (
        "messages",
        "Thông báo và dải báo",
        "Kết quả một thao tác (messages) và tình trạng của đối tượng đang xem (banner).",
    ),
    (
        "empty",
        "Trạng thái trống",
        "Nói điều gì chưa có và, nếu người đọc làm được, bước tiếp theo.",
    ),
    (
        "toc",
        "Mục lục",
        "Văn bản dài: mục lục bên cạnh, đi theo người đọc trên màn hình rộng; một thanh mở ra được trên điện thoại.",
    ),
]

STYLEGUIDE_SAMPLE = {
    "organization": {"pk": 1, "name": "Đảng ủy Khối Cơ quan Dân Chính Đảng thành phố Cần Thơ"},
    "regulation": {"pk": 1, "title": "Quy chế làm việc của Ban Chấp hành Đảng bộ Khối nhiệm kỳ 2020-2025"},
    "version": {"pk": 1, "number": "07-QC/ĐUK"},
    "article": {"key": "00000000-0000-0000-0000-000000000005", "label": "5", "anchor": "dieu-5"},
    "amendment": {"pk": 1, "title": "Sửa đổi, bổ sung Quy chế làm việc nhiệm kỳ 2020-2025"},
}


@login_required
def styleguide(request):
    """/giao-dien/: the components every page is made of, with their markup, for the staff who build pages."""
    if not request.user.is_staff:
        raise Http404
    components = []
    for slug, title, note in STYLEGUIDE:
        template = loader.get_template(f"styleguide/_{slug}.html")
        components.append(
            {
                "slug": slug,
                "title": title,
                "note": note,
                "html": template.render(STYLEGUIDE_SAMPLE, request),
                "source": template.template.source.strip(),
            }
        )
    return render(request, "styleguide/page.html", {"components": components})
