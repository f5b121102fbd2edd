"""The authorisation matrix: every portal and staff URL, and what each kind of user gets.

Table-driven: a page that lands adds its rows to ROUTES (portal pages by number and by id, GET and
POST, on company A's objects). test_matrix.py requests each row as every role and checks the status;
where a contact of another company (or anyone) is refused, it also checks the database did not change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from .world import World

ROLES = ("anonymous", "a1", "a2", "b1", "engineer", "manager")

# Expected statuses per role. None: not checked for that role (e.g. a staff POST that would change
# something the row is not about).
Expect = dict[str, int | None]


def expect(
    anonymous: int | None,
    a1: int | None,
    a2: int | None,
    b1: int | None,
    engineer: int | None,
    manager: int | None,
) -> Expect:
    return dict(zip(ROLES, (anonymous, a1, a2, b1, engineer, manager), strict=True))


# A company-A portal page: A's contacts see it, B's contact and staff get 404.
PORTAL_A = expect(302, 200, 200, 404, 404, 404)
# The same page POSTed although it only answers GET: A's contacts 405, everyone else still 404.
PORTAL_A_WRONG_METHOD = expect(302, 405, 405, 404, 404, 404)
# Any contact's own portal page.
PORTAL_ANY = expect(302, 200, 200, 200, 404, 404)
# Something nobody reaches through the portal (internal, or another company's through A's case).
PORTAL_NOBODY = expect(302, 404, 404, 404, 404, 404)
# A staff page: contacts get 404, never the desk.
DESK = expect(302, 404, 404, 404, 200, 200)
# A staff page that changes state: contacts get 404 (staff not exercised here).
DESK_POST = expect(302, 404, 404, 404, None, None)


@dataclass(frozen=True)
class Route:
    label: str
    url: Callable[[World], str]
    expected: Expect
    method: str = "get"
    data: Callable[[World], dict[str, Any]] = field(default=lambda w: {})


def _a(w: World) -> str:
    return w.case_a.number


def _asset_a(w: World) -> Any:
    """Company A's unit under warranty (built with the world)."""
    from warranty.models import HardwareAsset

    return HardwareAsset.objects.get(serial_number="A-UNIT-1")


