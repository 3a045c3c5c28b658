from django.urls import path

from . import views

app_name = "oversight"

urlpatterns = [
    path("to-chuc/<int:organization_pk>/giam-sat/", views.dashboard, name="dashboard"),
    path("to-chuc/<int:organization_pk>/giam-sat/xuat.<str:fmt>", views.dashboard_export, name="export"),
]
