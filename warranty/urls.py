from django.urls import path

import cases.converters  # noqa: F401  (registers <case_number:…>)

from . import maintenance_views, update_views, views

app_name = "warranty"

urlpatterns = [
    path("garantias/", views.asset_list, name="asset_list"),
    path("garantias/mantenimientos/", maintenance_views.maintenance_list, name="maintenance_list"),
    path(
        "garantias/mantenimientos/<int:customer_id>/nuevo/",
        maintenance_views.maintenance_new,
        name="maintenance_new",
    ),
    path(
        "garantias/mantenimientos/<int:pk>/cancelar/",
        maintenance_views.maintenance_cancel,
        name="maintenance_cancel",
    ),
    path("garantias/rma/<int:pk>/plazo/", views.rma_countdown, name="rma_countdown"),
    path("garantias/rma/<int:pk>/<slug:step>/", views.rma_step, name="rma_step"),
    path("casos/<case_number:number>/garantia/", views.case_rma, name="case_rma"),
    path("casos/<case_number:number>/garantia/abrir/", views.rma_open, name="rma_open"),
    path("casos/<case_number:number>/actualizacion/", update_views.case_update, name="case_update"),
]