def _monthly(w: World, company: str) -> Any:
    """A monthly SLA report of company A or B (November 2026), made once per world."""
    from datetime import date

    from django.core.files.base import ContentFile

    from contracts.tests.clock import TEST_NOW
    from reports.models import MonthlyReport

    case = w.case_a if company == "a" else w.case_b
    report = MonthlyReport.objects.filter(customer_id=case.customer_id).first()
    if report is None:
        report = MonthlyReport(
            customer_id=case.customer_id, month=date(2026, 11, 1), figures={}, generated_at=TEST_NOW
        )
        report.pdf.save(f"matrix-{company}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return report


def _article(w: World, kind: str) -> Any:
    """A knowledge article of company A's product: public, internal (published) or a draft."""
    from knowledge.models import Article, ArticleState, Visibility
    from knowledge.tests.factories import article

    title = f"Artículo {kind} de la matriz"
    found = Article.objects.filter(title=title).first()
    if found is not None:
        return found
    return article(
        author=w.engineer,
        publisher=w.manager,
        product=w.case_a.product,
        title=title,
        state=ArticleState.DRAFT if kind == "draft" else ArticleState.PUBLISHED,
        visibility=Visibility.INTERNAL if kind == "internal" else Visibility.PUBLIC,
    )


ROUTES: list[Route] = [
    # --- portal ------------------------------------------------------------------------------
    Route("portal list", lambda w: reverse("portal:home"), PORTAL_ANY),
    Route("portal case by number", lambda w: reverse("portal:case_detail", args=[_a(w)]), PORTAL_A),
    Route("portal case by id", lambda w: reverse("portal:case_by_id", args=[w.case_a.pk]), PORTAL_A),
    Route(
        "portal case by number, POST",
        lambda w: reverse("portal:case_detail", args=[_a(w)]),
        PORTAL_A_WRONG_METHOD,
        method="post",
        data=lambda w: {"body": "intento"},
    ),
    Route(
        "portal case by id, POST",
        lambda w: reverse("portal:case_by_id", args=[w.case_a.pk]),
        PORTAL_A_WRONG_METHOD,
        method="post",
    ),
    Route("portal countdown", lambda w: reverse("portal:case_clock", args=[_a(w)]), PORTAL_A),
    Route(
        "portal countdown, POST",
        lambda w: reverse("portal:case_clock", args=[_a(w)]),
        PORTAL_A_WRONG_METHOD,
        method="post",
    ),
    Route(
        "portal public attachment by number",
        lambda w: reverse("portal:attachment", args=[_a(w), w.public_file.pk]),
        PORTAL_A,
    ),
    Route(
        "portal public attachment by id",
        lambda w: reverse("portal:attachment_by_id", args=[w.case_a.pk, w.public_file.pk]),
        PORTAL_A,
    ),
    Route(
        "portal public attachment, POST",
        lambda w: reverse("portal:attachment", args=[_a(w), w.public_file.pk]),
        PORTAL_A_WRONG_METHOD,
        method="post",
    ),
    Route(
        "portal internal attachment",
        lambda w: reverse("portal:attachment", args=[_a(w), w.internal_file.pk]),
        PORTAL_NOBODY,
    ),
    Route(
        "portal internal attachment by id",
        lambda w: reverse("portal:attachment_by_id", args=[w.case_a.pk, w.internal_file.pk]),
        PORTAL_NOBODY,
    ),
    Route(
        "portal: B's attachment through A's case",
        lambda w: reverse("portal:attachment", args=[_a(w), w.case_b_file.pk]),
        PORTAL_NOBODY,
    ),
    Route(
        "portal: unknown case",
        lambda w: reverse("portal:case_detail", args=["SMA-2026-999999"]),
        PORTAL_NOBODY,
    ),
    # --- portal: company page, contact data, product news (portal-survey) ----------------------
    Route("portal company page", lambda w: reverse("portal:company"), PORTAL_ANY),
    Route(
        "portal company page, POST",
        lambda w: reverse("portal:company"),
        expect(302, 405, 405, 405, 404, 404),
        method="post",
    ),
    Route("portal contact data change", lambda w: reverse("portal:contact_change"), PORTAL_ANY),
    Route(
        "portal contact data change, invalid POST",
        lambda w: reverse("portal:contact_change"),
        expect(302, 200, 200, 200, 404, 404),  # the form again, nothing requested
        method="post",
        data=lambda w: {"full_name": "", "email": "no"},
    ),
    Route("portal product news", lambda w: reverse("portal:news"), PORTAL_ANY),
    Route(
        "portal product news, subscribe without consent",
        lambda w: reverse("portal:news"),
        expect(302, 200, 200, 200, 404, 404),
        method="post",
        data=lambda w: {"action": "subscribe"},
    ),
    # --- portal: warranty and preventive maintenance (warranty12) ------------------------------
    Route("portal warranty page", lambda w: reverse("portal:warranty"), PORTAL_ANY),
    Route(
        "portal warranty unit", lambda w: reverse("portal:warranty_asset", args=[_asset_a(w).pk]), PORTAL_A
    ),
    Route(
        "portal warranty unit, POST",
        lambda w: reverse("portal:warranty_asset", args=[_asset_a(w).pk]),
        PORTAL_A_WRONG_METHOD,
        method="post",
    ),
    Route(
        "portal maintenance request, invalid POST",
        lambda w: reverse("portal:warranty_maintenance"),
        expect(302, 400, 400, 400, 404, 404),  # the form again, nothing scheduled
        method="post",
        data=lambda w: {"pm-day": "2026-12-03"},
    ),
    # (the company's own maintenance: portal/tests/test_warranty.py, B's contact included)
    Route(
        "portal maintenance cancel, no such maintenance",
        lambda w: reverse("portal:warranty_maintenance_cancel", args=[987654]),
        PORTAL_NOBODY,
        method="post",
        data=lambda w: {"cancel-987654-reason": "x"},
    ),
    Route(
        "desk maintenance cancel",
        lambda w: reverse("warranty:maintenance_cancel", args=[987654]),
        expect(302, 404, 404, 404, 404, 404),
        method="post",
        data=lambda w: {"cancel-987654-reason": "x"},
    ),
    # --- links from e-mails: the token is the credential, whoever is signed in ------------------
    Route(
        "survey with an unknown token",
        lambda w: reverse("portal:survey", args=[_a(w), "A" * 43]),
        expect(404, 404, 404, 404, 404, 404),
    ),
    Route(
        "survey with an unknown token, POST",
        lambda w: reverse("portal:survey", args=[_a(w), "A" * 43]),
        expect(404, 404, 404, 404, 404, 404),
        method="post",
        data=lambda w: {
            "attention_time": "5",
            "technical_knowledge": "5",
            "courtesy": "5",
            "solution_quality": "5",
        },
    ),
    Route("survey thanks", lambda w: reverse("portal:survey_thanks"), expect(200, 200, 200, 200, 200, 200)),
    Route(
        "unsubscribe with an altered link",
        lambda w: reverse("portal:news_unsubscribe", args=["eyJjIjoxfQ:altered"]),
        expect(404, 404, 404, 404, 404, 404),
    ),
    Route(
        "unsubscribe with an altered link, POST",
        lambda w: reverse("portal:news_unsubscribe", args=["eyJjIjoxfQ:altered"]),
        expect(404, 404, 404, 404, 404, 404),
        method="post",
        data=lambda w: {"List-Unsubscribe": "One-Click"},
    ),
    # --- a contact's requests and actions (portal-act) ---------------------------------------
    Route("portal new request", lambda w: reverse("portal:case_new"), PORTAL_ANY),
    Route(
        "portal new request, POST",
        lambda w: reverse("portal:case_new"),
        # A contact's POST registers a case of their own company (portal/tests/test_request.py).
        expect(302, None, None, None, 404, 404),
        method="post",
        data=lambda w: {"subject": "intento", "description": "intento"},
    ),
    Route(
        "portal new request, PUT",
        lambda w: reverse("portal:case_new"),
        expect(302, 405, 405, 405, 404, 404),
        method="put",
    ),
    *[
        Route(
            f"portal case action {slug}",
            lambda w, slug=slug: reverse("portal:case_action", args=[_a(w), slug]),
            # A's contacts act (portal/tests/test_actions.py); B's contact and staff: 404, nothing changes.
            expect(302, None, None, 404, 404, 404),
            method="post",
            data=lambda w: {
                "comment-body": "intrusión",
                "reject-reason": "intrusión",
                "reopen-reason": "intrusión",
                "pqr-kind": "claim",
                "pqr-description": "intrusión",
                "pqr_climb-note": "intrusión",
                "copy-email": w.a2.email,
                "uncopy-contact": w.a2.pk,
            },
        )
        for slug in ("comentar", "aceptar", "rechazar", "reabrir", "pqr", "pqr-escalar", "copiar", "quitar-copia")
    ],
    *[
        Route(
            f"portal case action {slug}, GET",
            lambda w, slug=slug: reverse("portal:case_action", args=[_a(w), slug]),
            PORTAL_A_WRONG_METHOD,
        )
        for slug in ("comentar", "aceptar")
    ],
    # --- the knowledge base (kb14): published public articles only; others are 404 for everyone ---
    Route("portal help articles", lambda w: reverse("portal:knowledge_list"), PORTAL_ANY),
    Route(
        "portal help articles, POST",
        lambda w: reverse("portal:knowledge_list"),
        expect(302, 405, 405, 405, 404, 404),
        method="post",
    ),
    Route(
        "portal public article",
        lambda w: reverse("portal:knowledge_article", args=[_article(w, "public").pk]),
        PORTAL_ANY,
    ),
    *[
        Route(
            f"portal {kind} article",
            lambda w, kind=kind: reverse("portal:knowledge_article", args=[_article(w, kind).pk]),
            PORTAL_NOBODY,
        )
        for kind in ("internal", "draft")
    ],
    Route(
        "portal file of an internal article",
        lambda w: reverse("portal:knowledge_attachment", args=[_article(w, "internal").pk, 1]),
        PORTAL_NOBODY,
    ),
    Route(
        "portal article suggestions",
        lambda w: reverse("portal:knowledge_suggestions") + "?q=ERR-4012",
        PORTAL_ANY,
    ),
    Route(
        "portal 'this solved it' on a public article",
        lambda w: reverse("portal:knowledge_solved", args=[_article(w, "public").pk]),
        # Any contact may say so (portal/tests/test_knowledge.py); staff: 404, nothing recorded.
        expect(302, None, None, None, 404, 404),
        method="post",
        data=lambda w: {"q": "ERR-4012"},
    ),
    Route(
        "portal 'this solved it' on an internal article",
        lambda w: reverse("portal:knowledge_solved", args=[_article(w, "internal").pk]),
        PORTAL_NOBODY,
        method="post",
    ),
    Route(
        "portal 'this solved it', GET",
        lambda w: reverse("portal:knowledge_solved", args=[_article(w, "public").pk]),
        expect(302, 405, 405, 405, 404, 404),
    ),
    # --- support certificates: A's by number and by id; B's is B's only; verification is public ---
    Route("portal certificates", lambda w: reverse("portal:certificates"), PORTAL_ANY),
    Route(
        "portal certificate by number",
        lambda w: reverse("portal:certificate", args=[w.certificate_a.number]),
        PORTAL_A,
    ),
    Route(
        "portal certificate by id",
        lambda w: reverse("portal:certificate_by_id", args=[w.certificate_a.pk]),
        PORTAL_A,
    ),
    Route(
        "portal certificate, POST",
        lambda w: reverse("portal:certificate", args=[w.certificate_a.number]),
        PORTAL_A_WRONG_METHOD,
        method="post",
    ),
    Route(
        "portal: B's certificate by number",
        lambda w: reverse("portal:certificate", args=[w.certificate_b.number]),
        expect(302, 404, 404, 200, 404, 404),
    ),
    Route(
        "portal: B's certificate by id",
        lambda w: reverse("portal:certificate_by_id", args=[w.certificate_b.pk]),
        expect(302, 404, 404, 200, 404, 404),
    ),
    Route(
        "portal: unknown certificate",
        lambda w: reverse("portal:certificate", args=["CS-2026-99999"]),
        PORTAL_NOBODY,
    ),
    # --- monthly SLA reports: A's for A's contacts, B's for B's; the desk's list for managers ---
    Route("portal monthly reports", lambda w: reverse("portal_reports:list"), PORTAL_ANY),
    Route(
        "portal monthly report of A",
        lambda w: reverse("portal_reports:download", args=[_monthly(w, "a").pk]),
        PORTAL_A,
    ),
    Route(
        "portal monthly report of A, POST",
        lambda w: reverse("portal_reports:download", args=[_monthly(w, "a").pk]),
        PORTAL_A_WRONG_METHOD,
        method="post",
    ),
    Route(
        "portal: B's monthly report",
        lambda w: reverse("portal_reports:download", args=[_monthly(w, "b").pk]),
        expect(302, 404, 404, 200, 404, 404),
    ),
    Route(
        "portal: unknown monthly report",
        lambda w: reverse("portal_reports:download", args=[999999]),
        PORTAL_NOBODY,
    ),
    Route("desk monthly reports", lambda w: reverse("reports:monthly"), expect(302, 404, 404, 404, 403, 200)),
    Route(
        "desk monthly report of A",
        lambda w: reverse("reports:monthly_pdf", args=[_monthly(w, "a").pk]),
        expect(302, 404, 404, 404, 403, 200),
    ),
    Route("public verification", lambda w: reverse("verify"), expect(200, 200, 200, 200, 200, 200)),
    Route(
        "public verification of A's certificate",
        lambda w: reverse("verify_code", args=[w.certificate_a.code]),
        expect(200, 200, 200, 200, 200, 200),
    ),
    # --- staff -------------------------------------------------------------------------------
    Route("home", lambda w: reverse("home"), expect(302, 302, 302, 302, 200, 200)),
    Route("desk list", lambda w: reverse("cases:list"), DESK),
    Route("desk registration", lambda w: reverse("cases:register"), DESK),
    Route("desk case", lambda w: reverse("cases:detail", args=[_a(w)]), DESK),
    Route(
        "desk attachment",
        lambda w: reverse("cases:attachment", args=[_a(w), w.internal_file.pk]),
        DESK,
    ),
    Route(
        "desk action",
        lambda w: reverse("cases:action", args=[_a(w), "activity"]),
        DESK_POST,
        method="post",
        data=lambda w: {"activity-kind": "internal_note", "activity-body": "intrusión"},
    ),
    # --- managers' reports: contacts 404, engineers 403 (A's case met its deadline: 404 to all) ---
    Route(
        "breach report of a case in time",
        lambda w: reverse("reports:breach", args=[_a(w)]),
        expect(302, 404, 404, 404, 403, 404),
    ),
    Route(
        "breach report PDF of a case in time",
        lambda w: reverse("reports:breach_pdf", args=[_a(w)]),
        expect(302, 404, 404, 404, 403, 404),
    ),
    Route(
        "breach report sending",
        lambda w: reverse("reports:breach_send", args=[_a(w)]),
        expect(302, 404, 404, 404, 403, None),
        method="post",
    ),
    Route("PQR queue", lambda w: reverse("escalation:pqr_queue"), DESK),
    Route("desk case PQRs", lambda w: reverse("escalation:case_pqr", args=[_a(w)]), DESK),
    Route("SLA simulator", lambda w: reverse("contracts:sla_simulator"), DESK),
    Route("desk knowledge base", lambda w: reverse("knowledge:list"), DESK),
    Route("desk new article", lambda w: reverse("knowledge:new"), DESK),
    Route("desk internal article", lambda w: reverse("knowledge:detail", args=[_article(w, "internal").pk]), DESK),
    Route(
        "desk article from a case",
        lambda w: reverse("cases:article_from_case", args=[_a(w)]),
        DESK_POST,
        method="post",
    ),
    Route("IVR lookup", lambda w: reverse("escalation:ivr_lookup"), expect(None, 404, 404, 404, None, None)),
    Route("admin", lambda w: reverse("admin:index"), expect(302, 404, 404, 404, 200, 200)),
    # --- everyone ------------------------------------------------------------------------------
    Route("forgot password", lambda w: reverse("password_reset"), expect(200, 200, 200, 200, 200, 200)),
]
