"""Embedded defaults for running SMA on one machine: SQLite, filesystem broker, console e-mail."""

from .base import *
from .base import VAR_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "broker").mkdir(parents=True, exist_ok=True)
