"""Staff roles as Django groups with model permissions.

Each app lists what each role may do with its models; ``roles_sync`` makes the groups match.
Customers are not staff and belong to no group: they reach only the portal.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

ENGINEER = "Ingenieros de soporte"
MANAGER = "Gerentes de soporte"
ADMIN = "Administradores"

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ALL = (VIEW, ADD, CHANGE, DELETE)

# What everyone who works cases may do with them.
_CASE_WORK: dict[str, tuple[str, ...]] = {
    "case": (VIEW, ADD, CHANGE),
    "caseactivity": (VIEW, ADD),
    "caseattachment": (VIEW, ADD),
    "refusedrequest": (VIEW,),
    "onsitevisitauthorization": (VIEW,),
    "surveyowed": (VIEW,),
    "surveyresponse": (VIEW,),
}

_ESCALATION_VIEW: dict[tuple[str, str], tuple[str, ...]] = {
    ("escalation", m): (VIEW,)
    for m in (
        "escalationlevel",
        "escalationcontact",
        "escalationrule",
        "oncallshift",
        "notification",
        "pqr",
        "pqrstep",
        "customeremail",
        "inboundemail",
    )
}

# Engineers and managers see assets and work RMAs; admins keep the assets.
_WARRANTY_WORK: dict[tuple[str, str], tuple[str, ...]] = {
    ("warranty", "hardwareasset"): (VIEW,),
    ("warranty", "assetchange"): (VIEW,),
    ("warranty", "rma"): (VIEW, ADD, CHANGE),
    ("warranty", "rmastep"): (VIEW,),
    ("warranty", "rmaalert"): (VIEW,),
    ("warranty", "preventivemaintenance"): (VIEW, ADD, CHANGE),  # change: cancel one still to come
    ("warranty", "maintenanceterms"): (VIEW,),
    ("warranty", "softwareupdate"): (VIEW, ADD),
}

# Engineers write articles and send them for review; managers and admins publish them and keep the
# canned replies.
_KNOWLEDGE_WRITE: dict[tuple[str, str], tuple[str, ...]] = {
    ("knowledge", "article"): (VIEW, ADD, CHANGE),
    ("knowledge", "articleevent"): (VIEW,),
    ("knowledge", "articleattachment"): (VIEW, ADD),
    ("knowledge", "deflection"): (VIEW,),
    ("knowledge", "cannedreply"): (VIEW,),
}
_KNOWLEDGE_PUBLISH: dict[tuple[str, str], tuple[str, ...]] = {
    **_KNOWLEDGE_WRITE,
    ("knowledge", "article"): (VIEW, ADD, CHANGE, "publish_article"),
    ("knowledge", "cannedreply"): ALL,
}

# role → {(app_label, model): actions}; an action is a permission codename's prefix
# ("view" → view_case) or a custom permission's codename ("authorize_onsite_visit").
ROLE_PERMISSIONS: dict[str, dict[tuple[str, str], tuple[str, ...]]] = {
    ENGINEER: {
        ("contracts", "customer"): (VIEW,),
        ("contracts", "product"): (VIEW,),
        ("contracts", "installation"): (VIEW, CHANGE),
        ("contracts", "supportcontract"): (VIEW,),
        ("contracts", "supportplan"): (VIEW,),
        ("contracts", "attentionpolicy"): (VIEW,),
        ("contracts", "servicecalendar"): (VIEW,),
        ("contracts", "holiday"): (VIEW,),
        ("contracts", "technicalcontact"): (VIEW, ADD, CHANGE),
        ("contracts", "technicalcontactchange"): (VIEW,),
        **{("cases", m): a for m, a in _CASE_WORK.items()},
        **_ESCALATION_VIEW,
        **_WARRANTY_WORK,
        **_KNOWLEDGE_WRITE,
    },
    MANAGER: {
        ("contracts", "customer"): (VIEW, CHANGE),
        ("contracts", "product"): (VIEW,),
        ("contracts", "installation"): (VIEW, ADD, CHANGE),
        ("contracts", "supportcontract"): (VIEW,),
        ("contracts", "supportplan"): (VIEW,),
        ("contracts", "attentionpolicy"): (VIEW,),
        ("contracts", "servicecalendar"): (VIEW,),
        ("contracts", "holiday"): (VIEW,),
        ("contracts", "technicalcontact"): (VIEW, ADD, CHANGE),
        ("contracts", "technicalcontactchange"): (VIEW,),
        **{("cases", m): a for m, a in _CASE_WORK.items()},
        ("cases", "case"): (VIEW, ADD, CHANGE, "reassign_case", "authorize_onsite_visit"),
        **_ESCALATION_VIEW,
        ("escalation", "oncallshift"): ALL,
        ("escalation", "pqr"): (VIEW, "handle_pqr"),
        # Managers learn of every breach in their SMA inbox.
        ("escalation", "notification"): (VIEW, "receive_breach_notices"),
        ("warranty", "certificate"): (VIEW,),
        ("warranty", "certificateevent"): (VIEW,),
        ("reports", "dashboard"): ("view_dashboard",),
        **_WARRANTY_WORK,
        **_KNOWLEDGE_PUBLISH,
    },
    ADMIN: {
        ("contracts", "customer"): ALL,
        ("contracts", "product"): ALL,
        ("contracts", "installation"): ALL,
        ("contracts", "supportcontract"): ALL,
        ("contracts", "supportplan"): ALL,
        ("contracts", "attentionpolicy"): ALL,
        ("contracts", "servicecalendar"): ALL,
        ("contracts", "calendarslot"): ALL,
        ("contracts", "holiday"): ALL,
        ("contracts", "technicalcontact"): (VIEW, ADD, CHANGE, "process_personal_data"),
        ("contracts", "technicalcontactchange"): (VIEW,),
        ("contracts", "contactchangerequest"): (VIEW, CHANGE),  # approve or reject
        ("contracts", "newsconsent"): (VIEW,),
        **{("cases", m): a for m, a in _CASE_WORK.items()},
        ("cases", "case"): (VIEW, ADD, CHANGE, "reassign_case", "authorize_onsite_visit"),
        **_ESCALATION_VIEW,
        **{
            ("escalation", m): ALL
            for m in ("escalationlevel", "escalationcontact", "escalationrule", "oncallshift")
        },
        ("escalation", "pqr"): (VIEW, "handle_pqr"),
        ("escalation", "inboundemail"): (VIEW, CHANGE),  # "process again" on a failed message
        ("escalation", "newsmailing"): (VIEW, ADD, CHANGE),  # write and send product news
        ("escalation", "newsdelivery"): (VIEW,),
        ("warranty", "certificate"): (VIEW, "issue_certificate", "revoke_certificate"),
        ("warranty", "certificateevent"): (VIEW,),
        ("warranty", "certificatebatch"): (VIEW,),
        ("reports", "dashboard"): ("view_dashboard",),
        **_WARRANTY_WORK,
        ("warranty", "hardwareasset"): (VIEW, ADD, CHANGE),
        ("warranty", "maintenanceterms"): (VIEW, ADD, CHANGE),
        **_KNOWLEDGE_PUBLISH,
        ("auth", "user"): ALL,
        ("auth", "group"): (VIEW,),
        # Integrations' keys: issued and revoked here, never deleted (the audit trail names them).
        ("api", "apikey"): (VIEW, ADD, CHANGE),
    },
}


@transaction.atomic
def roles_sync() -> dict[str, Group]:
    """Create the role groups and give each exactly its permissions. Idempotent."""
    groups = {}
    for role, grants in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for (app_label, model), actions in grants.items():
            codenames = [action if "_" in action else f"{action}_{model}" for action in actions]
            found = list(
                Permission.objects.filter(
                    content_type__app_label=app_label, content_type__model=model, codename__in=codenames
                )
            )
            if len(found) != len(codenames):
                missing = set(codenames) - {p.codename for p in found}
                raise LookupError(f"permissions not found for {app_label}.{model}: {sorted(missing)}")
            wanted.extend(found)
        group.permissions.set(wanted)
        groups[role] = group
    return groups
