"""Send a product-news mailing to the contacts who opted in (and only to them).

    manage.py send_product_news --subject "CTLog 8.5" --body-file novedades.txt            # dry run
    manage.py send_product_news --subject "CTLog 8.5" --body-file novedades.txt --for-real

A dry run says how many contacts would receive it and changes nothing. Each e-mail carries the
one-click way out (a link and the List-Unsubscribe headers)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from escalation.services import news


class Command(BaseCommand):
    help = "Send a product-news mailing to the contacts who opted in (dry run unless --for-real)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--subject", required=True)
        parser.add_argument("--body-file", required=True, type=Path)
        parser.add_argument("--for-real", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            body = options["body_file"].read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"cannot read {options['body_file']}: {error}") from error
        recipients = news.news_recipients()
        if not options["for_real"]:
            self.stdout.write(
                f"dry run: {len(recipients)} subscribed contacts would receive it (--for-real sends)"
            )
            return
        mailing = news.news_mailing_create(actor=None, subject=options["subject"], body_text=body)
        queued = news.news_mailing_send(mailing=mailing, actor=None)
        self.stdout.write(f"mailing {mailing.pk}: {queued} e-mails queued")
