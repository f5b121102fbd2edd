from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.admin_lists import LargeTableAdmin
from contracts.actors import request_actor

from .models import (
    CustomerEmail,
    EscalationContact,
    EscalationLevel,
    EscalationRule,
    InboundEmail,
    MailHistoryCutoff,
    Notification,
    OnCallShift,
    Pqr,
    PqrStep,
)
from .services.inbound import inbound_dismiss, inbound_process, inbound_release
from .services.rules import escalation_rule_delete, escalation_rule_save


class EscalationContactInline(admin.TabularInline):
    model = EscalationContact
    extra = 0
    fields = ["order", "name", "role", "phone_extension", "mobile", "email", "user", "is_active"]


# An active contact notifications reach: a staff account that is active, or an e-mail address.
REACHABLE_CONTACT = Q(contacts__is_active=True) & (
    Q(contacts__user__is_active=True, contacts__user__is_staff=True) | ~Q(contacts__email="")
)


@admin.register(EscalationLevel)
class EscalationLevelAdmin(admin.ModelAdmin):
    """The matrix; a level none of whose active contacts has an e-mail or a staff account is
    flagged in the list (every notice to it would reach nobody)."""

    list_display = ["number", "name", "reach"]
    inlines = [EscalationContactInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[EscalationLevel]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                reachable_count=Count("contacts", filter=REACHABLE_CONTACT, distinct=True),
                active_count=Count("contacts", filter=Q(contacts__is_active=True), distinct=True),
            )
        )

    @admin.display(description=gettext_lazy("who is reached"), ordering="reachable_count")
    def reach(self, obj: EscalationLevel) -> str:
        reachable = getattr(obj, "reachable_count", 0)
        if not reachable:
            return format_html(
                '<strong class="sma-unreachable" style="color:#b02a37">{}</strong>',
                _("Nobody: no contact has an e-mail or a staff account"),
            )
        return _("%(reachable)d of %(active)d active contacts") % {
            "reachable": reachable,
            "active": getattr(obj, "active_count", 0),
        }

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        unreachable = [
            f"N{number}"
            for number in EscalationLevel.objects.annotate(
                reachable_count=Count("contacts", filter=REACHABLE_CONTACT)
            )
            .filter(reachable_count=0)
            .order_by("number")
            .values_list("number", flat=True)
        ]
        if unreachable and request.method == "GET":
            self.message_user(
                request,
                _(
                    "Nobody can be reached at %(levels)s: notices to these levels reach nobody. Link "
                    "each contact to a staff account or give an e-mail."
                )
                % {"levels": ", ".join(unreachable)},
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)


