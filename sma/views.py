from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import selectors as case_selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    context = {}
    if request.user.has_perm("cases.view_case") and request.user.pk is not None:
        counts = case_selectors.my_counters(user_id=request.user.pk, now=timezone.now())
        base = reverse("cases:list")
        context["my_counters"] = [
            (
                key,
                label,
                counts[key],
                base + "?" + urlencode({"status": "open", "assignee": "me", **extra}),
                tone,
            )
            for key, label, extra, tone in (
                ("open", _("My open cases"), {}, "info"),
                ("unanswered", _("Unanswered"), {"sla": "unanswered"}, "warn"),
                ("at_risk", _("At risk"), {"sla": "at_risk"}, "warn"),
                ("breached", _("Breached"), {"sla": "breached"}, "bad"),
            )
        ]
    return render(request, "home.html", context)
