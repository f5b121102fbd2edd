"""Embedded defaults for running SMA on one machine: SQLite, filesystem broker, console e-mail."""

from .base import *
from .base import VAR_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=False)  # DJANGO_DEBUG=true for tracebacks
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "broker").mkdir(parents=True, exist_ok=True)
