"""The REST API's endpoints: check input, fetch with the owning apps' selectors, call their services.

No rule lives here: registration and activities are the cases app's services (the desk's and the
portal's rules and messages), the list is the desk's filters (cases.selectors), the entitlement is
the IVR's answer (escalation.selectors).
"""

from __future__ import annotations

import re
from typing import Any

from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import selectors as case_selectors
from cases import services as case_services
from cases.forms import FilterForm
from cases.models import Case, CaseActivity, Channel
from contracts import selectors as contract_selectors
from contracts.models import Installation, TechnicalContact
from escalation.selectors import customer_entitlement

from . import pagination
from .idempotency import HEADER as IDEMPOTENCY_HEADER
from .idempotency import idempotent
from .models import ApiKey
from .serializers import (
    ActivityInputSerializer,
    ActivitySerializer,
    CaseDetailSerializer,
    CasePageSerializer,
    CaseRegistrationSerializer,
    EntitlementSerializer,
    ErrorSerializer,
    case_list_item_json,
)

USERNAME = re.compile(r"[\w.@+-]{1,150}")

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input, or refused by the rules."),
    401: OpenApiResponse(ErrorSerializer, description="No key, or a wrong, revoked or expired one."),
    403: OpenApiResponse(ErrorSerializer, description="A read-only key asked to write."),
    429: OpenApiResponse(ErrorSerializer, description="More requests than the key's rate."),
}
IDEMPOTENCY = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=(
        "Optional, 8-64 characters: the same write sent again with the same key (a retry after a "
        "timeout) gets the first one's answer, with `Idempotent-Replayed: true`, and changes nothing."
    ),
)
ENGLISH = OpenApiParameter(
    "Accept-Language",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="`en` for messages in English; Spanish (es-CO) otherwise.",
)


