"""Suite-wide settings: Hypothesis profiles (HYPOTHESIS_PROFILE=ci|nightly) and sample paths."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("nightly", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

REPO = Path(__file__).resolve().parent.parent
# The shared samples live beside the repository; tests use the copies in tests/data.
DATA = Path(__file__).resolve().parent / "data"
