from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("viec-can-lam/", views.todo, name="todo"),
    path("thong-bao/", views.notification_list, name="notifications"),
    path("thong-bao/doc-het/", views.notification_read, name="notifications_read"),
    path("thong-bao/<int:notification_pk>/", views.notification_read, name="notification_open"),
    path("thong-bao/cai-dat/", views.notification_settings, name="notification_settings"),
    path("to-chuc/<int:organization_pk>/nhac-viec/", views.reminder_settings, name="reminder_settings"),
    path("to-chuc/<int:organization_pk>/giam-sat/", views.dashboard, name="dashboard"),
    path("to-chuc/<int:organization_pk>/giam-sat/xuat.<str:fmt>", views.dashboard_export, name="dashboard_export"),
    path("sua-doi/", views.amendment_list, name="list"),
    path("quy-che/<int:regulation_pk>/sua-doi/moi/", views.amendment_start, name="start"),
    path("sua-doi/<int:pk>/", views.amendment_detail, name="detail"),
    path("sua-doi/<int:pk>/ho-so/", views.dossier_edit, name="dossier"),
    path("sua-doi/<int:pk>/chuyen-buoc/", views.amendment_transition, name="transition"),
    path("sua-doi/<int:pk>/to-cong-tac/", views.working_group_add, name="group_add"),
    path("sua-doi/<int:pk>/to-cong-tac/<int:user_pk>/bo/", views.working_group_remove, name="group_remove"),
    path("sua-doi/<int:pk>/du-thao/", views.draft, name="draft"),
    path("sua-doi/<int:pk>/du-thao/them-dieu/", views.article_insert, name="article_insert"),
    path("sua-doi/<int:pk>/du-thao/<uuid:key>/sua/", views.article_edit, name="article_edit"),
    path("sua-doi/<int:pk>/du-thao/<uuid:key>/bo/", views.article_remove, name="article_remove"),
    path("sua-doi/<int:pk>/du-thao/<uuid:key>/chuyen/", views.article_move, name="article_move"),
    path("sua-doi/<int:pk>/doi-chieu/", views.comparison, name="comparison"),
    path("sua-doi/<int:pk>/lay-y-kien/", views.consultation, name="consultation"),
    path("sua-doi/<int:pk>/gop-y/", views.comment_add, name="comment"),
    path("sua-doi/<int:pk>/gop-y/<int:comment_pk>/tra-loi/", views.reply_add, name="reply"),
    path("sua-doi/<int:pk>/gui-y-kien/", views.request_answer, name="answer"),
    path("sua-doi/<int:pk>/tong-hop/", views.synthesis, name="synthesis"),
    path("sua-doi/<int:pk>/tong-hop/<int:comment_pk>/", views.disposition_set, name="disposition"),
    path("sua-doi/<int:pk>/ban-hanh/", views.issue, name="issue"),
    path("to-chuc/<int:organization_pk>/kiem-tra/", views.inspection_list, name="inspections"),
    path("to-chuc/<int:organization_pk>/kiem-tra/moi/", views.inspection_create, name="inspection_create"),
    path("kiem-tra/<int:pk>/", views.inspection_detail, name="inspection"),
    path("kiem-tra/<int:pk>/han-che/moi/", views.finding_add, name="finding_add"),
    path("han-che/<int:pk>/bao-cao-khac-phuc/", views.finding_report, name="finding_report"),
    path("han-che/<int:pk>/hau-kiem/", views.finding_check, name="finding_check"),
]
