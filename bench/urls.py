from django.urls import path

from bench.views import baseline, layout
from quyche.urls import handler400
from quyche.urls import urlpatterns as site

urlpatterns = [
    path("bench/baseline/", baseline, name="bench-baseline"),
    path("bench/layout/", layout, name="bench-layout"),
    *site,
]
__all__ = ["handler400", "urlpatterns"]
