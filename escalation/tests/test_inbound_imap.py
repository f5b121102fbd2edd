"""The support mailbox read over IMAP from a real, throw-away Dovecot (Debian's dovecot-imapd) on
a free localhost port: messages are stored, processed, and only then moved out of the inbox; a
message already stored (a crash before the move) is not processed twice."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from imapclient import IMAPClient

from cases.models import Case, RefusedRequest
from contracts.tests.factories import (
    CustomerFactory,
    InstallationFactory,
    ProductFactory,
    SupportContractFactory,
    TechnicalContactFactory,
)
from escalation.mailbox import mailbox_fetch
from escalation.models import InboundEmail
from escalation.services.inbound import inbound_store
from escalation.tasks import fetch_support_mailbox

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 11, 23, 10, 5, tzinfo=ZoneInfo("America/Bogota"))
DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "soporte", "clave-de-prueba"

CONFIG = """
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
default_internal_user = {internal}
default_internal_group = {internal_group}
default_login_user = {login}
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
}}
service submission-login {{
  inet_listener submission {{
    port = 0
  }}
}}
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _accounts() -> dict[str, object]:
    """As root, Dovecot's own unprivileged users; otherwise everything runs as the current user."""
    if os.geteuid() == 0:
        try:
            mail_user, login = pwd.getpwnam("dovecot"), pwd.getpwnam("dovenull")
        except KeyError:
            pytest.skip("dovecot-imapd is installed without its dovecot/dovenull users")
        return {
            "internal": "dovecot",
            "internal_group": "dovecot",
            "login": login.pw_name,
            "mail_uid": mail_user.pw_uid,
            "mail_gid": mail_user.pw_gid,
        }
    me = pwd.getpwuid(os.geteuid())
    return {
        "internal": me.pw_name,
        "internal_group": me.pw_name,
        "login": me.pw_name,
        "mail_uid": me.pw_uid,
        "mail_gid": me.pw_gid,
    }


@pytest.fixture
def dovecot() -> Iterator[SimpleNamespace]:
    if not os.access(DOVECOT, os.X_OK):
        pytest.skip(
            "Dovecot is not installed (Debian package dovecot-imapd; scripts/bootstrap.sh installs it)"
        )
    # Not under pytest's tmp_path: its parents are private (0700) and Dovecot's unprivileged
    # processes must reach the password file and the Maildir.
    top = Path(tempfile.mkdtemp(prefix="sma-dovecot-"))
    try:
        yield from _run_dovecot(top)
    finally:
        shutil.rmtree(top, ignore_errors=True)


def _run_dovecot(top: Path) -> Iterator[SimpleNamespace]:
    root = top / "dovecot"
    for sub in ("run", "state", "mail"):
        (root / sub).mkdir(parents=True)
    accounts = _accounts()
    port = _free_port()
    (root / "dovecot.conf").write_text(CONFIG.format(root=root, port=port, **accounts))
    (root / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
    maildir = root / "mail" / USER
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    os.chmod(top, 0o755)  # the mail user must reach its Maildir
    os.chmod(root, 0o755)
    if os.geteuid() == 0:
        for path in [root / "mail", *(root / "mail").rglob("*")]:
            os.chown(path, accounts["mail_uid"], accounts["mail_gid"])
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(root / "dovecot.conf")], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
                pytest.skip(f"Dovecot could not be started: {output} {log}".strip())
            time.sleep(0.1)

    def deliver(raw: bytes) -> None:
        name = f"{time.time_ns()}.sma-test.localhost"
        (maildir / "tmp" / name).write_bytes(raw)
        os.replace(maildir / "tmp" / name, maildir / "new" / name)
        if os.geteuid() == 0:
            os.chown(maildir / "new" / name, accounts["mail_uid"], accounts["mail_gid"])

    def imap() -> IMAPClient:
        client = IMAPClient("127.0.0.1", port=port, ssl=False, timeout=10)
        client.login(USER, PASSWORD)
        return client

    try:
        yield SimpleNamespace(port=port, deliver=deliver, imap=imap)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def imap_settings(settings, dovecot) -> None:
    settings.SMA_IMAP_HOST = "127.0.0.1"
    settings.SMA_IMAP_PORT = dovecot.port
    settings.SMA_IMAP_SSL = False
    settings.SMA_IMAP_USER = USER
    settings.SMA_IMAP_PASSWORD = PASSWORD
    settings.SMA_IMAP_FOLDER = "INBOX"
    settings.SMA_IMAP_DONE_FOLDER = "SMA-procesados"


@pytest.fixture
def andes() -> None:
    customer = CustomerFactory(name="Clínica de los Andes")
    ctlog = InstallationFactory(customer=customer, product=ProductFactory(name="CTLog"))
    SupportContractFactory(
        customer=customer, start_date=date(2026, 1, 1), end_date=date(2027, 12, 31), installations=[ctlog]
    )
    TechnicalContactFactory(customer=customer, email="ana.rodriguez@clinica-andes.example")


