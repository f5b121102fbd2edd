"""The scheme's escalation matrix (July 2021 revision) and the default escalation rules."""

from django.db import migrations

MATRIX = [
    (1, "Área de Soporte Calltech", [("Ingenieros de soporte", "Área de soporte", "911", "", "support@calltechsa.com")]),
    (2, "Líder de Soporte", [("Christian Romero Bautista", "Líder de Soporte", "584", "", "")]),
    (3, "Líder de Postventa", [("Alejandro Lopez León", "Líder de Postventa", "580", "", "")]),
    (
        4,
        "Gerencia de producto y cuentas",
        [
            ("Jaime Fernando Espinosa", "Gerente de producto Denwa", "310", "", ""),
            ("Alicia Londoño Galindo", "Gerente de cuenta", "312", "", ""),
            ("Marisol Londoño", "Gerente de cuenta", "300", "", ""),
            ("Tatiana Gamba López", "Gerente de cuenta", "311", "", ""),
        ],
    ),
    (5, "Dirección Comercial", [("Diego Fernando Nieto", "Director Comercial", "315", "", "")]),
    (6, "Dirección de Ingeniería", [("Richard Erazo Pérez", "Director de Ingeniería", "571", "", "")]),
]

# share of attention time consumed, target, matrix level
RULES = [
    (75, "Aviso previo al vencimiento", "assignee", None),
    (100, "Vencimiento del tiempo de atención", "level", 2),
    (150, "Escalamiento a postventa", "level", 3),
    (200, "Escalamiento a gerencia de producto y cuentas", "level", 4),
]


def seed(apps, schema_editor):
    Level = apps.get_model("escalation", "EscalationLevel")
    Contact = apps.get_model("escalation", "EscalationContact")
    Rule = apps.get_model("escalation", "EscalationRule")
    levels = {}
    for number, name, contacts in MATRIX:
        level, created = Level.objects.get_or_create(number=number, defaults={"name": name})
        levels[number] = level
        if created:
            for order, (person, role, extension, mobile, email) in enumerate(contacts):
                Contact.objects.create(
                    level=level, name=person, role=role, phone_extension=extension, mobile=mobile,
                    email=email, order=order,
                )
    for share, name, target, level_number in RULES:
        Rule.objects.get_or_create(
            share_percent=share,
            defaults={"name": name, "target": target, "level": levels.get(level_number)},
        )


class Migration(migrations.Migration):
    dependencies = [("escalation", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
