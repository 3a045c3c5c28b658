from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("thong-bao/", views.notification_list, name="list"),
    path("thong-bao/doc-het/", views.notification_read, name="read_all"),
    path("thong-bao/<id:notification_pk>/", views.notification_read, name="open"),
    path("thong-bao/cai-dat/", views.notification_settings, name="settings"),
    path("thong-bao/theo-doi/", views.follow_list, name="follows"),
    path("theo-doi/<slug:kind>/<id:pk>/", views.follow_change, name="follow"),
    path("to-chuc/<id:organization_pk>/nhac-viec/", views.reminder_settings, name="reminder_settings"),
]
