"""The portal's pages of the reports app (mounted under /portal/informes/ in sma.urls)."""

from django.urls import path

from . import views_monthly

app_name = "portal_reports"

urlpatterns = [
    path("", views_monthly.company_list, name="list"),
    path("<int:pk>/pdf/", views_monthly.company_download, name="download"),
]
