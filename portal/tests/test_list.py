"""The portal's case list: filters, pagination in SQL, a bounded number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from cases.models import Case, CaseStatus
from cases.search import search_document
from cases.tests.factories import CaseFactory, customer_setup
from contracts.tests.factories import InstallationFactory

from .world import World

pytestmark = pytest.mark.django_db


def _setup_of(world: World) -> dict:
    customer = world.a1.customer
    contract = world.case_a.contract
    return {
        "customer": customer,
        "contract": contract,
        "installation": world.case_a.installation,
        "requester": world.a1,
    }


def _searchable(*cases: Case) -> None:
    """CaseFactory writes rows directly; the search text is what registration would have written."""
    for case in cases:
        case.search_document = search_document(
            number=case.number, customer_name=case.customer.name, subject=case.subject, description=case.description
        )
        case.save(update_fields=["search_document"])


def _numbers(client, **params) -> list[str]:
    response = client.get(reverse("portal:home"), params)
    assert response.status_code == 200
    return [row.number for row in response.context["rows"]]


def test_filters(client, world) -> None:
    setup = _setup_of(world)
    other = InstallationFactory(customer=setup["customer"])
    setup["contract"].installations.add(other)
    closed = CaseFactory(setup=setup, status=CaseStatus.CLOSED, priority="P1", subject="Troncal caída cerrada")
    waiting = CaseFactory(
        setup={**setup, "installation": other}, status=CaseStatus.WAITING_CUSTOMER, priority="P4", subject="Licencias"
    )
    foreign_case = CaseFactory(setup=customer_setup(), subject="Troncal de otra empresa")  # never listed
    _searchable(closed, waiting, foreign_case)
    client.force_login(world.a1.user)

    default = _numbers(client)
    assert closed.number not in default and waiting.number in default and world.case_a.number in default
    assert _numbers(client, state="closed") == [closed.number]
    assert set(_numbers(client, state="all")) == {closed.number, waiting.number, world.case_a.number,
                                                   world.case_a_waiting.number}
    assert _numbers(client, state="all", status="waiting_customer") == [waiting.number]
    assert _numbers(client, state="all", priority="P1") == [closed.number]
    assert _numbers(client, state="all", product=other.product_id) == [waiting.number]
    assert _numbers(client, state="all", q="troncal") == [closed.number]
    # A product of another company is no choice: the filter is dropped, the others still apply.
    foreign = world.case_b.product_id
    assert set(_numbers(client, state="all", product=foreign)) == set(_numbers(client, state="all"))


def test_pagination_newest_first(client, world) -> None:
    setup = _setup_of(world)
    start = world.case_a.registered_at
    made = [CaseFactory(setup=setup, registered_at=start - timedelta(hours=i + 1)) for i in range(25)]
    client.force_login(world.a2.user)
    first = client.get(reverse("portal:home"))
    assert len(first.context["rows"]) == 20 and first.context["page"].pages == 2
    second = client.get(reverse("portal:home"), {"page": 2})
    numbers = [r.number for r in first.context["rows"]] + [r.number for r in second.context["rows"]]
    assert len(set(numbers)) == 27
    assert numbers[-1] == made[-1].number  # the oldest last
    assert "Página 2 de 2" in second.content.decode()
    assert client.get(reverse("portal:home"), {"page": "x"}).status_code == 200
    assert client.get(reverse("portal:home"), {"page": 99}).context["page"].page == 2


def test_list_query_count_is_bounded(client, world, django_assert_max_num_queries) -> None:
    setup = _setup_of(world)
    _searchable(*[
        CaseFactory(setup=setup, registered_at=world.case_a.registered_at - timedelta(hours=i)) for i in range(30)
    ])
    client.force_login(world.a1.user)
    client.get(reverse("portal:home"))  # warm the per-process caches (SLA snapshot)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("portal:home"), {"state": "all", "priority": "P3", "q": "caso"})
    assert response.status_code == 200 and response.context["rows"]
    with django_assert_max_num_queries(10):
        assert client.get(reverse("portal:home")).status_code == 200


def test_case_page_query_count_is_bounded(client, world, django_assert_max_num_queries) -> None:
    client.force_login(world.a1.user)
    url = reverse("portal:case_detail", args=[world.case_a.number])
    client.get(url)
    # 12 before the copies panel, which reads the company's other contacts and who is copied in
    # one query (portal.selectors.case_copies).
    with django_assert_max_num_queries(13):
        assert client.get(url).status_code == 200
