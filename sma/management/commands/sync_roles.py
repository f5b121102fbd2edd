"""Make the staff role groups (engineer, support manager, admin) match sma/roles.py.

Dry run unless --for-real.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from sma import roles


class Command(BaseCommand):
    help = "Create or update the role groups and their permissions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--for-real", action="store_true", help="write (default: dry run)")

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            groups = roles.roles_sync()
            for name, group in groups.items():
                self.stdout.write(f"{name}: {group.permissions.count()} permissions")
            if not options["for_real"]:
                transaction.set_rollback(True)
                self.stdout.write(self.style.WARNING("Dry run: nothing saved. Use --for-real."))