def counts(dovecot: SimpleNamespace) -> dict[str, int]:
    client = dovecot.imap()
    try:
        found = {}
        for folder in ("INBOX", "SMA-procesados"):
            found[folder] = len(client.search("ALL")) if _select(client, folder) else -1
        return found
    finally:
        client.logout()


def _select(client: IMAPClient, folder: str) -> bool:
    if not client.folder_exists(folder):
        return False
    client.select_folder(folder, readonly=True)
    return True


def test_the_mailbox_job_stores_processes_and_then_moves_each_message(andes, dovecot, imap_settings) -> None:
    for name in ("plain.eml", "attachments.eml", "stranger.eml", "malformed.eml", "out_of_office.eml"):
        dovecot.deliver((FIXTURES / name).read_bytes())
    assert counts(dovecot) == {"INBOX": 5, "SMA-procesados": -1}

    result = mailbox_fetch(now=NOW)

    assert (result.seen, result.stored, result.moved, result.failed, result.error) == (5, 5, 5, 1, "")
    assert counts(dovecot) == {"INBOX": 0, "SMA-procesados": 5}  # the done folder was created
    statuses = sorted(InboundEmail.objects.values_list("status", flat=True))
    assert statuses == ["case", "case", "failed", "ignored", "refused"]
    assert set(InboundEmail.objects.values_list("source", flat=True)) == {"imap"}
    assert Case.objects.count() == 2 and RefusedRequest.objects.count() == 1
    failed = InboundEmail.objects.get(status="failed")
    # Kept whole, as the server handed it over (CRLF lines; IMAP cannot carry NUL, Dovecot sends 0x80).
    delivered = (FIXTURES / "malformed.eml").read_bytes().replace(b"\x00", b"\x80")
    assert bytes(failed.raw).replace(b"\r\n", b"\n") == delivered.replace(b"\r\n", b"\n")

    assert mailbox_fetch(now=NOW).seen == 0  # nothing left to read


def test_a_message_stored_before_a_crash_is_moved_but_not_processed_twice(
    andes, dovecot, imap_settings
) -> None:
    raw = (FIXTURES / "plain.eml").read_bytes()
    dovecot.deliver(raw)
    first = inbound_store(raw=raw, source=InboundEmail.Source.PIPE, now=NOW)  # stored, then "crashed"

    assert fetch_support_mailbox() == 1  # the beat task: stores (a no-op here), processes, moves

    assert InboundEmail.objects.get().pk == first.pk and Case.objects.count() == 1
    assert counts(dovecot) == {"INBOX": 0, "SMA-procesados": 1}


def test_without_a_done_folder_messages_are_flagged_seen_and_read_once(
    andes, dovecot, imap_settings, settings
) -> None:
    settings.SMA_IMAP_DONE_FOLDER = ""
    dovecot.deliver((FIXTURES / "plain.eml").read_bytes())
    assert mailbox_fetch(now=NOW).stored == 1
    assert mailbox_fetch(now=NOW).seen == 0
    client = dovecot.imap()
    client.select_folder("INBOX", readonly=True)
    assert len(client.search(["SEEN"])) == 1
    client.logout()
    assert Case.objects.count() == 1


def test_an_unreachable_mailbox_is_logged_not_raised(settings, caplog) -> None:
    settings.SMA_IMAP_HOST, settings.SMA_IMAP_PORT, settings.SMA_IMAP_SSL = "127.0.0.1", _free_port(), False
    result = mailbox_fetch(now=NOW)
    assert result.seen == 0 and result.error and "unreachable" in caplog.text


def test_the_job_does_nothing_while_no_mailbox_is_configured(settings) -> None:
    settings.SMA_IMAP_HOST = ""
    assert fetch_support_mailbox() == 0


def test_a_message_that_cannot_be_stored_stays_in_the_mailbox_and_the_others_go_on(
    andes, dovecot, imap_settings, monkeypatch
) -> None:
    from escalation import mailbox

    dovecot.deliver((FIXTURES / "stranger.eml").read_bytes())
    dovecot.deliver((FIXTURES / "plain.eml").read_bytes())
    real_store = mailbox.inbound_store

    def flaky_store(*, raw: bytes, **kwargs):
        if b"pedro.perez" in raw:
            raise OSError("disk full")
        return real_store(raw=raw, **kwargs)

    monkeypatch.setattr(mailbox, "inbound_store", flaky_store)
    result = mailbox_fetch(now=NOW)
    assert (result.seen, result.stored, result.moved, result.failed) == (2, 1, 1, 1)
    assert counts(dovecot) == {"INBOX": 1, "SMA-procesados": 1} and Case.objects.count() == 1

    monkeypatch.undo()  # the next run picks it up
    assert mailbox_fetch(now=NOW).stored == 1
    assert counts(dovecot) == {"INBOX": 0, "SMA-procesados": 2} and RefusedRequest.objects.count() == 1
