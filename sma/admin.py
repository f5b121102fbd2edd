"""Admin actions that span the rooms, added to the rooms' admin pages from this front door:
Ley 1581 de 2012 on technical contacts (export everything held about one; anonymise former ones)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts import admin as contracts_admin  # registers the contracts' admin first
from contracts.models import TechnicalContact

from .privacy import contact_data_export, contact_forget


@admin.action(
    permissions=["privacy"],
    description=gettext_lazy("Export the personal data (Ley 1581) of the selected contact"),
)
def export_personal_data(
    model_admin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> HttpResponse | None:
    if queryset.count() != 1:
        model_admin.message_user(request, _("Select exactly one contact to export."), messages.WARNING)
        return None
    contact = queryset.select_related("customer", "user").get()
    content = contact_data_export(contact=contact, actor=request.user)  # type: ignore[arg-type]
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="datos-personales-contacto-{contact.pk}.zip"'
    response["Cache-Control"] = "no-store"
    return response


@admin.action(
    permissions=["privacy"], description=gettext_lazy("Anonymise the selected former contacts (Ley 1581)")
)
def anonymise_former_contacts(
    model_admin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> None:
    done, refused = 0, []
    for contact in queryset:
        try:
            done += contact_forget(contact=contact, actor=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            refused.append(error.messages[0])
    if done:
        model_admin.message_user(request, _("%(n)s contact(s) anonymised.") % {"n": done}, messages.SUCCESS)
    for message in refused:
        model_admin.message_user(request, message, messages.ERROR)


def _has_privacy_permission(model_admin: admin.ModelAdmin, request: HttpRequest) -> bool:
    """Personal data leave or are erased only by the admins (contracts.process_personal_data)."""
    return bool(request.user.has_perm("contracts.process_personal_data"))


_contact_admin = contracts_admin.TechnicalContactAdmin
_contact_admin.has_privacy_permission = _has_privacy_permission  # type: ignore[attr-defined]
_contact_admin.actions = [*(_contact_admin.actions or []), export_personal_data, anonymise_former_contacts]
assert admin.site.is_registered(TechnicalContact)
