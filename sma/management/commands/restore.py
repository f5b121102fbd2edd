"""Restore a backup made by ``manage.py backup``: the database's content and the stored files are
replaced by the archive's (checked whole first).

    manage.py restore /backups/sma-2026-12-01.tar --for-real
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sma.backup import BackupError, backup_check, backup_restore


class Command(BaseCommand):
    help = "Restore the database and the stored files from a backup archive (replaces what is there)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="the archive written by manage.py backup")
        parser.add_argument("--for-real", action="store_true", help="without it, only check the archive")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["source"])
        try:
            if not options["for_real"]:
                manifest, _dump, files = backup_check(source)
                self.stdout.write(
                    self.style.WARNING(
                        f"Dry run: {source} is whole (made {manifest['created_at']}, {len(files)} files). "
                        "Use --for-real to replace the database and the files with it."
                    )
                )
                return
            manifest = backup_restore(source=source)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the backup made {manifest['created_at']} ({len(manifest['files'])} files)."
        )
