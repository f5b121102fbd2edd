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
            "SMA_ADMIN_URL": "gestion-7f3a/",
        },
        "[settings.DEBUG, settings.SESSION_COOKIE_SECURE]",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [False, True]


def test_postgresql_connections_are_kept_and_checked_before_reuse(tmp_path) -> None:
    """A new connection makes its first request slower (a fresh backend reads the catalogs): the
    web processes keep theirs ten minutes, checked before each reuse."""
    database = "postgres://u:p@db.example:5432/sma"
    production = {
        "SMA_VAR_DIR": str(tmp_path),
        "DJANGO_SECRET_KEY": "x" * 50,
        "DATABASE_URL": database,
        "CELERY_BROKER_URL": "redis://cache.example:6379/0",
        "DJANGO_ALLOWED_HOSTS": "sma.calltechsa.com",
        "EMAIL_URL": "smtp://mail.example:25",
        "SMA_ADMIN_URL": "gestion-7f3a/",
    }
    expr = (
        "[settings.DATABASES['default']['CONN_MAX_AGE'], settings.DATABASES['default']['CONN_HEALTH_CHECKS']]"
    )
    for module, env in (
        ("sma.settings.production", production),
        ("sma.settings.local", {"SMA_VAR_DIR": str(tmp_path), "DATABASE_URL": database}),
    ):
        result = _settings(module, env, expr)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout) == [600, True], module
    shorter = _settings("sma.settings.production", {**production, "DATABASE_CONN_MAX_AGE": "30"}, expr)
    assert json.loads(shorter.stdout) == [30, True]
