"""Running `krutt …` in-process against the test database, as a user would type it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from krutt.cli.main import main
from tests.conftest import DATA


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def krutt(capsys: pytest.CaptureFixture[str], db: None) -> Callable[..., Result]:
    def run(*args: str) -> Result:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def sample_team(krutt: Callable[..., Result]) -> Callable[..., Result]:
    """The sample roster, targets and actuals of «Salg Øst» loaded."""
    for kind, name in (
        ("sellers", "sellers.csv"),
        ("performance", "targets.csv"),
        ("performance", "actuals.csv"),
    ):
        result = krutt("import", kind, DATA / name)
        assert result.code == 0, result.err
    return krutt
