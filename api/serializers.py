"""What the API reads and writes, as JSON: input checked here, rules applied by the services.

The help texts document the schema for integrators (in English, like the operations' descriptions);
the messages an integration receives are translated.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from cases.models import INTERACTION_KINDS, CaseKind, CaseStatus, Scope
from cases.selectors import CaseListItem
from contracts.models import Priority

# --- reading ------------------------------------------------------------------------------------


class CaseListItemSerializer(serializers.Serializer):
    """One case of a list page (cases.selectors.CaseListItem)."""

    number = serializers.CharField()
    subject = serializers.CharField()
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    priority = serializers.CharField(help_text="P1 to P4; empty while an engineer has not set it.")
    customer = serializers.CharField(source="customer_name")
    plan = serializers.CharField(source="plan_code")
    product = serializers.CharField(source="product_name")
    assignee = serializers.CharField(source="assignee_username", allow_null=True)
    registered_at = serializers.DateTimeField()
    attention_due_at = serializers.DateTimeField(allow_null=True)
    first_response_at = serializers.DateTimeField(allow_null=True)
    attention_met = serializers.BooleanField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)


def _instant(value: datetime | None) -> str | None:
    """As DRF's DateTimeField writes it: ISO 8601 in the current time zone (America/Bogota)."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def case_list_item_json(item: CaseListItem) -> dict[str, Any]:
    """CaseListItemSerializer's output, written directly: a page of 200 cases through DRF's field
    machinery costs tens of milliseconds of Python (a test checks that both agree)."""
    return {
        "number": item.number,
        "subject": item.subject,
        "status": item.status,
        "priority": item.priority,
        "customer": item.customer_name,
        "plan": item.plan_code,
        "product": item.product_name,
        "assignee": item.assignee_username,
        "registered_at": _instant(item.registered_at),
        "attention_due_at": _instant(item.attention_due_at),
        "first_response_at": _instant(item.first_response_at),
        "attention_met": item.attention_met,
        "closed_at": _instant(item.closed_at),
    }


class CasePageSerializer(serializers.Serializer):
    results = CaseListItemSerializer(many=True)
    next = serializers.CharField(allow_null=True, help_text="The next page's address; null on the last page.")
    next_cursor = serializers.CharField(
        allow_null=True, help_text="The next page's cursor (the `cursor` parameter)."
    )


class ActivitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    created_at = serializers.DateTimeField()
    author = serializers.SerializerMethodField(help_text="The engineer's user name, or null.")
    api_key = serializers.SerializerMethodField(
        help_text="The integration (API key name) that wrote it, or null."
    )
    is_public = serializers.BooleanField(help_text="False: internal, never shown to the customer.")
    body = serializers.CharField()

    def get_author(self, activity: Any) -> str | None:
        return activity.author.get_username() if activity.author_id else None

    def get_api_key(self, activity: Any) -> str | None:
        return (activity.data or {}).get("api_key")


class CaseDetailSerializer(serializers.Serializer):
    number = serializers.CharField()
    subject = serializers.CharField()
    description = serializers.CharField()
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    priority = serializers.CharField()
    tier = serializers.IntegerField()
    kind = serializers.CharField()
    channel = serializers.CharField()
    customer_number = serializers.CharField(source="customer.customer_number")
    customer = serializers.CharField(source="customer.name")
    contract = serializers.CharField(source="contract.number")
    plan = serializers.CharField(source="plan.code")
    product = serializers.CharField(source="product.name")
    installation = serializers.IntegerField(source="installation_id")
    product_version = serializers.CharField()
    requester = serializers.CharField(source="requester.full_name")
    requester_email = serializers.EmailField(source="requester.email")
    assignee = serializers.SerializerMethodField()
    registered_at = serializers.DateTimeField()
    attention_due_at = serializers.DateTimeField(allow_null=True)
    first_response_at = serializers.DateTimeField(allow_null=True)
    attention_met = serializers.BooleanField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    solution = serializers.CharField()
    activities = ActivitySerializer(
        many=True,
        help_text=(
            "The newest page of the timeline (50 activities, oldest first), public and internal "
            "alike: integrations are trusted like staff. Older pages: `activities_page`."
        ),
    )
    activities_total = serializers.IntegerField()
    activities_page = serializers.IntegerField()
    activities_pages = serializers.IntegerField()

    def get_assignee(self, case: Any) -> str | None:
        return case.assigned_to.get_username() if case.assigned_to_id else None


class OnDutySerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()
    until = serializers.DateTimeField()


class EntitlementSerializer(serializers.Serializer):
    """escalation.selectors.customer_entitlement: the same answer the phone IVR gets."""

    found = serializers.BooleanField()
    customer = serializers.CharField()
    contract_in_force = serializers.BooleanField()
    plan = serializers.CharField(allow_null=True)
    plan_name = serializers.CharField(allow_null=True)
    within_plan_hours = serializers.BooleanField()
    office_hours = serializers.BooleanField()
    on_duty = OnDutySerializer(allow_null=True)


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField(help_text="A stable code, e.g. no_contract, not_licensed, invalid.")
    detail = serializers.CharField(help_text="The message, in Spanish unless Accept-Language: en.")
    fields = serializers.DictField(required=False, help_text="Each invalid field's messages.")


# --- writing ------------------------------------------------------------------------------------


class CaseRegistrationSerializer(serializers.Serializer):
    """A request to register; the desk's and the portal's rules decide whether it becomes a case."""

    customer = serializers.RegexField(
        r"^\d{1,12}$", max_length=12, help_text="The customer number (as keyed in at the IVR)."
    )
    requester_email = serializers.EmailField(
        help_text="The e-mail of the customer's designated technical contact who asks."
    )
    installation = serializers.IntegerField(min_value=1, help_text="The installation's id.")
    priority = serializers.ChoiceField(choices=Priority.choices, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=CaseKind.choices, default=CaseKind.INCIDENT)
    scope = serializers.ChoiceField(choices=Scope.choices, default=Scope.PRODUCT)
    subject = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=20_000)
    product_version = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    product_build = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    operating_system = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    os_version = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    reproducer = serializers.CharField(max_length=20_000, required=False, allow_blank=True, default="")


class ActivityInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[(k.value, k.label) for k in INTERACTION_KINDS])
    body = serializers.CharField(max_length=20_000)
    minutes_spent = serializers.IntegerField(
        required=False,
        default=0,
        help_text="Time spent, in minutes; at tiers 1 and 2 it draws from the contract's hour bank.",
    )
    is_public = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Visible to the customer; by default every kind but an internal note is.",
    )
