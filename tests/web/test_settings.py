"""Configuration from the environment: just works locally, refuses to run unsafely in production."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

DJANGO_ADMIN = Path(sys.executable).with_name("django-admin")
KEY = "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz"


def _check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KRUTT_")}
    environment.update(
        {"KRUTT_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "krutt.web.settings", **env}
    )
    return subprocess.run(
        [str(DJANGO_ADMIN), "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _check(tmp_path, KRUTT_ENV="production", KRUTT_ALLOWED_HOSTS="krutt.example.no")
    assert result.returncode != 0
    assert "KRUTT_ENV=production needs KRUTT_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = _check(tmp_path, KRUTT_ENV="production", KRUTT_SECRET_KEY=KEY)
    assert result.returncode != 0
    assert "KRUTT_ENV=production needs KRUTT_ALLOWED_HOSTS" in result.stderr


def test_production_settings_pass_djangos_deployment_checklist(tmp_path):
    result = _check(
        tmp_path,
        KRUTT_ENV="production",
        KRUTT_SECRET_KEY=KEY,
        KRUTT_ALLOWED_HOSTS="krutt.example.no",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_development_generates_and_keeps_a_private_secret_key(tmp_path):
    from krutt.web import config

    os.environ["KRUTT_DATA_DIR"] = str(tmp_path)
    try:
        first = config.development_secret_key()
        second = config.development_secret_key()
    finally:
        del os.environ["KRUTT_DATA_DIR"]
    assert first == second
    assert len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_the_sqlite_database_runs_in_wal_mode(tmp_path):
    krutt = Path(sys.executable).with_name("krutt")
    db = tmp_path / "krutt.sqlite3"
    env = {**os.environ, "KRUTT_DATA_DIR": str(tmp_path), "KRUTT_DATABASE_URL": f"sqlite:///{db}"}
    subprocess.run([str(krutt), "init"], env=env, check=True, capture_output=True, timeout=120)
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_sqlite_connections_are_durable_and_wait_for_locks(tmp_path):
    # Read in a process of its own, so the test also runs when the suite is on PostgreSQL.
    script = (
        "import json; from django.conf import settings; "
        "d = settings.DATABASES['default']; print(json.dumps([d['ENGINE'], d['OPTIONS']]))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("KRUTT_")}
    env.update(
        {
            "KRUTT_DATA_DIR": str(tmp_path),
            "KRUTT_DATABASE_URL": f"sqlite:///{tmp_path / 'krutt.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "krutt.web.settings",
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    engine, options = json.loads(result.stdout)
    assert engine == "django.db.backends.sqlite3"
    assert options["init_command"] == "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
    assert options["timeout"] == 60
    assert options["transaction_mode"] == "IMMEDIATE"


def test_a_lock_wait_that_is_not_a_number_of_seconds_is_refused(tmp_path):
    result = _check(tmp_path, KRUTT_DB_LOCK_WAIT_SECONDS="soon")
    assert result.returncode != 0
    assert "KRUTT_DB_LOCK_WAIT_SECONDS must be a number of seconds" in result.stderr


def test_the_lock_wait_is_sqlites_busy_timeout_and_defaults_to_a_minute(tmp_path):
    script = (
        "from django.conf import settings; "
        "print(settings.DB_LOCK_WAIT_SECONDS, settings.DATABASES['default']['OPTIONS']['timeout'])"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("KRUTT_")}
    base.update({"KRUTT_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "krutt.web.settings"})
    for extra, expected in (({}, "60.0 60.0"), ({"KRUTT_DB_LOCK_WAIT_SECONDS": "5"}, "5.0 5.0")):
        result = subprocess.run(
            [sys.executable, "-c", "import django; django.setup(); " + script],
            env={**base, **extra},
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        assert result.stdout.strip() == expected
