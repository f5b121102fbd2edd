"""Satisfaction surveys: the link's token (stored hashed, for one case, 30 days, once) and the
answer (four ratings 1–5 as integer columns the reports average in SQL)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from cases import services
from cases.models import CloseReason, SolutionKind, SurveyOwed, SurveyResponse
from cases.services.surveys import (
    VALID_FOR,
    SurveyAnswers,
    SurveyLinkError,
    survey_answer,
    survey_for_link,
    survey_issue_token,
)
from cases.tests.factories import customer_setup, engineer, registered_case
from contracts.tests.clock import TEST_NOW

pytestmark = pytest.mark.django_db

ANSWERS = SurveyAnswers(
    attention_time=5, technical_knowledge=4, courtesy=5, solution_quality=3, comment="Bien"
)


def closed_case(setup=None):
    eng = engineer()
    case = registered_case(setup=setup, now=TEST_NOW - timedelta(days=2))
    services.case_propose_solution(
        case=case, actor=eng, solution_kind=SolutionKind.PROCEDURE, solution="Reinicie el servicio CTLog."
    )
    services.case_close(case=case, actor=eng, reason=CloseReason.ACCEPTED, now=TEST_NOW - timedelta(days=1))
    case.refresh_from_db()
    return case


@pytest.fixture
def issued():
    case = closed_case()
    survey = SurveyOwed.objects.get(case=case)
    token = survey_issue_token(survey=survey, now=TEST_NOW)
    return case, survey, token


def test_the_token_is_256_random_bits_and_only_its_sha256_is_stored(issued) -> None:
    _case, survey, token = issued
    survey.refresh_from_db()
    assert len(token) == 43  # token_urlsafe(32): 256 bits
    assert survey.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(SurveyOwed.objects.filter(pk=survey.pk).values().get())
    assert survey.expires_at == TEST_NOW + VALID_FOR == TEST_NOW + timedelta(days=30)
    other = SurveyOwed.objects.get(case=closed_case())
    assert survey_issue_token(survey=other, now=TEST_NOW) != token


def test_opening_the_link_reads_and_stores_nothing(issued) -> None:
    case, survey, token = issued
    assert survey_for_link(case_number=case.number, token=token, now=TEST_NOW).pk == survey.pk
    assert survey_for_link(case_number=case.number, token=token, now=TEST_NOW).pk == survey.pk
    assert not SurveyResponse.objects.exists()


def test_the_link_answers_once_and_stores_the_four_ratings(issued) -> None:
    case, survey, token = issued
    response = survey_answer(case_number=case.number, token=token, answers=ANSWERS, now=TEST_NOW)
    assert (response.survey, response.case, response.contact) == (survey, case, case.requester)
    assert (response.attention_time, response.technical_knowledge, response.courtesy) == (5, 4, 5)
    assert response.solution_quality == 3 and response.comment == "Bien"
    with pytest.raises(SurveyLinkError) as reused:
        survey_answer(case_number=case.number, token=token, answers=ANSWERS, now=TEST_NOW)
    assert reused.value.code == "answered"
    with pytest.raises(SurveyLinkError):
        survey_for_link(case_number=case.number, token=token, now=TEST_NOW)
    assert SurveyResponse.objects.count() == 1


def test_another_cases_number_with_this_token_is_refused(issued) -> None:
    _case, _survey, token = issued
    other = closed_case()
    with pytest.raises(SurveyLinkError) as refused:
        survey_answer(case_number=other.number, token=token, answers=ANSWERS, now=TEST_NOW)
    assert refused.value.code == "invalid"
    assert not SurveyResponse.objects.exists()


def test_an_altered_or_malformed_token_is_refused(issued) -> None:
    case, _survey, token = issued
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (altered, token[:-1], token + "x", "", "../../etc", "ñ" * 43):
        with pytest.raises(SurveyLinkError) as refused:
            survey_answer(case_number=case.number, token=bad, answers=ANSWERS, now=TEST_NOW)
        assert refused.value.code == "invalid"
    assert not SurveyResponse.objects.exists()


def test_the_link_expires_30_days_after_sending(issued, clock) -> None:
    case, _survey, token = issued
    almost = TEST_NOW + timedelta(days=30) - timedelta(seconds=1)
    assert survey_for_link(case_number=case.number, token=token, now=almost)
    clock.move_to(TEST_NOW + timedelta(days=30))  # the services' own clock, as a view would call them
    with pytest.raises(SurveyLinkError) as expired:
        survey_answer(case_number=case.number, token=token, answers=ANSWERS)
    assert expired.value.code == "expired"
    assert not SurveyResponse.objects.exists()


def test_an_unsent_survey_has_no_link() -> None:
    case = closed_case()
    with pytest.raises(SurveyLinkError):
        survey_for_link(case_number=case.number, token="A" * 43, now=TEST_NOW)


def test_ratings_outside_1_to_5_are_refused_by_the_service_and_the_database(issued) -> None:
    case, survey, token = issued
    for bad in (0, 6, -1):
        with pytest.raises(services.surveys.CaseError):
            survey_answer(
                case_number=case.number,
                token=token,
                answers=SurveyAnswers(
                    attention_time=bad, technical_knowledge=3, courtesy=3, solution_quality=3
                ),
                now=TEST_NOW,
            )
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(
            survey=survey,
            case=case,
            contact=case.requester,
            answered_at=TEST_NOW,
            attention_time=3,
            technical_knowledge=3,
            courtesy=9,
            solution_quality=3,
        )
    assert not SurveyResponse.objects.exists()


def test_reports_average_each_aspect_and_the_response_rate_in_sql() -> None:
    setup = customer_setup()
    cases = [closed_case(setup) for _ in range(3)]
    for case, (a, t, c, s) in zip(cases[:2], [(5, 4, 3, 2), (3, 4, 5, 4)], strict=True):
        survey = SurveyOwed.objects.get(case=case)
        token = survey_issue_token(survey=survey, now=TEST_NOW)
        SurveyOwed.objects.filter(pk=survey.pk).update(sent_at=TEST_NOW)
        survey_answer(
            case_number=case.number,
            token=token,
            answers=SurveyAnswers(attention_time=a, technical_knowledge=t, courtesy=c, solution_quality=s),
            now=TEST_NOW,
        )
    SurveyOwed.objects.filter(case=cases[2]).update(sent_at=TEST_NOW)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT avg(r.attention_time), avg(r.technical_knowledge), avg(r.courtesy),
                   avg(r.solution_quality), count(r.id)::float / count(s.id)
            FROM cases_surveyowed s LEFT JOIN cases_surveyresponse r ON r.survey_id = s.id
            WHERE s.sent_at IS NOT NULL
            """
        )
        row = cursor.fetchone()
    assert [float(v) for v in row[:4]] == [4.0, 4.0, 4.0, 3.0]
    assert row[4] == pytest.approx(2 / 3)
