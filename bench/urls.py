from django.urls import path

from bench.views import baseline
from quyche.urls import handler400
from quyche.urls import urlpatterns as site

urlpatterns = [path("bench/baseline/", baseline, name="bench-baseline"), *site]
__all__ = ["handler400", "urlpatterns"]
