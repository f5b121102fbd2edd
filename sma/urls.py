from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views
from .auth import PasswordResetView, SignInView
from .health import healthz

admin.site.site_header = _("SMA · Calltech help desk")
admin.site.site_title = "SMA"
admin.site.index_title = _("Administration")


def _admin_url() -> str:
    """The admin's address from settings (the environment in production): "gestion-7f3a/"."""
    url = settings.SMA_ADMIN_URL.strip("/")
    return f"{url}/" if url else "admin/"


urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("ingresar/", SignInView.as_view(), name="login"),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    # "Forgot your password?" and the portal invitation's link (a single-use, expiring token).
    path("clave/olvido/", PasswordResetView.as_view(), name="password_reset"),
    path("clave/enviada/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "clave/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("clave/lista/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("casos/", include("cases.urls")),
    path("conocimiento/", include("cases.urls_knowledge")),
    path("contratos/", include("contracts.urls")),
    # The company's monthly SLA reports, served by the reports app inside the portal.
    path("portal/informes/", include("reports.portal_urls")),
    path("portal/", include("portal.urls")),
    path("tablero/", include("reports.urls")),
    path("api/", include("api.urls")),
    path("", include("escalation.urls")),
    path("", include("warranty.urls")),
    path("", include("warranty.verify_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path(_admin_url(), admin.site.urls),
]
