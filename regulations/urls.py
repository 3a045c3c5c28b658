from django.urls import path

from .views import conformance, importing, pdf, register, regulations, search, versions

app_name = "regulations"

urlpatterns = [
    path("tim-kiem/", search.search_page, name="search"),
    path("van-ban-cap-tren/", register.register, name="register"),
    path("van-ban-cap-tren/<int:pk>/het-hieu-luc/", register.register_end, name="register_end"),
    path("to-chuc/<int:organization_pk>/quy-che/", regulations.regulation_list, name="list"),
    path("to-chuc/<int:organization_pk>/quy-che/nhap/", importing.regulation_import, name="import"),
    path("quy-che/<int:pk>/", regulations.regulation_detail, name="detail"),
    path("quy-che/<int:pk>/hieu-luc/", regulations.regulation_in_force, name="in_force"),
    path("quy-che/<int:pk>/so-sanh/", versions.version_compare_pick, name="compare_pick"),
    path("quy-che/<int:pk>/doi-chieu-mau/", conformance.regulation_conformance, name="conformance"),
    path("quy-che/<int:pk>/quy-che-mau/", conformance.regulation_link_model, name="link_model"),
    path("van-ban/<int:pk>/", versions.version_detail, name="version"),
    path("van-ban/<int:pk>/bai-bo/", versions.version_repeal, name="repeal"),
    path("van-ban/<int:pk>/dieu/<uuid:key>/", versions.article_detail, name="article"),
    path("van-ban/<int:pk>/dieu/<uuid:key>/dinh-chinh/", versions.article_correct, name="correct"),
    path("van-ban/<int:pk>/so-sanh/<int:other_pk>/", versions.version_compare, name="compare"),
    path("van-ban/<int:pk>/noi-dung-mo/", conformance.open_content_controls, name="open_content"),
    path("van-ban/<int:pk>/pdf/", pdf.version_pdf, name="version_pdf"),
    path("van-ban/<int:pk>/pdf/trang-thai/", pdf.version_pdf_status, name="version_pdf_status"),
    path("van-ban/<int:pk>/noi-dung-mo/<uuid:key>/", conformance.open_content_mark, name="open_content_mark"),
]
