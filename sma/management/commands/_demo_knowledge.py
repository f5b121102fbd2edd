"""The demo's knowledge base (seed_demo): published public articles the portal suggests (one
matches the demo's first case, "Error 0x80040154" on CTLog Plus), an internal one, one waiting for
review, and the desk's canned replies. Idempotent: nothing is added once any article exists."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from contracts.models import Product

ARTICLES = [
    # product, title, problem, symptoms, codes, solution, visibility, state
    (
        "CTLog Plus",
        "La grabación se detiene: el servicio CTLogSvc no inicia (0x80040154)",
        "Después de una actualización de Windows el servicio de grabación no inicia porque el componente "
        "de captura de audio quedó sin registrar.",
        "No se graban llamadas. El visor de eventos muestra «Error 0x80040154: clase no registrada» al "
        "iniciar CTLogSvc.",
        "0x80040154",
        "Abrir una consola como administrador en el servidor de grabación.\n"
        "Ejecutar: regsvr32 \"C:\\Program Files\\Calltech\\CTLog\\ctcapture.dll\".\n"
        "Iniciar el servicio CTLogSvc desde services.msc.\n"
        "Hacer una llamada de prueba y verificar que aparezca en la consola de CTLog.",
        "public",
        "published",
    ),
    (
        "CTLog",
        "La grabación se detiene con ERR-4012: disco de audio lleno",
        "CTLog deja de grabar cuando la partición de audio supera el 95 % de uso.",
        "Mensaje «ERR-4012: no se pudo escribir el archivo de audio» en la consola; las llamadas nuevas "
        "no aparecen.",
        "ERR-4012",
        "Revisar el uso del disco de audio en la consola (Sistema → Almacenamiento).\n"
        "Mover las grabaciones antiguas al archivo histórico o ampliar la partición.\n"
        "Reiniciar el servicio de grabación.",
        "public",
        "published",
    ),
    (
        "CTVox",
        "El IVR no contesta: no se pudo conectar con la base de datos (VOX-503)",
        "Las llamadas entran al IVR y se cortan porque la aplicación no alcanza la base de datos de "
        "clientes.",
        "Las llamadas se cuelgan tras el saludo; el log de CTVox muestra «VOX-503 database unreachable».",
        "VOX-503",
        "Verificar que el servidor de base de datos responda (ping y puerto 1433).\n"
        "Revisar usuario y contraseña en la consola de CTVox → Conexiones.\n"
        "Reiniciar el servicio CTVoxEngine.",
        "public",
        "published",
    ),
    (
        "CTMail",
        "Los mensajes de voz no llegan al correo electrónico (SMTP 535)",
        "El servidor de correo rechaza la autenticación de CTMail y los mensajes de voz quedan en cola.",
        "En la cola de salida aparece «535 5.7.3 Authentication unsuccessful».",
        "535",
        "Actualizar la contraseña de la cuenta de envío en CTMail → Correo saliente.\n"
        "Si el servidor es Microsoft 365, habilitar SMTP AUTH para esa cuenta.\n"
        "Reenviar la cola desde la consola.",
        "public",
        "published",
    ),
    (
        "CTLog",
        "ERR-4012 en discos RAID degradados: procedimiento interno",
        "En servidores con RAID degradado el ERR-4012 aparece aunque haya espacio libre.",
        "ERR-4012 con el disco al 40 %; el controlador RAID reporta un disco fallido.",
        "ERR-4012",
        "Confirmar el estado del RAID con la herramienta del fabricante.\n"
        "Abrir RMA del disco si el equipo está en garantía.\n"
        "Coordinar la reconstrucción del RAID fuera del horario de operación.",
        "internal",
        "published",
    ),
    (
        "CTAgent",
        "El escritorio de agente se queda en «Conectando…»",
        "El escritorio de agente no completa el registro en la central.",
        "El estado del agente queda en «Conectando…» y aparece AGT-110 en el log.",
        "AGT-110",
        "Verificar la extensión asignada al agente.\nRevisar el certificado del servidor CTI.",
        "public",
        "review",
    ),
]

CANNED: list[tuple[str, str | None, str]] = [
    # title, product (None: general), body
    (
        "Acuse de recibo",
        None,
        "Buen día, {contacto}:\n\nRecibimos su solicitud y quedó registrada como el caso {caso}. "
        "La atenderemos antes del {vence}.\n\nCordialmente,\n{ingeniero}\nSoporte Calltech",
    ),
    (
        "Solicitud de logs",
        None,
        "{contacto}, para avanzar con el caso {caso} necesitamos los logs del servicio del día del "
        "problema. Puede adjuntarlos en el portal o responder a este correo.\n\n{ingeniero}",
    ),
    (
        "Solución propuesta: confirmar",
        None,
        "{contacto}, aplicamos la solución descrita en el caso {caso}. Por favor confírmenos si el "
        "problema quedó resuelto para cerrar el caso.\n\n{ingeniero}",
    ),
    (
        "CTLog: verificar espacio en disco",
        "CTLog",
        "{contacto}, por favor revise el uso de la partición de audio en la consola de CTLog "
        "(Sistema → Almacenamiento) y envíenos una captura. Caso {caso}.\n\n{ingeniero}",
    ),
]


def seed_knowledge(*, engineer: Any, manager: Any, now: datetime) -> None:
    from knowledge import services
    from knowledge.models import Article, CannedReply

    if not Article.objects.exists():
        for product_name, title, problem, symptoms, codes, solution, visibility, state in ARTICLES:
            product = Product.objects.filter(name=product_name).first()
            if product is None:
                continue
            article = services.article_create(
                actor=engineer,
                product=product,
                title=title,
                problem=problem,
                symptoms=symptoms,
                error_codes=codes,
                solution=solution,
                visibility=visibility,
                now=now,
            )
            if state in ("review", "published"):
                article = services.article_transition(article=article, actor=engineer, to="review", now=now)
            if state == "published":
                services.article_transition(article=article, actor=manager, to="published", now=now)
    if not CannedReply.objects.exists():
        for title, for_product, body in CANNED:
            product = Product.objects.filter(name=for_product).first() if for_product else None
            CannedReply.objects.create(title=title, product=product, body=body)
