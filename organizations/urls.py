from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("", views.organization_tree, name="tree"),
    path("<int:pk>/", views.organization_detail, name="detail"),
    path("<int:pk>/con/", views.organization_children, name="children"),
    path("<int:pk>/them/", views.organization_add_child, name="add_child"),
]
