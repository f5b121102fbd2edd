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
    path("contratos/", include("contracts.urls")),
    path("portal/", include("portal.urls")),
    path("tablero/", include("reports.urls")),
    path("", include("escalation.urls")),
    path("", include("warranty.urls")),
    path("", include("warranty.verify_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
