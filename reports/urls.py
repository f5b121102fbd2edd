from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("exportar/<slug:table>.<slug:fmt>", views.export, name="export"),
]
