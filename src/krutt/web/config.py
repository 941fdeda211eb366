"""Reading krutt's configuration from the environment (every variable is in .env.example)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from platformdirs import user_data_dir


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if not value:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str) -> list[str]:
    return [item.strip() for item in env(name).split(",") if item.strip()]


def data_dir() -> Path:
    """Where krutt keeps its SQLite file and generated secret: KRUTT_DATA_DIR or the user data dir."""
    path = Path(env("KRUTT_DATA_DIR") or user_data_dir("krutt", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    url = env("KRUTT_DATABASE_URL") or env("DATABASE_URL")
    return url or f"sqlite:///{data_dir() / 'krutt.sqlite3'}"


def development_secret_key() -> str:
    """A random key kept in the data dir, so a local install just works and sessions survive restarts."""
    path = data_dir() / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()
