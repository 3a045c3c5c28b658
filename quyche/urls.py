from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from organizations.api import OrganizationViewSet
from oversight.api import OversightView
from quyche.api import not_found
from quyche.health import healthz
from quyche.ids import IdConverter
from quyche.views import bad_request, styleguide
from regulations import api as regulations_api
from reviews.api import AmendmentViewSet
from reviews.views.desk import home

# Registered before the apps' urls.py are read (by the include()s below).
register_converter(IdConverter, "id")

router = DefaultRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("regulations", regulations_api.RegulationViewSet, basename="regulation")
router.register("versions", regulations_api.VersionViewSet, basename="version")
router.register("amendments", AmendmentViewSet, basename="amendment")

handler400 = bad_request

admin.site.site_header = "Quản trị Quy chế"
admin.site.site_title = "Quy chế"

urlpatterns = [
    path("", home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("giao-dien/", styleguide, name="styleguide"),
    path("to-chuc/", include("organizations.urls")),
    path("", include("regulations.urls")),
    path("", include("notifications.urls")),
    path("", include("inspections.urls")),
    path("", include("reviews.urls")),
    path("", include("oversight.urls")),
    path("api/versions/<id:pk>/compare/<id:other_pk>/", regulations_api.version_compare, name="api-compare"),
    path("api/search/", regulations_api.search_view, name="api-search"),
    path("api/organizations/<id:pk>/oversight/", OversightView.as_view(), name="api-oversight"),
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    re_path(r"^api/.*/$", not_found),  # last of the API's: ending in "/", so "api/x" is still sent to "api/x/"
    path("quan-tri/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
