from django.urls import path

from . import verify_views as views

urlpatterns = [
    path("verificar/", views.verify, name="verify"),
    path("verificar/<str:code>/", views.verify_code, name="verify_code"),
]
