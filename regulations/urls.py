from django.urls import path

from .views import conformance, consolidated, importing, numbers, pdf, reading, register, regulations, search, versions

app_name = "regulations"

urlpatterns = [
    path("tim-kiem/", search.search_page, name="search"),
    path("so-dong/", reading.line_numbers, name="line_numbers"),
    path("van-ban-cap-tren/", register.register, name="register"),
    path("van-ban-cap-tren/<id:pk>/het-hieu-luc/", register.register_end, name="register_end"),
    path("to-chuc/<id:organization_pk>/quy-che/", regulations.regulation_list, name="list"),
    path("to-chuc/<id:organization_pk>/so-dang-ky/", numbers.numbers, name="numbers"),
    path("to-chuc/<id:organization_pk>/so-dang-ky.pdf", numbers.numbers_pdf, name="numbers_pdf"),
    path("so-dang-ky/<id:pk>/huy/", numbers.number_cancel, name="number_cancel"),
    path("to-chuc/<id:organization_pk>/quy-che/nhap/", importing.regulation_import, name="import"),
    path("nhap-van-ban/<id:pk>/", importing.import_job, name="import_job"),
    path("quy-che/<id:pk>/", regulations.regulation_detail, name="detail"),
    path("quy-che/<id:pk>/hieu-luc/", regulations.regulation_in_force, name="in_force"),
    path("quy-che/<id:pk>/hop-nhat/", consolidated.regulation_consolidated, name="consolidated"),
    path("quy-che/<id:pk>/hop-nhat/pdf/", consolidated.regulation_consolidated_pdf, name="consolidated_pdf"),
    path("quy-che/<id:pk>/hop-nhat/word/", consolidated.regulation_consolidated_docx, name="consolidated_docx"),
    path("quy-che/<id:pk>/so-sanh/", versions.version_compare_pick, name="compare_pick"),
    path("quy-che/<id:pk>/doi-chieu-mau/", conformance.regulation_conformance, name="conformance"),
    path("quy-che/<id:pk>/quy-che-mau/", conformance.regulation_link_model, name="link_model"),
    path("van-ban/<id:pk>/", versions.version_detail, name="version"),
    path("van-ban/<id:pk>/bai-bo/", versions.version_repeal, name="repeal"),
    path("van-ban/<id:pk>/dieu/<uuid:key>/", versions.article_detail, name="article"),
    path("van-ban/<id:pk>/dieu/<uuid:key>/dinh-chinh/", versions.article_correct, name="correct"),
    path("van-ban/<id:pk>/dieu/<uuid:key>/noi-dung/", versions.article_text, name="article_text"),
    path("van-ban/<id:pk>/so-sanh/<id:other_pk>/", versions.version_compare, name="compare"),
    path("van-ban/<id:pk>/noi-dung-mo/", conformance.open_content_controls, name="open_content"),
    path("van-ban/<id:pk>/pdf/", pdf.version_pdf, name="version_pdf"),
    path("van-ban/<id:pk>/word/", pdf.version_docx, name="version_docx"),
    path("van-ban/<id:pk>/pdf/trang-thai/", pdf.version_pdf_status, name="version_pdf_status"),
    path("van-ban/<id:pk>/noi-dung-mo/<uuid:key>/", conformance.open_content_mark, name="open_content_mark"),
]
