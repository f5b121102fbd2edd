"""Production: secrets and infrastructure must come from the environment; nothing is defaulted."""

from django.core.exceptions import ImproperlyConfigured

from .base import *
from .base import LOGGING, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")  # raises ImproperlyConfigured when missing
if len(SECRET_KEY) < 40 or SECRET_KEY.startswith("insecure"):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a long random value in production.")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=600)  # see base.py
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
EMAIL_CONFIG = env.email("EMAIL_URL")
vars().update(EMAIL_CONFIG)

# HTTPS only: behind the proxy that terminates TLS, plain HTTP is redirected, and browsers are
# told to use HTTPS for a year (subdomains included, preload-ready).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Cookies only over HTTPS, under __Secure- names (browsers refuse them from plain HTTP), never
# readable by scripts (the forms carry the CSRF token).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Secure-sessionid"
CSRF_COOKIE_NAME = "__Secure-csrftoken"
LANGUAGE_COOKIE_NAME = "__Secure-language"
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
# The admin at an address of the operator's choosing, not the well-known /admin/.
SMA_ADMIN_URL = env("SMA_ADMIN_URL")

# Logs as one JSON object a line for the log collector (SMA_LOG_FORMAT=plain to read them by eye).
LOGGING["handlers"]["console"]["formatter"] = env("SMA_LOG_FORMAT", default="json")  # type: ignore[index]
