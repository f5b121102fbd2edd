from django.urls import path

from . import views

app_name = "contracts"

urlpatterns = [
    path("sla/simulador/", views.sla_simulator, name="sla_simulator"),
]
