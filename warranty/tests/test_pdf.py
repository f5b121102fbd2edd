"""The printed certificate: every field and the code in its text, the fonts embedded, and the QR code
read back (zxing-cpp) as the verification address."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from contracts.tests.factories import CustomerFactory
from warranty import services
from warranty.codes import code_grouped
from warranty.pdf import verification_url

from .certificate_factories import covered_installation
from .conftest import SITE

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(issuer):
    customer = CustomerFactory(name="Banco Andino S.A.", nit="900123456-8")
    installation = covered_installation(
        customer=customer,
        product="CTLog",
        number="CT-2026-0042",
        special_conditions="Garantía extendida (8 h) para los equipos de grabación.\nKit de repuestos en sitio.",
    )
    return services.certificate_issue(installation=installation, actor=issuer)


def _pdf_bytes(certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def test_the_certificate_prints_every_field_and_its_code(certificate) -> None:
    reader = PdfReader(io.BytesIO(_pdf_bytes(certificate)))
    assert len(reader.pages) == 1  # one page, like a document to file
    text = " ".join(reader.pages[0].extract_text().split())
    for expected in (
        "Certificado de Soporte Técnico y Garantía",
        certificate.number,
        "Banco Andino S.A.",
        "900123456-8",
        "CTLog",
        "5.2 (build 1045)",
        "Calltech Techsupport Gold 8x5",
        "CT-2026-0042",
        "1 de enero de 2025",  # start date
        "4 años",  # duration
        "31 de diciembre de 2028",
        "Expedido el 2 de diciembre de 2026",  # issue date (TEST_NOW)
        "Laura Méndez Ruiz",  # issuer
        "Garantía extendida (8 h) para los equipos de grabación. Kit de repuestos en sitio.",
        "Lunes a viernes de 7:30 a 17:30",
        "Calltech Software Assurance",
        "Garantía de hardware",
        code_grouped(certificate.code),
        f"{SITE}/verificar/{code_grouped(certificate.code)}/",
    ):
        assert expected in text, expected


def test_the_fonts_are_embedded(certificate) -> None:
    reader = PdfReader(io.BytesIO(_pdf_bytes(certificate)))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert fonts
    for ref in fonts.values():
        font = ref.get_object()
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, font["/BaseFont"]  # the TrueType program is in the file


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils (scripts/bootstrap.sh installs it)")
def test_the_qr_code_reads_back_as_the_verification_address(certificate, tmp_path, screenshot_dir) -> None:
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(_pdf_bytes(certificate))
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True
    )
    page = tmp_path / "page.png"
    shutil.copy(page, Path(screenshot_dir) / "warranty-certificate.png")  # for people to look at
    found = zxingcpp.read_barcodes(Image.open(page))
    qr = [b for b in found if b.format == zxingcpp.BarcodeFormat.QRCode]
    assert [b.text for b in qr] == [verification_url(certificate.code)]
    assert qr[0].text == f"{SITE}/verificar/{code_grouped(certificate.code)}/"
