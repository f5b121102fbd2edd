"""Ley 1581 de 2012 for one technical contact (by id):

manage.py contact_data 42 --export datos-42.zip          # everything held about them
manage.py contact_data 42 --anonymise --for-real         # a former contact, erased
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from contracts.models import TechnicalContact
from sma.privacy import contact_data_export, contact_forget


class Command(BaseCommand):
    help = "Export everything held about a technical contact, or anonymise a former one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("contact_id", type=int)
        parser.add_argument("--export", metavar="FILE.zip", help="write the contact's data to this ZIP")
        parser.add_argument("--anonymise", action="store_true", help="erase a former contact's data")
        parser.add_argument("--for-real", action="store_true", help="needed with --anonymise")

    def handle(self, *args: Any, **options: Any) -> None:
        contact = (
            TechnicalContact.objects.select_related("customer", "user")
            .filter(pk=options["contact_id"])
            .first()
        )
        if contact is None:
            raise CommandError(f"No technical contact with id {options['contact_id']}.")
        if options["export"]:
            path = Path(options["export"])
            path.write_bytes(contact_data_export(contact=contact, actor=None))
            self.stdout.write(f"Wrote {path} ({path.stat().st_size} bytes).")
        if options["anonymise"]:
            if not options["for_real"]:
                self.stdout.write(
                    self.style.WARNING(f"Dry run: {contact} would be anonymised. Use --for-real.")
                )
                return
            try:
                done = contact_forget(contact=contact, actor=None)
            except ValidationError as error:
                raise CommandError(error.messages[0]) from error
            self.stdout.write("Anonymised." if done else "Already anonymised: nothing to do.")
        if not options["export"] and not options["anonymise"]:
            raise CommandError("Say --export FILE.zip or --anonymise.")
