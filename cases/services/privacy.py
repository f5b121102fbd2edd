"""A contact's personal data in the cases (Ley 1581 de 2012): the export's part — the cases they
requested, what they wrote and uploaded, their survey answers — and, when a former contact is
anonymised, their name replaced in the timeline's text so the history still reads."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Replace

from contracts.models import TechnicalContact

from ..models import Case, CaseActivity, CaseAttachment, SurveyResponse


def contact_case_data(*, contact: TechnicalContact) -> tuple[dict[str, Any], list[CaseAttachment]]:
    """The cases part of the export, and the files the contact uploaded (to add to the archive)."""
    user_id = contact.user_id
    cases = Case.objects.filter(requester=contact).order_by("registered_at", "pk")
    written = (
        CaseActivity.objects.filter(author_id=user_id).select_related("case").order_by("created_at", "pk")
        if user_id
        else CaseActivity.objects.none()
    )
    files = list(
        CaseAttachment.objects.filter(activity__author_id=user_id).select_related("case").order_by("pk")
        if user_id
        else []
    )
    data = {
        "cases_requested": [
            {
                "number": case.number,
                "subject": case.subject,
                "description": case.description,
                "status": case.status,
                "registered_at": case.registered_at.isoformat(),
                "closed_at": case.closed_at.isoformat() if case.closed_at else None,
            }
            for case in cases
        ],
        "activities_written": [
            {
                "case": activity.case.number,
                "kind": activity.kind,
                "at": activity.created_at.isoformat(),
                "text": activity.body,
            }
            for activity in written
        ],
        "files_uploaded": [
            {"case": f.case.number, "name": f.original_name, "size": f.size, "sha256": f.sha256}
            for f in files
        ],
        "survey_answers": [
            {
                "case": answer.case.number,
                "answered_at": answer.answered_at.isoformat(),
                "attention_time": answer.attention_time,
                "technical_knowledge": answer.technical_knowledge,
                "courtesy": answer.courtesy,
                "solution_quality": answer.solution_quality,
                "comment": answer.comment,
            }
            for answer in SurveyResponse.objects.filter(contact=contact).select_related("case")
        ],
    }
    return data, files


@transaction.atomic
def cases_forget_name(*, customer_id: int, name: str, replacement: str) -> int:
    """Replace the name in the text of the customer's cases (timeline and descriptions); returns
    the rows changed. The rest of each entry is kept: the history stays readable."""
    if not name.strip():
        return 0
    changed = CaseActivity.objects.filter(case__customer_id=customer_id, body__contains=name).update(
        body=Replace("body", Value(name), Value(replacement))
    )
    changed += Case.objects.filter(Q(customer_id=customer_id), Q(description__contains=name)).update(
        description=Replace("description", Value(name), Value(replacement))
    )
    return changed
