"""Receive one e-mail sent to the support address, for a mail server's pipe:

    manage.py receive_email < message.eml
    # Postfix: support: "|/srv/sma/.venv/bin/python /srv/sma/manage.py receive_email"

Unlike other commands this one is never a dry run: a mail server pipes each message once, and a
message a dry run dropped would be lost. The message is stored first, then processed. Exit code 0
once it is stored, even if processing failed (the row is FAILED, logged, and can be processed
again from the admin) — the mail server must not bounce a message we kept. Non-zero (75,
EX_TEMPFAIL: the server keeps it and retries) only when it could not be stored.
``--dry-run`` reads the message and prints what SMA understood, without storing anything.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from escalation.mailparse import parse_message
from escalation.models import InboundEmail
from escalation.services.inbound import inbound_process, inbound_store

EX_TEMPFAIL = 75
EX_NOINPUT = 66


class Command(BaseCommand):
    help = "Store and process one RFC 822 message read on standard input (mail server pipe)."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only show how the message reads; store nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stdin = options.get("stdin") or sys.stdin
        data = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read()
        raw = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
        if not raw.strip():
            raise CommandError("empty message on standard input", returncode=EX_NOINPUT)
        if options["dry_run"]:
            self._describe(raw)
            return
        try:
            inbound = inbound_store(raw=raw, source=InboundEmail.Source.PIPE)
        except Exception as error:
            raise CommandError(f"could not store the message: {error}", returncode=EX_TEMPFAIL) from error
        inbound = inbound_process(inbound_id=inbound.pk)
        self.stdout.write(f"incoming e-mail #{inbound.pk}: {inbound.status}")

    def _describe(self, raw: bytes) -> None:
        parsed = parse_message(raw)
        self.stdout.write(f"From: {parsed.from_address or '-'}")
        self.stdout.write(f"To/Cc: {', '.join(parsed.recipients) or '-'}")
        self.stdout.write(f"Sent: {parsed.sent_at.isoformat() if parsed.sent_at else '-'}")
        self.stdout.write(f"Subject: {parsed.subject or '-'}")
        self.stdout.write(f"Case number: {parsed.case_number or '-'}")
        self.stdout.write(f"Answers: {' '.join(parsed.answered_ids) or '-'}")
        self.stdout.write(f"Automatic: {parsed.automatic or 'no'}")
        for attachment in parsed.attachments:
            damaged = f" [damaged: {attachment.damaged}]" if attachment.damaged else ""
            self.stdout.write(f"Attachment: {attachment.name} ({len(attachment.content)} bytes){damaged}")
        if parsed.defects:
            self.stdout.write(f"Defects: {', '.join(parsed.defects)}")
