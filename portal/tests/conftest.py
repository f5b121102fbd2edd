from __future__ import annotations

from pathlib import Path

import pytest

from .world import World, build_world


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def world(db) -> World:
    return build_world()
