from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("to-chuc/<int:organization_pk>/kiem-tra/", views.inspection_list, name="list"),
    path("to-chuc/<int:organization_pk>/kiem-tra/moi/", views.inspection_create, name="create"),
    path("kiem-tra/<int:pk>/", views.inspection_detail, name="detail"),
    path("kiem-tra/<int:pk>/han-che/moi/", views.finding_add, name="finding_add"),
    path("han-che/<int:pk>/bao-cao-khac-phuc/", views.finding_report, name="finding_report"),
    path("han-che/<int:pk>/hau-kiem/", views.finding_check, name="finding_check"),
]
