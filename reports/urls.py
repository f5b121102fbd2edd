from django.urls import path

from cases import converters  # noqa: F401  (registers <case_number:…>)

from . import views, views_breach, views_monthly

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("exportar/<slug:table>.<slug:fmt>", views.export, name="export"),
    path("casos/<case_number:number>/incumplimiento/", views_breach.breach_report, name="breach"),
    path(
        "casos/<case_number:number>/incumplimiento.pdf",
        views_breach.breach_report_download,
        name="breach_pdf",
    ),
    path(
        "casos/<case_number:number>/incumplimiento/enviar/",
        views_breach.breach_report_send,
        name="breach_send",
    ),
    path("informes/", views_monthly.monthly_list, name="monthly"),
    path("informes/<int:pk>/pdf/", views_monthly.monthly_download, name="monthly_pdf"),
]
