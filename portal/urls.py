from django.urls import path

import cases.converters  # noqa: F401  (registers <case_number:…>)

from . import (
    views,
    views_actions,
    views_certificates,
    views_company,
    views_knowledge,
    views_news,
    views_request,
    views_survey,
    views_warranty,
)

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
    # The company page and what a contact asks for themselves.
    path("empresa/", views_company.company, name="company"),
    path("empresa/mis-datos/", views_company.contact_change, name="contact_change"),
    path("novedades/", views_news.news, name="news"),
    # The company's support certificates: the list and each PDF, by number or by id (others' are 404).
    path("certificados/", views_certificates.certificate_list, name="certificates"),
    path("certificados/<str:number>/pdf/", views_certificates.certificate_download, name="certificate"),
    path("certificados/id/<int:pk>/pdf/", views_certificates.certificate_download, name="certificate_by_id"),
    # The company's hardware under warranty, its preventive maintenance quota and requests.
    path("garantia/", views_warranty.warranty, name="warranty"),
    path("garantia/equipos/<int:pk>/", views_warranty.asset, name="warranty_asset"),
    path("garantia/mantenimiento/", views_warranty.maintenance_new, name="warranty_maintenance"),
    path(
        "garantia/mantenimiento/<int:pk>/cancelar/",
        views_warranty.maintenance_cancel,
        name="warranty_maintenance_cancel",
    ),
    # Reached from e-mails without signing in: the link's token is the credential.
    path("novedades/baja/<str:token>/", views_news.news_unsubscribe, name="news_unsubscribe"),
    path("encuesta/gracias/", views_survey.survey_thanks, name="survey_thanks"),
    path("encuesta/<str:number>/<str:token>/", views_survey.survey, name="survey"),
    # What a contact does: a new request, and the actions on a case (comment, accept, reject,
    # reopen, PQR), each a POST to casos/<número>/<acción>/.
    path("solicitudes/nueva/", views_request.case_new, name="case_new"),
    # The knowledge base: published public articles only; suggestions for the request form (JSON).
    path("conocimiento/", views_knowledge.article_list, name="knowledge_list"),
    path("conocimiento/sugerencias/", views_knowledge.suggestions, name="knowledge_suggestions"),
    path("conocimiento/<int:pk>/", views_knowledge.article_detail, name="knowledge_article"),
    path("conocimiento/<int:pk>/resuelto/", views_knowledge.article_solved, name="knowledge_solved"),
    path(
        "conocimiento/<int:pk>/adjuntos/<int:file_pk>/",
        views_knowledge.article_attachment,
        name="knowledge_attachment",
    ),
    path("casos/<case_number:number>/<slug:action>/", views_actions.case_action, name="case_action"),
]
