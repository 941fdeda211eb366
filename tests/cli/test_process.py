"""The real `krutt` executable in its own process: exit codes, one-line errors, no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from krutt import __version__
from tests.conftest import DATA

KRUTT = Path(sys.executable).with_name("krutt")


@pytest.fixture
def run(tmp_path: Path):
    env = {
        **os.environ,
        "KRUTT_DATA_DIR": str(tmp_path / "data"),
        "KRUTT_DATABASE_URL": f"sqlite:///{tmp_path / 'krutt.sqlite3'}",
        "KRUTT_LANG": "en",
    }
    env.pop("KRUTT_TRACEBACK", None)

    def krutt(*args: object) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(KRUTT), *map(str, args)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    return krutt


def test_version(run):
    result = run("--version")
    assert (result.returncode, result.stdout) == (0, f"krutt {__version__}\n")


def test_init_is_idempotent_and_says_where_the_data_is(run, tmp_path):
    first, second = run("init"), run("init")
    assert first.returncode == second.returncode == 0
    assert (
        first.stdout == second.stdout == f"krutt: database ready at {tmp_path / 'krutt.sqlite3'}\n"
    )


def test_commands_before_init_ask_for_init(run, tmp_path):
    result = run("segments")
    assert result.returncode == 2
    assert result.stderr == (
        f"krutt: The database at {tmp_path / 'krutt.sqlite3'} is not set up (or is older than krutt); run krutt init.\n"
    )


def test_an_error_is_one_line_without_a_traceback(run):
    run("init")
    run("import", "sellers", DATA / "sellers.csv")
    result = run("log", "--seller", "nobody@x.no", "--minutes", "30", "--activity", "coaching")
    assert result.returncode == 2
    assert result.stderr == "krutt: No seller has the e-mail address nobody@x.no.\n"
    assert "Traceback" not in result.stdout + result.stderr


def test_an_unreachable_database_is_one_line_and_exit_1(run, tmp_path):
    env_url = "postgresql://nobody@127.0.0.1:9/none"
    result = subprocess.run(
        [str(KRUTT), "segments"],
        env={**os.environ, "KRUTT_DATA_DIR": str(tmp_path), "KRUTT_DATABASE_URL": env_url},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("krutt: unexpected error (OperationalError: ")
    assert result.stderr.count("\n") == 1


def test_usage_errors_exit_2(run):
    result = run("report", "--week")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "argument --week: expected one argument" in result.stderr


def test_production_mode_refuses_to_serve_without_a_secret(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KRUTT_")}
    env.update(
        {
            "KRUTT_ENV": "production",
            "KRUTT_DATA_DIR": str(tmp_path),
            "KRUTT_ALLOWED_HOSTS": "krutt.example.no",
        }
    )
    result = subprocess.run(
        [str(KRUTT), "serve"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 2
    assert result.stderr == (
        "krutt: krutt is not configured: KRUTT_ENV=production needs KRUTT_SECRET_KEY (50+ random characters).\n"
    )
