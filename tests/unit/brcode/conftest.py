"""Fixtures for pixgate.brcode tests; makes `src/` importable when not installed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]

try:
    import pixgate.brcode  # noqa: F401
except ImportError:  # not installed editable: use the source tree
    sys.path.insert(0, str(REPO_ROOT / "src"))

GOLDEN = (
    "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR"
    "5913Fulano de Tal6008BRASILIA62070503***63041D3D"
)
GOLDEN_KEY = "123e4567-e12b-12d1-a456-426655440000"
DYNAMIC = (
    "00020101021226700014br.gov.bcb.pix2548pix.example.com/8b3da2f39a4140d1a91abd93113bd441"
    "5204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***630464E4"
)


@pytest.fixture
def golden() -> str:
    return GOLDEN


@pytest.fixture
def dynamic_code() -> str:
    return DYNAMIC
