"""Back up the database and the stored files into one archive:

manage.py backup /backups/sma-2026-12-01.tar
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sma.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the PostgreSQL database and the stored files (attachments, certificates, reports) together."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", help="the archive to write (a .tar file)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup_create(target=Path(options["target"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Wrote {summary.path}: a database dump of {summary.database_bytes} bytes, {summary.files} files."
        )
