from django.urls import path

from . import views

app_name = "escalation"

urlpatterns = [
    path("ivr/cliente/", views.ivr_lookup, name="ivr_lookup"),
]
