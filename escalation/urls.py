from django.urls import path

import cases.converters  # noqa: F401  (registers <case_number:…>)

from . import inbox_views, pqr_views, views

app_name = "escalation"

urlpatterns = [
    path("ivr/cliente/", views.ivr_lookup, name="ivr_lookup"),
    path("pqr/", pqr_views.pqr_queue, name="pqr_queue"),
    path("casos/<case_number:number>/pqr/", pqr_views.case_pqr, name="case_pqr"),
    path("casos/<case_number:number>/pqr/nueva/", pqr_views.case_pqr_raise, name="case_pqr_raise"),
    path("pqr/<int:pk>/<slug:action>/", pqr_views.pqr_action, name="pqr_action"),
    path("avisos/", inbox_views.inbox, name="inbox"),
    path("avisos/<int:pk>/leido/", inbox_views.inbox_read, name="inbox_read"),
    path("avisos/leer-todos/", inbox_views.inbox_read_all, name="inbox_read_all"),
]
