"""Software assurance on the desk: a case's installation with its version/build history, and the
form that records an update applied on the case (an activity of the case)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.idempotency import idempotent
from cases.models import Case
from contracts.actors import request_actor

from .models import SoftwareUpdate
from .services import software_update_apply
from .update_forms import SoftwareUpdateForm


@login_required
@permission_required("warranty.view_softwareupdate", raise_exception=True)
@require_http_methods(["GET", "POST"])
@idempotent
def case_update(request: HttpRequest, number: str) -> HttpResponse:
    case = (
        Case.objects.select_related("installation__product", "contract", "customer")
        .filter(number=number)
        .first()
    )
    if case is None:
        raise Http404
    form = SoftwareUpdateForm(request.POST or None, prefix="update")
    status = 200
    if request.method == "POST":
        if not request.user.has_perm("warranty.add_softwareupdate"):
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                software_update_apply(
                    case=case,
                    actor=request_actor(request),
                    to_version=data["to_version"],
                    to_build=data["to_build"],
                    scheduled_for=form.scheduled_for(),
                    reason=data["reason"],
                    notes=data["notes"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Software update recorded on the case."))
                return redirect(reverse("cases:detail", kwargs={"number": case.number}) + "#timeline")
        status = 400
    history = SoftwareUpdate.objects.filter(installation=case.installation).select_related(
        "case", "applied_by"
    )
    return render(
        request,
        "warranty/case_update.html",
        {"case": case, "form": form, "history": history.order_by("-scheduled_for", "-id")},
        status=status,
    )
