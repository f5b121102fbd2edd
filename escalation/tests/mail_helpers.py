"""What the incoming-mail tests share: the clock, the fixture messages (``{{NAME}}`` placeholders
filled in), receiving a message through the pipe, and a minimal message built in place."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from cases.models import Case
from escalation.models import InboundEmail
from escalation.services.inbound import inbound_receive

BOGOTA = ZoneInfo("America/Bogota")
FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 11, 23, 10, 5, tzinfo=BOGOTA)  # a Monday, office hours
ANA = "ana.rodriguez@clinica-andes.example"
S = InboundEmail.Status


def eml(name: str, **values: str) -> bytes:
    raw = (FIXTURES / name).read_bytes()
    for key, value in values.items():
        raw = raw.replace(f"{{{{{key}}}}}".encode(), value.encode())
    assert b"{{" not in raw, f"{name}: a placeholder was left unfilled"
    return raw


def receive(raw: bytes, now: datetime = NOW) -> InboundEmail:
    return inbound_receive(raw=raw, source=InboundEmail.Source.PIPE, now=now)


def simple_message(
    *,
    sender: str = ANA,
    subject: str = "Consulta",
    body: str = "Hola",
    to: str = "support@calltechsa.com",
    **headers: str,
) -> bytes:
    lines = [f"From: {sender}", f"To: {to}", f"Subject: {subject}"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    lines += ["Content-Type: text/plain; charset=utf-8", "", body, ""]
    return "\r\n".join(lines).encode()


def case_of(inbound: InboundEmail) -> Case:
    assert inbound.status == S.CASE, inbound.error
    return Case.objects.get(pk=inbound.case_id)
