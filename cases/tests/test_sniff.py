"""Uploads that a browser would take for a web page or an SVG are refused however they are dressed
(a byte-order mark, UTF-16, an XML declaration, a leading comment); logs and XML configuration files
that merely mention markup are accepted. Pure functions, no database."""

from __future__ import annotations

import codecs

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.errors import CaseError
from cases.services.attachments import attachment_check
from cases.services.sniff import SNIFF_BYTES, looks_active

PAGE = "<html><body><script>alert(document.cookie)</script></body></html>\n"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>\n'
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'

LOG4J = (
    XML_DECL
    + "<!-- Licensed to the Apache Software Foundation (ASF) under one or more contributor"
    + " license agreements. -->\n"
    + '<!DOCTYPE log4j:configuration SYSTEM "log4j.dtd">\n'
    + '<log4j:configuration xmlns:log4j="http://jakarta.apache.org/log4j/">\n'
    + '  <appender name="file" class="org.apache.log4j.RollingFileAppender">\n'
    + '    <param name="File" value="/var/log/ctmail/ctmail.log"/>\n'
    + "  </appender>\n</log4j:configuration>\n"
)
LOG_WITH_MARKUP = (
    "2026-12-01 09:00:01 INFO  servicio de grabación iniciado\n"
    "2026-12-01 09:00:02 WARN  respuesta inesperada del portal: '<html><head><title>502</title>'\n"
    "2026-12-01 09:00:03 ERROR <script> bloqueado por el proxy\n"
)
MAVEN = (
    XML_DECL
    + '<project xmlns="http://maven.apache.org/POM/4.0.0">\n  <modelVersion>4.0.0</modelVersion>\n</project>\n'
)


def _check(name: str, content: bytes) -> str:
    return attachment_check(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("label", "content"),
    [
        ("plain page", PAGE.encode()),
        ("plain svg", SVG.encode()),
        ("UTF-8 BOM", codecs.BOM_UTF8 + PAGE.encode()),
        ("UTF-8 BOM and blank lines", codecs.BOM_UTF8 + b"\r\n\r\n  " + SVG.encode()),
        ("UTF-16 LE with BOM", PAGE.encode("utf-16")),  # Python writes the LE mark on x86
        ("UTF-16 LE with BOM, explicit", codecs.BOM_UTF16_LE + PAGE.encode("utf-16-le")),
        ("UTF-16 BE with BOM", codecs.BOM_UTF16_BE + PAGE.encode("utf-16-be")),
        ("UTF-16 LE without BOM", SVG.encode("utf-16-le")),
        ("UTF-16 BE without BOM", SVG.encode("utf-16-be")),
        ("UTF-32 with BOM", codecs.BOM_UTF32_LE + PAGE.encode("utf-32-le")),
        ("XML declaration then svg", (XML_DECL + SVG).encode()),
        (
            "XML declaration, doctype then svg",
            (
                XML_DECL
                + '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
                + '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
                + SVG
            ).encode(),
        ),
        ("doctype with an internal subset", ('<!DOCTYPE svg [ <!ENTITY x "y"> ]>' + SVG).encode()),
        ("a quoted ] in the internal subset", ('<!DOCTYPE x [ <!ENTITY a "]"> ]>' + SVG).encode()),
        ("a quoted ]> in the internal subset", ("<!DOCTYPE x [ <!ENTITY a ']>'> ]>" + SVG).encode()),
        ("an unfinished internal subset", ('<!DOCTYPE x [ <!ENTITY a "' + SVG).encode()),
        ("stray text before the root", ("<?xml version='1.0'?> ]> " + SVG).encode()),
        ("leading comment", ("<!-- informe -->\n" + PAGE).encode()),
        ("comments and instructions", (XML_DECL + "<!-- a -->\n<?pi x?>\n<!-- b -->" + SVG).encode()),
        ("doctype html", b"<!DOCTYPE html>\n<p>hola</p>"),
        ("stylesheet instruction", (XML_DECL + '<?xml-stylesheet href="x.xsl"?><r/>').encode()),
        ("prefixed svg", b'<s:svg xmlns:s="http://www.w3.org/2000/svg"/>'),
        ("xhtml namespace on another root", b'<a xmlns:h="http://www.w3.org/1999/xhtml"><h:p/></a>'),
        ("upper case", b"  <HTML><BODY>hola</BODY></HTML>"),
        ("a comment longer than what is read", b"<!--" + b"x" * SNIFF_BYTES + b"-->" + PAGE.encode()),
        (
            "UTF-8 BOM, XML declaration and comment in UTF-16",
            (XML_DECL + "<!-- c -->" + SVG).encode("utf-16"),
        ),
    ],
)
def test_disguised_pages_and_svgs_are_refused(label: str, content: bytes) -> None:
    assert looks_active(content), label
    with pytest.raises(CaseError) as refused:
        _check("registro.xml", content)
    assert refused.value.code == "bad_content"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("log4j.xml", LOG4J.encode()),
        ("entities.xml", (XML_DECL + '<!DOCTYPE c [ <!ENTITY v "]>"> ]>\n<config a="&v;"/>').encode()),
        ("syslog.log", b"<14>Dec  1 09:00:00 ctmail grabador[311]: <html> en la respuesta\n"),
        ("log4j-utf16.xml", LOG4J.encode("utf-16")),
        ("log4j-bom.xml", codecs.BOM_UTF8 + LOG4J.encode()),
        ("pom.xml", MAVEN.encode()),
        ("ctmail.log", LOG_WITH_MARKUP.encode()),
        ("ctmail-utf16.log", LOG_WITH_MARKUP.encode("utf-16")),
        ("windows.log", codecs.BOM_UTF8 + LOG_WITH_MARKUP.encode()),
        ("config.ini", b"[general]\nurl=http://portal/<html>\n"),
        ("datos.csv", "número;estado\n1;<svg> citado\n".encode()),
        ("captura.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"IHDR"),
        ("traza.pcap", b"\xd4\xc3\xb2\xa1\x02\x00\x04\x00" + b"\x00" * 200 + b"<html>"),
        ("vacio.txt", b""),
    ],
)
def test_logs_configuration_and_binaries_are_accepted(name: str, content: bytes) -> None:
    assert not looks_active(content), name
    _check(name, content)
