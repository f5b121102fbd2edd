"""Production settings: `manage.py check --deploy` finds nothing to warn about, secrets and the
admin's address come from the environment only, and a page answers with the security headers."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SMA_", "DATABASE_URL", "CELERY_", "EMAIL_URL", "REDIS_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="sma.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=settings.DATABASES["default"].get(
            "TEST_URL", "postgres://postgres@127.0.0.1:5432/postgres"
        ),
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        DJANGO_ALLOWED_HOSTS="soporte.calltechsa.com",
        EMAIL_URL="smtp://mail.calltechsa.com:587",
        SMA_ADMIN_URL="gestion-7f3a/",
    )
    env.update(extra)
    return env


def _run(code: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_check_deploy_has_no_warning() -> None:
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_its_secrets() -> None:
    env = _env()
    del env["DJANGO_SECRET_KEY"]
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr
    env = _env()
    del env["SMA_ADMIN_URL"]
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0 and "SMA_ADMIN_URL" in result.stderr


PROBE = """
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
# Static files unhashed: the probe runs without collectstatic (production runs it at deploy).
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="soporte.calltechsa.com")
r = client.get("/ingresar/", secure=True)
print(r.status_code)
for name in ("Strict-Transport-Security", "Content-Security-Policy", "X-Frame-Options",
             "Referrer-Policy", "X-Content-Type-Options", "Cross-Origin-Opener-Policy"):
    print(name + ": " + r.headers.get(name, "-"))
print("cookies: " + " ".join(sorted(r.cookies)))
print("admin: " + reverse("admin:index"))
print("plain: " + str(Client(HTTP_HOST="soporte.calltechsa.com").get("/ingresar/").status_code))
"""


def test_a_page_in_production_carries_the_security_headers() -> None:
    result = _run(["-c", PROBE], _env())
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.splitlines()[0] == "200", out
    assert "Strict-Transport-Security: max-age=31536000; includeSubDomains; preload" in out
    assert "Content-Security-Policy: " in out and "script-src 'self'" in out
    assert "X-Frame-Options: DENY" in out and "Referrer-Policy: same-origin" in out
    assert "X-Content-Type-Options: nosniff" in out
    assert "__Secure-csrftoken" in out
    assert "admin: /gestion-7f3a/" in out
    assert "plain: 301" in out  # plain HTTP is sent to HTTPS
