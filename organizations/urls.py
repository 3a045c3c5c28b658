from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("", views.organization_tree, name="tree"),
    path("<id:pk>/", views.organization_detail, name="detail"),
    path("<id:pk>/con/", views.organization_children, name="children"),
    path("<id:pk>/them/", views.organization_add_child, name="add_child"),
]
