from django.urls import path

from . import views

app_name = "regulations"

urlpatterns = [
    path("tim-kiem/", views.search_page, name="search"),
    path("van-ban-cap-tren/", views.register, name="register"),
    path("van-ban-cap-tren/<int:pk>/het-hieu-luc/", views.register_end, name="register_end"),
    path("to-chuc/<int:organization_pk>/quy-che/", views.regulation_list, name="list"),
    path("to-chuc/<int:organization_pk>/quy-che/nhap/", views.regulation_import, name="import"),
    path("quy-che/<int:pk>/", views.regulation_detail, name="detail"),
    path("quy-che/<int:pk>/hieu-luc/", views.regulation_in_force, name="in_force"),
    path("quy-che/<int:pk>/so-sanh/", views.version_compare_pick, name="compare_pick"),
    path("quy-che/<int:pk>/doi-chieu-mau/", views.regulation_conformance, name="conformance"),
    path("van-ban/<int:pk>/", views.version_detail, name="version"),
    path("van-ban/<int:pk>/bai-bo/", views.version_repeal, name="repeal"),
    path("van-ban/<int:pk>/dieu/<uuid:key>/", views.article_detail, name="article"),
    path("van-ban/<int:pk>/so-sanh/<int:other_pk>/", views.version_compare, name="compare"),
    path("van-ban/<int:pk>/noi-dung-mo/", views.open_content_controls, name="open_content"),
    path("van-ban/<int:pk>/pdf/", views.version_pdf, name="version_pdf"),
    path("van-ban/<int:pk>/pdf/trang-thai/", views.version_pdf_status, name="version_pdf_status"),
    path("van-ban/<int:pk>/noi-dung-mo/<uuid:key>/", views.open_content_mark, name="open_content_mark"),
]
