from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("nuevo/", views.case_register, name="register"),
    path("<str:number>/", views.case_detail, name="detail"),
    path("<str:number>/acciones/<slug:action>/", views.case_action, name="action"),
    path("<str:number>/adjuntos/<int:pk>/", views.attachment_download, name="attachment"),
]
