"""Logging helpers."""

from __future__ import annotations

import logging


class ClientErrorsOnOneLine(logging.Filter):
    """A refused or unknown request (403, 404, 400, a CSRF failure) is logged by Django with the
    exception attached, which prints a traceback for what is not a fault of the server. Keep such
    records to their one-line message; 5xx records keep their traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.exc_info and isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
