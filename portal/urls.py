from django.urls import path

import cases.converters  # noqa: F401  (registers <case_number:…>)

from . import views

app_name = "portal"

# A case is reached by its number (casos/SMA-2026-000123/…) or by its id (casos/id/42/…); both go
# through access.company_case_view, which looks it up among the contact's company's cases only.
urlpatterns = [
    path("", views.case_list, name="home"),
    path("casos/<case_number:number>/", views.case_detail, name="case_detail"),
    path("casos/id/<int:pk>/", views.case_detail, name="case_by_id"),
    path("casos/<case_number:number>/plazo/", views.case_clock, name="case_clock"),
    path("casos/<case_number:number>/adjuntos/<int:file_pk>/", views.attachment_download, name="attachment"),
    path("casos/id/<int:pk>/adjuntos/<int:file_pk>/", views.attachment_download, name="attachment_by_id"),
]