@admin.register(EscalationRule)
class EscalationRuleAdmin(admin.ModelAdmin):
    """Edits go through the service: the first warning rule is also the lists' "at risk"."""

    list_display = ["share_percent", "name", "target", "level", "is_active"]
    list_editable = ["is_active"]

    def save_model(self, request: HttpRequest, obj: EscalationRule, form: Any, change: bool) -> None:
        escalation_rule_save(rule=obj, actor=request_actor(request))

    def delete_model(self, request: HttpRequest, obj: EscalationRule) -> None:
        escalation_rule_delete(rule=obj, actor=request_actor(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[EscalationRule]) -> None:
        for rule in queryset:
            escalation_rule_delete(rule=rule, actor=request_actor(request))


@admin.register(OnCallShift)
class OnCallShiftAdmin(admin.ModelAdmin):
    list_display = ["engineer", "starts_at", "ends_at", "phone", "notes"]
    list_select_related = ["engineer"]
    date_hierarchy = "starts_at"


@admin.register(Notification)
class NotificationAdmin(LargeTableAdmin):
    """The notification log: read-only."""

    case_number_field = "case__number"
    list_display = ["created_at", "case", "kind", "level", "delivery", "attempts"]
    list_filter = ["kind", "level", "reached_nobody"]
    search_fields = ["case__number", "subject"]
    list_select_related = ["case", "level"]
    readonly_fields = ["delivery", *(f.name for f in Notification._meta.fields)]

    @admin.display(description=gettext_lazy("delivery"), ordering="sent_at")
    def delivery(self, obj: Notification) -> str:
        if obj.reached_nobody:
            return format_html(
                '<strong class="sma-unreachable" style="color:#b02a37">{}</strong>', _("Reached nobody")
            )
        if obj.sent_at is None:
            return _("Pending")
        local = timezone.localtime(obj.sent_at)
        return _("Sent %(at)s") % {"at": f"{local:%d/%m/%Y %H:%M}"}

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- Incoming e-mail (support address) -----------------------------------------------------------


@admin.register(InboundEmail)
class InboundEmailAdmin(LargeTableAdmin):
    """Every message received at the support address, kept whole: read-only, with what became of
    it; failed ones can be processed again, held ones (Bcc or list copies) handled or dismissed
    after review, and the original message downloaded."""

    list_display = ["received_at", "status", "from_address", "subject", "sent_at", "case", "attempts"]
    list_filter = ["status", "source"]
    search_fields = ["from_address", "subject", "message_id", "case__number"]
    list_select_related = ["case"]
    date_hierarchy = "received_at"
    case_number_field = "case__number"
    actions = ["process_again", "handle_held", "dismiss_held"]
    exclude = ["raw", "defects"]

    def get_queryset(self, request: HttpRequest):
        # The raw message is read only to download it, never for the list.
        return super().get_queryset(request).defer("raw")

    readonly_fields = [
        "received_at",
        "sent_at",
        "source",
        "from_address",
        "subject",
        "message_id",
        "sha256",
        "status",
        "error",
        "parser_defects",
        "attempts",
        "processed_at",
        "reviewed_by",
        "reviewed_at",
        "case",
        "activity",
        "refusal",
        "original_message",
    ]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.download_raw)
        return [path("<int:pk>/mensaje.eml", view, name="escalation_inboundemail_raw"), *super().get_urls()]

    def download_raw(self, request: HttpRequest, pk: int) -> HttpResponse:
        inbound = get_object_or_404(InboundEmail, pk=pk)
        if not self.has_view_permission(request, inbound):
            return HttpResponse(status=403)
        response = HttpResponse(bytes(inbound.raw), content_type="message/rfc822")
        response["Content-Disposition"] = f'attachment; filename="correo-{inbound.pk}.eml"'
        response["X-Content-Type-Options"] = "nosniff"
        return response

    @admin.display(description=gettext_lazy("original message"))
    def original_message(self, obj: InboundEmail) -> str:
        url = reverse("admin:escalation_inboundemail_raw", args=[obj.pk])
        return format_html('<a href="{}">{}</a> ({} bytes)', url, _("Download (.eml)"), len(obj.raw or b""))

    @admin.display(description=gettext_lazy("parser defects"))
    def parser_defects(self, obj: InboundEmail) -> str:
        return "\n".join(obj.defects or []) or "—"

    def has_process_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("escalation.change_inboundemail")

    def _held(self, queryset: QuerySet[InboundEmail]) -> list[int]:
        return list(queryset.filter(status=InboundEmail.Status.HELD).values_list("pk", flat=True))

    @admin.action(
        description=gettext_lazy("Handle held messages"),
        permissions=["process"],
    )
    def handle_held(self, request: HttpRequest, queryset: QuerySet[InboundEmail]) -> None:
        held = self._held(queryset)
        results = [inbound_release(inbound_id=pk, actor=request.user) for pk in held]  # type: ignore[arg-type]
        failed = sum(1 for r in results if r.status == InboundEmail.Status.FAILED)
        self.message_user(
            request,
            _("%(done)s held message(s) handled, %(failed)s failed; %(skipped)s were not held.")
            % {"done": len(results) - failed, "failed": failed, "skipped": queryset.count() - len(held)},
            messages.WARNING if failed else messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Dismiss held messages (not a request)"), permissions=["process"])
    def dismiss_held(self, request: HttpRequest, queryset: QuerySet[InboundEmail]) -> None:
        held = self._held(queryset)
        for pk in held:
            inbound_dismiss(inbound_id=pk, actor=request.user)  # type: ignore[arg-type]
        self.message_user(
            request,
            _("%(done)s held message(s) dismissed; %(skipped)s were not held.")
            % {"done": len(held), "skipped": queryset.count() - len(held)},
        )

    @admin.action(description=gettext_lazy("Process again (failed messages)"), permissions=["process"])
    def process_again(self, request: HttpRequest, queryset: QuerySet[InboundEmail]) -> None:
        failed = list(queryset.filter(status=InboundEmail.Status.FAILED).values_list("pk", flat=True))
        results = [inbound_process(inbound_id=pk, retry=True) for pk in failed]
        still = sum(1 for r in results if r.status == InboundEmail.Status.FAILED)
        self.message_user(
            request,
            _("%(done)s message(s) processed again, %(failed)s still failing; %(skipped)s were not failed.")
            % {"done": len(results) - still, "failed": still, "skipped": queryset.count() - len(failed)},
            messages.WARNING if still else messages.SUCCESS,
        )


class PqrStepInline(admin.TabularInline):
    model = PqrStep
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "level",
        "reason",
        "reached_at",
        "ack_due_at",
        "acknowledged_at",
        "acknowledged_by",
        "note",
    )

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Pqr)
class PqrAdmin(admin.ModelAdmin):
    """PQRs are handled on their case's page; here they are read."""

    list_display = ["__str__", "case", "kind", "level", "status", "raised_at"]
    list_filter = ["status", "kind", "level"]
    search_fields = ["case__number", "description"]
    list_select_related = ["case", "level"]
    readonly_fields = [f.name for f in Pqr._meta.fields]
    inlines = [PqrStepInline]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MailHistoryCutoff)
class MailHistoryCutoffAdmin(admin.ModelAdmin):
    """Why events before an instant were not e-mailed (history loaded): read-only."""

    list_display = ["starts_at", "reason", "set_at"]
    readonly_fields = ["starts_at", "reason", "set_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CustomerEmail)
class CustomerEmailAdmin(LargeTableAdmin):
    """The log of e-mails to customers: read-only."""

    case_number_field = "case__number"
    list_display = ["created_at", "event", "case", "to_email", "subject", "sent_at", "attempts"]
    list_filter = ["event", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["case__number", "to_email", "subject"]
    list_select_related = ["case"]
    readonly_fields = [f.name for f in CustomerEmail._meta.fields]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


from . import admin_news  # noqa: E402, F401  (registers the product-news mailings)