class ApiView(APIView):
    """Speaks Spanish unless the request asks for English (``Accept-Language: en``)."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        language = translation.get_language_from_request(request._request)
        translation.activate(language)
        request._request.LANGUAGE_CODE = translation.get_language()
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)  # contacts' names and e-mails: kept by no cache
        response.headers["Content-Language"] = translation.get_language()
        response.headers["Vary"] = ", ".join(
            v for v in (response.headers.get("Vary"), "Accept-Language") if v
        )
        return response

    @property
    def key(self) -> ApiKey:
        assert isinstance(self.request.auth, ApiKey)
        return self.request.auth

    def audit(self) -> dict[str, str]:
        """What every write's audit row keeps of who made it: the integration's key name."""
        return {"api_key": self.key.name, "api_key_prefix": self.key.prefix}


def _case_or_404(number: str) -> Case:
    case = case_selectors.case_for_detail(number=number)
    if case is None:
        raise NotFound(_("There is no case %(number)s.") % {"number": number})
    return case


class _CaseWithTimeline:
    """The case, and one page of its timeline under the names the detail serializer reads."""

    def __init__(self, case: Case, timeline: case_selectors.Timeline) -> None:
        self._case = case
        self.activities = timeline.activities
        self.activities_total = timeline.total
        self.activities_page = timeline.page
        self.activities_pages = timeline.pages

    def __getattr__(self, name: str) -> Any:
        return getattr(self._case, name)


def _detail(case: Case, *, page: int = 1) -> Any:
    timeline = case_selectors.case_timeline(case=case, page=page)
    return CaseDetailSerializer(_CaseWithTimeline(case, timeline)).data


FILTER_PARAMETERS = [
    OpenApiParameter("status", str, description="open (default), all, or one status, as on the desk."),
    OpenApiParameter("priority", str, description="P1 … P4."),
    OpenApiParameter("plan", str, description="The plan's code."),
    OpenApiParameter("customer", str, description="The customer number."),
    OpenApiParameter("assignee", str, description="An engineer's user name, or `none` (unassigned)."),
    OpenApiParameter("sla", str, description="breached, at_risk, unanswered, met or missed."),
    OpenApiParameter("q", str, description="Search on number, customer, subject and description."),
    OpenApiParameter("cursor", str, description="The `next_cursor` of the previous page."),
    OpenApiParameter("limit", int, description="Cases per page, 1 to 200 (50)."),
    ENGLISH,
]


class CaseListView(ApiView):
    @extend_schema(
        operation_id="cases_list",
        summary="List cases, newest first",
        description=(
            "The desk's filters, newest first by registration, a page at a time by cursor: "
            "follow `next` (or pass `next_cursor` as `cursor`) until it is null. Each page costs "
            "the same however deep it is."
        ),
        parameters=FILTER_PARAMETERS,
        responses={200: CasePageSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        filters = self._filters(request)
        cursor_text = request.query_params.get("cursor", "")
        cursor = pagination.Cursor.decode(cursor_text) if cursor_text else None
        limit = pagination.page_limit(request.query_params.get("limit"))
        now = timezone.now()

        def cases(**kwargs: bool) -> Any:
            qs = case_selectors.case_queryset(filters=filters, user_id=None, now=now, **kwargs)
            return pagination.after(qs, cursor)

        # As the desk does: a capped count first (at most COUNT_CAP + 1 index entries) tells whether
        # the matches are few (sorted apart) or many (read walking the sort's index).
        _total, capped = case_selectors.capped_count(cases(count=True))
        many_search = capped and bool(filters.q)
        items = case_selectors.case_page_items(
            cases(many=True) if many_search else cases(),
            page=1,
            per_page=limit + 1,
            few=not capped,
            walk=many_search,
        )
        more = len(items) > limit
        items = items[:limit]
        next_cursor = (
            pagination.Cursor(items[-1].registered_at, items[-1].pk).encode() if more and items else None
        )
        next_url = None
        if next_cursor:
            query = request.query_params.copy()
            query["cursor"] = next_cursor
            next_url = request.build_absolute_uri(request.path + "?" + query.urlencode())
        results = [case_list_item_json(item) for item in items]  # = CaseListItemSerializer
        return Response({"results": results, "next": next_url, "next_cursor": next_cursor})

    @extend_schema(
        operation_id="cases_create",
        summary="Register a case",
        description=(
            "The same rules and messages as the desk and the portal (designated contact, contract "
            "in force, product licensed and covered, not obsolete, in scope). A refused request is "
            "recorded, as on the desk, and answered 400 with the reason's code and message. The "
            "case's channel is `api`; its registration records the key's name. Needs a write key."
        ),
        request=CaseRegistrationSerializer,
        parameters=[IDEMPOTENCY, ENGLISH],
        responses={201: CaseDetailSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        return idempotent(request, self.key, lambda: self._register(request))

    def _register(self, request: Request) -> Response:
        given = CaseRegistrationSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        customer = contract_selectors.customer_by_number(customer_number=data.pop("customer"))
        if customer is None:
            raise ValidationError({"customer": [_("There is no active customer with that number.")]})
        email = data.pop("requester_email")
        requester = (
            TechnicalContact.objects.filter(customer=customer, email__iexact=email)
            .order_by("-is_active", "pk")
            .first()
        )
        if requester is None:
            raise ValidationError(
                {
                    "requester_email": [
                        _("%(customer)s has no technical contact with the e-mail %(email)s.")
                        % {"customer": customer.name, "email": email}
                    ]
                }
            )
        installation = (
            Installation.objects.select_related("product").filter(pk=data.pop("installation")).first()
        )
        if installation is None:
            raise ValidationError({"installation": [_("There is no installation with that id.")]})
        case = case_services.case_register(
            actor=None,
            customer=customer,
            requester=requester,
            installation=installation,
            channel=Channel.API,
            priority=data.pop("priority", "") or "",
            audit=self.audit(),
            **data,
        )
        fresh = _case_or_404(case.number)
        response = Response(_detail(fresh), status=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(f"{request.path}{case.number}/")
        return response

    def _filters(self, request: Request) -> case_selectors.CaseFilters:
        params = request.query_params
        data = {name: params.get(name, "") for name in ("status", "priority", "plan", "sla", "q")}
        errors: dict[str, list[str]] = {}
        customer_number = params.get("customer", "").strip()
        if customer_number:
            customer = (
                contract_selectors.customer_by_number(customer_number=customer_number)
                if customer_number.isascii() and customer_number.isdigit()
                else None
            )
            if customer is None:
                errors["customer"] = [_("There is no active customer with that number.")]
            else:
                data["customer"] = str(customer.pk)
        assignee = params.get("assignee", "").strip()
        if assignee == "none":
            data["assignee"] = "none"
        elif assignee:
            from django.contrib.auth import get_user_model

            user = (
                get_user_model().objects.filter(username=assignee).only("pk").first()
                if USERNAME.fullmatch(assignee)
                else None
            )
            if user is None:
                errors["assignee"] = [_("There is no engineer with that user name.")]
            else:
                data["assignee"] = str(user.pk)
        form = FilterForm(data)
        if not form.is_valid() or errors:
            raise ValidationError({**errors, **{f: list(e) for f, e in form.errors.items()}})
        cleaned = form.cleaned_data
        return case_selectors.CaseFilters(
            status=cleaned.get("status") or "open",
            priority=cleaned.get("priority") or "",
            plan=cleaned.get("plan") or "",
            customer=cleaned.get("customer"),
            assignee=cleaned.get("assignee") or "",
            sla=cleaned.get("sla") or "",
            q=cleaned.get("q") or "",
            sort=pagination.ORDER,
        )


def replay_answer(request: Request, *, status: int, kept: dict[str, Any]) -> Response:
    """The answer to a write sent again (api.idempotency): what it wrote, read as it is now."""
    if "case" in kept:
        case = _case_or_404(kept["case"])
        response = Response(_detail(case), status=status)
        response["Location"] = request.build_absolute_uri(f"{request.path}{case.number}/")
        return response
    if "activity" in kept:
        activity = CaseActivity.objects.select_related("author").get(pk=kept["activity"])
        return Response(ActivitySerializer(activity).data, status=status)
    return Response(kept, status=status)


class CaseDetailView(ApiView):
    @extend_schema(
        operation_id="cases_read",
        summary="Read a case",
        description=(
            "The case with its timeline, public and internal activities alike (each says which): "
            "an integration is trusted like staff. `activities_page` pages back from the newest."
        ),
        parameters=[
            OpenApiParameter("activities_page", int, description="Timeline page from the newest (1)."),
            ENGLISH,
        ],
        responses={200: CaseDetailSerializer, 404: ErrorSerializer, **ERRORS},
    )
    def get(self, request: Request, number: str) -> Response:
        case = _case_or_404(number)
        page = case_selectors.timeline_page(request.query_params.get("activities_page"))
        return Response(_detail(case, page=page))


class CaseActivityView(ApiView):
    @extend_schema(
        operation_id="cases_activities_create",
        summary="Add an activity to a case",
        description=(
            "A phone call, e-mail, remote session, on-site visit or internal note, with the desk's "
            "rules (the first public one with the customer stops the attention clock; an on-site "
            "visit needs the manager's authorisation; a closed case must be reopened first). "
            "The activity records the key's name. Needs a write key."
        ),
        request=ActivityInputSerializer,
        parameters=[IDEMPOTENCY, ENGLISH],
        responses={201: ActivitySerializer, 404: ErrorSerializer, **ERRORS},
    )
    def post(self, request: Request, number: str) -> Response:
        return idempotent(request, self.key, lambda: self._add(request, number))

    def _add(self, request: Request, number: str) -> Response:
        case = _case_or_404(number)
        given = ActivityInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        activity = case_services.case_log_activity(
            case=case,
            actor=None,
            kind=given.validated_data["kind"],
            body=given.validated_data["body"],
            is_public=given.validated_data["is_public"],
            minutes_spent=given.validated_data["minutes_spent"],
            audit=self.audit(),
        )
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


class EntitlementView(ApiView):
    @extend_schema(
        operation_id="customers_entitlement",
        summary="A customer's entitlement now",
        description=(
            "Contract in force, plan, whether now is inside the plan's hours and the office's, and "
            "outside office hours the engineer on duty: the phone IVR's answer (/ivr/cliente/)."
        ),
        parameters=[ENGLISH],
        responses={200: EntitlementSerializer, 404: ErrorSerializer, **ERRORS},
    )
    def get(self, request: Request, number: str) -> Response:
        customer = (
            contract_selectors.customer_by_number(customer_number=number)
            if number.isascii() and number.isdigit()
            else None
        )
        if customer is None:
            raise NotFound(_("There is no active customer with that number."))
        return Response(customer_entitlement(customer=customer, now=timezone.now()))
