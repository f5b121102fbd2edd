from django.urls import path

from . import views_knowledge

app_name = "knowledge"

urlpatterns = [
    path("", views_knowledge.article_list, name="list"),
    path("nuevo/", views_knowledge.article_new, name="new"),
    path("<int:pk>/", views_knowledge.article_detail, name="detail"),
    path("<int:pk>/editar/", views_knowledge.article_edit, name="edit"),
    path("<int:pk>/estado/", views_knowledge.article_transition, name="transition"),
    path("<int:pk>/adjuntos/<int:file_pk>/", views_knowledge.article_attachment, name="attachment"),
]
