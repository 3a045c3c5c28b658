from django.urls import path

from . import choosers, views

app_name = "organizations"

urlpatterns = [
    path("", views.organization_tree, name="tree"),
    path("<id:pk>/", views.organization_detail, name="detail"),
    path("<id:pk>/con/", views.organization_children, name="children"),
    path("<id:pk>/them/", views.organization_add_child, name="add_child"),
    # The suggestions of an organization chooser (organizations/choosers.py), for a purpose under this organization.
    path("<id:pk>/chon/<slug:purpose>/", choosers.organization_suggestions, name="choose"),
]
