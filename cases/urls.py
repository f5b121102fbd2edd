from django.urls import path

from . import converters, views, views_knowledge  # noqa: F401  (converters registers <case_number:…>)

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("nuevo/", views.case_register, name="register"),
    path("bolsas-de-horas/", views.hour_banks, name="hour_banks"),
    path("<case_number:number>/", views.case_detail, name="detail"),
    path("<case_number:number>/acciones/<slug:action>/", views.case_action, name="action"),
    path("<case_number:number>/articulo/", views_knowledge.article_from_case, name="article_from_case"),
    path("<case_number:number>/adjuntos/<int:pk>/", views.attachment_download, name="attachment"),
]
