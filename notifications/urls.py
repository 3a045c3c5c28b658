from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("thong-bao/", views.notification_list, name="list"),
    path("thong-bao/doc-het/", views.notification_read, name="read_all"),
    path("thong-bao/<int:notification_pk>/", views.notification_read, name="open"),
    path("thong-bao/cai-dat/", views.notification_settings, name="settings"),
    path("to-chuc/<int:organization_pk>/nhac-viec/", views.reminder_settings, name="reminder_settings"),
]
