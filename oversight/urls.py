from django.urls import path

from . import views

app_name = "oversight"

urlpatterns = [
    path("to-chuc/<id:organization_pk>/giam-sat/", views.dashboard, name="dashboard"),
    path("to-chuc/<id:organization_pk>/giam-sat/xuat.<str:fmt>", views.dashboard_export, name="export"),
]
