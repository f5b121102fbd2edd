"""Reading the support mailbox over IMAP (the beat job ``fetch_support_mailbox``).

Nothing is lost on a crash: each message is fetched with BODY.PEEK[] (not marked read), stored,
processed, and only then moved to ``SMA_IMAP_DONE_FOLDER`` (or flagged \\Seen when that setting is
empty). A crash between storing and moving leaves the message in the folder; the next run stores
it again — a no-op, its SHA-256 is known — and moves it. One bad message never stops the others.
"""

from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from .models import InboundEmail
from .services.inbound import inbound_process, inbound_store

logger = logging.getLogger(__name__)

CHUNK = 10  # messages fetched per round trip (each may carry large attachments)


@dataclass
class FetchResult:
    seen: int = 0
    stored: int = 0
    moved: int = 0
    failed: int = 0
    error: str = ""


def _connect() -> IMAPClient:
    context = ssl.create_default_context() if settings.SMA_IMAP_SSL else None
    client = IMAPClient(
        settings.SMA_IMAP_HOST,
        port=settings.SMA_IMAP_PORT,
        ssl=settings.SMA_IMAP_SSL,
        ssl_context=context,
        timeout=60,
    )
    client.login(settings.SMA_IMAP_USER, settings.SMA_IMAP_PASSWORD)
    return client


def _done(client: IMAPClient, uid: int, done_folder: str, can_move: bool) -> None:
    if not done_folder:
        client.add_flags([uid], [b"\\Seen"], silent=True)
    elif can_move:
        client.move([uid], done_folder)
    else:
        client.copy([uid], done_folder)
        client.delete_messages([uid], silent=True)
        if client.has_capability("UIDPLUS"):
            client.uid_expunge([uid])
        else:
            client.expunge()


def mailbox_fetch(*, now: datetime | None = None, limit: int = 200) -> FetchResult:
    """Store and process the messages waiting in the support mailbox, then move them out of the
    way. Off (returns at once) while ``SMA_IMAP_HOST`` is empty. Connection errors are logged and
    reported in the result; the next run tries again."""
    result = FetchResult()
    if not settings.SMA_IMAP_HOST:
        return result
    try:
        client = _connect()
    except (IMAPClientError, OSError, TimeoutError) as error:
        logger.warning("support mailbox %s unreachable: %s", settings.SMA_IMAP_HOST, error)
        result.error = str(error)
        return result
    try:
        _fetch(client, result, now=now, limit=limit)
    except (IMAPClientError, OSError) as error:
        logger.warning("support mailbox read interrupted: %s", error)
        result.error = str(error)
    finally:
        try:
            client.logout()
        except Exception:
            logger.debug("IMAP logout failed", exc_info=True)
    return result


def _fetch(client: IMAPClient, result: FetchResult, *, now: datetime | None, limit: int) -> None:
    done_folder = settings.SMA_IMAP_DONE_FOLDER
    if done_folder and not client.folder_exists(done_folder):
        client.create_folder(done_folder)
        client.subscribe_folder(done_folder)
    client.select_folder(settings.SMA_IMAP_FOLDER)
    can_move = client.has_capability("MOVE")
    # With a done folder, whatever is still in the folder is waiting (read by a person or not).
    uids = sorted(client.search(["NOT", "DELETED"] if done_folder else ["UNSEEN", "NOT", "DELETED"]))
    uids = uids[:limit]
    for start in range(0, len(uids), CHUNK):
        chunk = uids[start : start + CHUNK]
        response: dict[int, dict[bytes, Any]] = client.fetch(chunk, ["BODY.PEEK[]"])
        for uid in chunk:
            result.seen += 1
            raw = response.get(uid, {}).get(b"BODY[]")
            if not isinstance(raw, bytes):
                logger.warning("IMAP message %s had no body; left in place", uid)
                result.failed += 1
                continue
            if not _store_and_process(raw, uid, result, now):
                continue  # not stored: leave it in the folder for the next run
            try:
                _done(client, uid, done_folder, can_move)
                result.moved += 1
            except IMAPClientError:
                logger.warning(
                    "stored IMAP message %s could not be moved; the next run will", uid, exc_info=True
                )


def _store_and_process(raw: bytes, uid: int, result: FetchResult, now: datetime | None) -> bool:
    try:
        inbound = inbound_store(raw=raw, source=InboundEmail.Source.IMAP, now=now or timezone.now())
    except Exception:
        logger.exception("IMAP message %s could not be stored; left in the mailbox", uid)
        result.failed += 1
        return False
    result.stored += 1
    processed = inbound_process(inbound_id=inbound.pk, now=now)
    if processed.status == InboundEmail.Status.FAILED:
        result.failed += 1
    return True
