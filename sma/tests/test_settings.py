"""Settings per environment: embedded defaults, production's refusals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _settings(module: str, env: dict[str, str], expr: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_"))}
    clean.pop("REDIS_URL", None)
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = module
    code = f"import django, json; from django.conf import settings; django.setup(); print(json.dumps({expr}))"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def test_embedded_defaults_are_sqlite_with_wal_and_the_filesystem_broker(tmp_path) -> None:
    result = _settings(
        "sma.settings.local",
        {"SMA_VAR_DIR": str(tmp_path)},
        "[settings.DATABASES['default'], settings.CELERY_BROKER_URL, settings.LANGUAGE_CODE, settings.TIME_ZONE]",
    )
    assert result.returncode == 0, result.stderr
    database, broker, language, zone = json.loads(result.stdout)
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] >= 20
    assert broker.startswith("filesystem://")
    assert (language, zone) == ("es-co", "America/Bogota")


def test_database_and_broker_come_from_the_environment(tmp_path) -> None:
    result = _settings(
        "sma.settings.local",
        {
            "SMA_VAR_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://u:p@db.example:5432/sma",
            "CELERY_BROKER_URL": "redis://cache.example:6379/0",
        },
        "[settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL]",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["django.db.backends.postgresql", "redis://cache.example:6379/0"]


def test_production_refuses_to_start_without_its_secrets(tmp_path) -> None:
    result = _settings("sma.settings.production", {"SMA_VAR_DIR": str(tmp_path)}, "1")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_a_weak_secret_key(tmp_path) -> None:
    result = _settings(
        "sma.settings.production",
        {"SMA_VAR_DIR": str(tmp_path), "DJANGO_SECRET_KEY": "short"},
        "1",
    )
    assert result.returncode != 0
    assert "long random value" in result.stderr


def test_production_starts_with_everything_given(tmp_path) -> None:
    result = _settings(
        "sma.settings.production",
        {
            "SMA_VAR_DIR": str(tmp_path),
            "DJANGO_SECRET_KEY": "x" * 50,
            "DATABASE_URL": "postgres://u:p@db.example:5432/sma",
            "CELERY_BROKER_URL": "redis://cache.example:6379/0",
            "DJANGO_ALLOWED_HOSTS": "sma.calltechsa.com",
            "EMAIL_URL": "smtp://mail.example:25",
        },
        "[settings.DEBUG, settings.SESSION_COOKIE_SECURE]",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [False, True]
