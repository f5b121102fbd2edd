"""Admin for support certificates: issue one, re-issue, revoke, download; bulk issues run by a
Celery task whose progress the batch page shows. Every change goes through ``warranty.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.idempotency import idempotent
from contracts.actors import request_actor
from contracts.models import Customer, Installation

from . import certificate_selectors as selectors
from . import services
from .codes import code_grouped
from .models import Certificate, CertificateBatch, CertificateEvent
from .pdf import certificate_pdf_open, verification_url

CONFIRM = "admin/warranty/certificate/confirm.html"
STATUS_LABELS = {
    selectors.VALID: gettext_lazy("valid"),
    selectors.EXPIRED: gettext_lazy("expired"),
    selectors.REPLACED: gettext_lazy("replaced"),
    selectors.REVOKED: gettext_lazy("revoked"),
}


def certificate_download(certificate: Certificate) -> FileResponse:
    """The certificate's PDF as a download (the file is read through the storage API)."""
    response = FileResponse(
        certificate_pdf_open(certificate),
        as_attachment=True,
        filename=f"certificado-{certificate.number}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


class CertificateEventInline(admin.TabularInline):
    model = CertificateEvent
    extra = 0
    fields = readonly_fields = ("at", "action", "actor", "note")
    can_delete = False
    verbose_name_plural = gettext_lazy("history")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class IssueForm(forms.Form):
    installation = forms.ModelChoiceField(
        label=gettext_lazy("Installation"),
        queryset=Installation.objects.none(),
        help_text=gettext_lazy(
            "Installations covered by a support contract in force. One that already has a current "
            "certificate gets a new one, which replaces it."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["installation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.installations_covered(on=timezone.localdate())


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=1000,
        help_text=gettext_lazy("Kept with the certificate's history."),
    )


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "customer_name",
        "product_name",
        "plan_name",
        "status_shown",
        "start_date",
        "end_date",
        "issued_at",
        "issuer_name",
    ]
    list_filter = ["status", "plan_name", "issued_at"]
    search_fields = ["number", "customer_name", "customer_nit", "product_name", "contract_number"]
    list_select_related = True
    date_hierarchy = "issued_at"
    actions = ["reissue_selected"]
    inlines = [CertificateEventInline]
    fields = readonly_fields = (
        "number",
        "status_shown",
        "code_shown",
        "pdf_link",
        "customer_name",
        "customer_nit",
        "product_name",
        "product_version",
        "plan_name",
        "contract_number",
        "start_date",
        "end_date",
        "conditions_shown",
        "issued_at",
        "issuer_name",
        "replaces",
        "replaced_by_shown",
        "ended_at",
        "ended_by",
        "revoke_reason",
    )
    change_form_template = "admin/warranty/certificate/change_form.html"

    # --- permissions: issuing and revoking are their own permissions; nothing is edited ---------

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("warranty.issue_certificate")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_issue_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("warranty.issue_certificate")

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("warranty.revoke_certificate")

    # --- columns ----------------------------------------------------------------------------

    @admin.display(description=gettext_lazy("status"))
    def status_shown(self, obj: Certificate) -> str:
        return str(STATUS_LABELS[selectors.certificate_status(obj)])

    @admin.display(description=gettext_lazy("verification code"))
    def code_shown(self, obj: Certificate) -> str:
        url = verification_url(obj.code)
        return format_html('<code>{}</code> · <a href="{}">{}</a>', code_grouped(obj.code), url, url)

    @admin.display(description=gettext_lazy("PDF"))
    def pdf_link(self, obj: Certificate) -> str:
        url = reverse("admin:warranty_certificate_pdf", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download the PDF"))

    @admin.display(description=gettext_lazy("warranty and service conditions"))
    def conditions_shown(self, obj: Certificate) -> str:
        return format_html_join("", "<div><strong>{}</strong>: {}</div>", ((h, t) for h, t in obj.conditions))

    @admin.display(description=gettext_lazy("replaced by"))
    def replaced_by_shown(self, obj: Certificate) -> str:
        newer = Certificate.objects.filter(replaces=obj).first()
        if newer is None:
            return "—"
        url = reverse("admin:warranty_certificate_change", args=[newer.pk])
        return format_html('<a href="{}">{}</a>', url, newer.number)

    # --- pages ------------------------------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/pdf/", wrap(self.pdf_view), name="warranty_certificate_pdf"),
            path(
                "<int:pk>/reemitir/", wrap(idempotent(self.reissue_view)), name="warranty_certificate_reissue"
            ),
            path("<int:pk>/revocar/", wrap(idempotent(self.revoke_view)), name="warranty_certificate_revoke"),
            *super().get_urls(),
        ]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        extra = {
            **(extra_context or {}),
            "can_issue": self.has_issue_permission(request),
            "can_revoke": self.has_revoke_permission(request),
        }
        return super().change_view(request, object_id, form_url, extra)

    def pdf_view(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        certificate = get_object_or_404(Certificate, pk=pk)
        if not self.has_view_permission(request, certificate):
            return HttpResponse(status=403)
        return certificate_download(certificate)

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Issue one certificate: choose the installation."""
        return idempotent(self._issue_view)(request)

    def _issue_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_issue_permission(request):
            return HttpResponse(status=403)
        form = IssueForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                certificate = services.certificate_issue(
                    installation=form.cleaned_data["installation"], actor=request_actor(request)
                )
            except services.CertificateError as error:
                form.add_error(None, error.messages[0])
            else:
                self.message_user(
                    request,
                    _("Certificate %(number)s issued.") % {"number": certificate.number},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:warranty_certificate_change", args=[certificate.pk])
                )
        title = _("Issue a support certificate")
        return self._page(request, template="admin/warranty/certificate/issue.html", title=title, form=form)

    def reissue_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        certificate = get_object_or_404(Certificate, pk=pk)
        if not self.has_issue_permission(request):
            return HttpResponse(status=403)
        if request.method == "POST":
            try:
                new = services.certificate_reissue(certificate=certificate, actor=request_actor(request))
            except services.CertificateError as error:
                self.message_user(request, error.messages[0], messages.ERROR)
                return HttpResponseRedirect(
                    reverse("admin:warranty_certificate_change", args=[certificate.pk])
                )
            self.message_user(
                request,
                _("Certificate %(new)s issued; %(old)s is replaced.")
                % {"new": new.number, "old": certificate.number},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:warranty_certificate_change", args=[new.pk]))
        title = _("Re-issue certificate %(number)s") % {"number": certificate.number}
        return self._page(
            request, template=CONFIRM, title=title, form=None, certificate=certificate, kind="reissue"
        )

    def revoke_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        certificate = get_object_or_404(Certificate, pk=pk)
        if not self.has_revoke_permission(request):
            return HttpResponse(status=403)
        form = RevokeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.certificate_revoke(
                    certificate=certificate, actor=request_actor(request), reason=form.cleaned_data["reason"]
                )
            except services.CertificateError as error:
                self.message_user(request, error.messages[0], messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Certificate %(number)s revoked.") % {"number": certificate.number},
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(reverse("admin:warranty_certificate_change", args=[certificate.pk]))
        title = _("Revoke certificate %(number)s") % {"number": certificate.number}
        return self._page(
            request, template=CONFIRM, title=title, form=form, certificate=certificate, kind="revoke"
        )

    def _page(
        self,
        request: HttpRequest,
        *,
        template: str,
        title: str,
        form: forms.Form | None,
        certificate: Certificate | None = None,
        kind: str = "",
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "form": form,
            "certificate": certificate,
            "kind": kind,
        }
        return TemplateResponse(request, template, context)

    @admin.action(description=gettext_lazy("Re-issue the selected certificates"), permissions=["issue"])
    def reissue_selected(self, request: HttpRequest, queryset: QuerySet[Certificate]) -> None:
        actor = request_actor(request)
        issued, skipped = [], 0
        for certificate in queryset.filter(status=Certificate.Status.CURRENT):
            try:
                issued.append(services.certificate_reissue(certificate=certificate, actor=actor).number)
            except services.CertificateError as error:
                skipped += 1
                self.message_user(request, error.messages[0], messages.WARNING)
        skipped += queryset.exclude(status=Certificate.Status.CURRENT).count()
        self.message_user(
            request,
            _("%(count)d certificate(s) issued: %(numbers)s; %(skipped)d not re-issued (not current).")
            % {"count": len(issued), "numbers": ", ".join(issued) or "—", "skipped": skipped},
        )


class BatchForm(forms.ModelForm):
    class Meta:
        model = CertificateBatch
        fields = ["customer"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("customer")  # absent on the read-only page of a batch
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = Customer.objects.filter(is_active=True)


@admin.register(CertificateBatch)
class CertificateBatchAdmin(admin.ModelAdmin):
    list_display = ["created_at", "customer", "status", "progress", "failed", "created_by", "finished_at"]
    list_filter = ["status"]
    form = BatchForm
    change_form_template = "admin/warranty/certificatebatch/change_form.html"

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:  # type: ignore[override]
        if obj is None:
            return ["customer"]
        return [
            "customer",
            "status",
            "progress",
            "failed",
            "errors",
            "created_by",
            "created_at",
            "finished_at",
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else self.get_fields(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("warranty.issue_certificate")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("progress"))
    def progress(self, obj: CertificateBatch) -> str:
        percent = 100 if obj.total == 0 else round(100 * (obj.done + obj.failed) / obj.total)
        return format_html(
            '<progress max="100" value="{}"></progress> {} / {} ({} %)', percent, obj.done, obj.total, percent
        )

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return idempotent(self._start_view)(request)

    def _start_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            return HttpResponse(status=403)
        form = BatchForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            batch = services.certificate_batch_start(
                actor=request_actor(request), customer=form.cleaned_data["customer"]
            )
            self.message_user(
                request,
                _("Bulk issue queued: %(total)d certificate(s) to issue. This page shows its progress.")
                % {"total": batch.total},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:warranty_certificatebatch_change", args=[batch.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Issue support certificates in bulk"),
            "form": form,
            "pending": selectors.installations_to_certify(on=timezone.localdate()).count(),
        }
        return TemplateResponse(request, "admin/warranty/certificatebatch/start.html", context)
