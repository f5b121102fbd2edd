from __future__ import annotations

import pytest

from cases.tests.factories import engineer, manager


@pytest.fixture
def eng(db):
    return engineer(username="ing.kb", first_name="Laura", last_name="Gómez")


@pytest.fixture
def mgr(db):
    return manager(username="ger.kb", first_name="Jorge", last_name="Ruiz")
