"""/api/v1/ (the endpoints), /api/schema/ (OpenAPI 3) and /api/docs/ (Swagger UI, vendored)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from cases import converters  # noqa: F401  (registers <case_number:…>)

from . import views
from .docs import ApiDocsView

app_name = "api"

urlpatterns = [
    path("v1/cases/", views.CaseListView.as_view(), name="cases"),
    path("v1/cases/<case_number:number>/", views.CaseDetailView.as_view(), name="case"),
    path(
        "v1/cases/<case_number:number>/activities/", views.CaseActivityView.as_view(), name="case_activities"
    ),
    path("v1/customers/<str:number>/entitlement/", views.EntitlementView.as_view(), name="entitlement"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="api:schema"), name="docs"),
]
