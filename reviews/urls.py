from django.urls import path

from .views import amendments, consultation, draft, papers, suggestions, word

app_name = "reviews"

urlpatterns = [
    path("viec-can-lam/", amendments.todo, name="todo"),
    path("sua-doi/<id:pk>/du-thao.pdf", papers.draft_pdf, name="draft_pdf"),
    path("sua-doi/<id:pk>/du-thao.docx", word.draft_docx, name="draft_docx"),
    path("sua-doi/<id:pk>/ban-lay-y-kien.docx", word.consultation_copy, name="consultation_copy"),
    path("sua-doi/<id:pk>/gui-lai-ban-word/", word.returned_copy, name="returned_copy"),
    path("sua-doi/<id:pk>/doi-chieu.pdf", papers.comparison_pdf, name="comparison_pdf"),
    path("sua-doi/<id:pk>/tong-hop.pdf", papers.synthesis_pdf, name="synthesis_pdf"),
    path("sua-doi/", amendments.amendment_list, name="list"),
    path("quy-che/<id:regulation_pk>/sua-doi/moi/", amendments.amendment_start, name="start"),
    path("sua-doi/<id:pk>/", amendments.amendment_detail, name="detail"),
    path("sua-doi/<id:pk>/ho-so/", amendments.dossier_edit, name="dossier"),
    path("sua-doi/<id:pk>/ho-so/lich-su/", amendments.dossier_history, name="dossier_history"),
    path("sua-doi/<id:pk>/chuyen-buoc/", amendments.amendment_transition, name="transition"),
    path("sua-doi/<id:pk>/to-cong-tac/", amendments.working_group_add, name="group_add"),
    path("sua-doi/<id:pk>/to-cong-tac/<id:user_pk>/bo/", amendments.working_group_remove, name="group_remove"),
    path("sua-doi/<id:pk>/du-thao/", draft.draft, name="draft"),
    path("sua-doi/<id:pk>/du-thao/them-dieu/", draft.article_insert, name="article_insert"),
    path("sua-doi/<id:pk>/du-thao/<uuid:key>/sua/", draft.article_edit, name="article_edit"),
    path("sua-doi/<id:pk>/du-thao/<uuid:key>/bo/", draft.article_remove, name="article_remove"),
    path("sua-doi/<id:pk>/du-thao/<uuid:key>/chuyen/", draft.article_move, name="article_move"),
    path("sua-doi/<id:pk>/doi-chieu/", draft.comparison, name="comparison"),
    path("sua-doi/<id:pk>/lay-y-kien/", consultation.consultation, name="consultation"),
    path("sua-doi/<id:pk>/lay-y-kien/ket-thuc/", consultation.consultation_close, name="consultation_close"),
    path("sua-doi/<id:pk>/gop-y/", consultation.comment_add, name="comment"),
    path("sua-doi/<id:pk>/gop-y/<id:comment_pk>/tra-loi/", consultation.reply_add, name="reply"),
    path("sua-doi/<id:pk>/de-nghi/<uuid:key>/", suggestions.suggest, name="suggest"),
    path("sua-doi/<id:pk>/de-nghi/<uuid:key>/xem-truoc/", suggestions.suggest_preview, name="suggest_preview"),
    path("sua-doi/<id:pk>/gui-y-kien/", consultation.request_answer, name="answer"),
    path("sua-doi/<id:pk>/tong-hop/", consultation.synthesis, name="synthesis"),
    path("sua-doi/<id:pk>/tong-hop/tiep-thu/", suggestions.suggestions_accept, name="suggestions_accept"),
    path("sua-doi/<id:pk>/tong-hop/<id:comment_pk>/", consultation.disposition_set, name="disposition"),
    path("sua-doi/<id:pk>/ban-hanh/", amendments.issue, name="issue"),
    path("sua-doi/<id:pk>/ban-hanh/xem-truoc.pdf", amendments.issue_preview, name="issue_preview"),
]
