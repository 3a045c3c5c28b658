from django.urls import path

from .views import versions

app_name = "regulations"

urlpatterns = [
    path("tim-kiem/", versions.search_page, name="search"),
    path("van-ban-cap-tren/", versions.register, name="register"),
    path("van-ban-cap-tren/<int:pk>/het-hieu-luc/", versions.register_end, name="register_end"),
    path("to-chuc/<int:organization_pk>/quy-che/", versions.regulation_list, name="list"),
    path("to-chuc/<int:organization_pk>/quy-che/nhap/", versions.regulation_import, name="import"),
    path("quy-che/<int:pk>/", versions.regulation_detail, name="detail"),
    path("quy-che/<int:pk>/hieu-luc/", versions.regulation_in_force, name="in_force"),
    path("quy-che/<int:pk>/so-sanh/", versions.version_compare_pick, name="compare_pick"),
    path("quy-che/<int:pk>/doi-chieu-mau/", versions.regulation_conformance, name="conformance"),
    path("van-ban/<int:pk>/", versions.version_detail, name="version"),
    path("van-ban/<int:pk>/bai-bo/", versions.version_repeal, name="repeal"),
    path("van-ban/<int:pk>/dieu/<uuid:key>/", versions.article_detail, name="article"),
    path("van-ban/<int:pk>/so-sanh/<int:other_pk>/", versions.version_compare, name="compare"),
    path("van-ban/<int:pk>/noi-dung-mo/", versions.open_content_controls, name="open_content"),
    path("van-ban/<int:pk>/pdf/", versions.version_pdf, name="version_pdf"),
    path("van-ban/<int:pk>/pdf/trang-thai/", versions.version_pdf_status, name="version_pdf_status"),
    path("van-ban/<int:pk>/noi-dung-mo/<uuid:key>/", versions.open_content_mark, name="open_content_mark"),
]
