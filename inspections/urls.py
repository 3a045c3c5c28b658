from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("to-chuc/<id:organization_pk>/kiem-tra/", views.inspection_list, name="list"),
    path("to-chuc/<id:organization_pk>/kiem-tra/moi/", views.inspection_create, name="create"),
    path("kiem-tra/<id:pk>/", views.inspection_detail, name="detail"),
    path("kiem-tra/<id:pk>/han-che/moi/", views.finding_add, name="finding_add"),
    path("kiem-tra/<id:pk>/han-che/chon-dieu/", views.finding_articles, name="finding_articles"),
    path("han-che/<id:pk>/bao-cao-khac-phuc/", views.finding_report, name="finding_report"),
    path("han-che/<id:pk>/hau-kiem/", views.finding_check, name="finding_check"),
]
