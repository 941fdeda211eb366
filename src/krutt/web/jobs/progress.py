"""How far a background import has come, in a small file beside its upload.

The import runs in one transaction until its end, so a counter in the database would
stay invisible to the page that polls it (and on SQLite would wait for the write lock).
The file is written whole and renamed into place, so a reader never sees half of it.
Web and worker processes already share the uploads folder: the worker reads the upload.
"""

from __future__ import annotations

import json
from pathlib import Path

from krutt.web.imports.uploads import upload_path


def _file(token: str) -> Path | None:
    upload = upload_path(token)
    return upload.with_suffix(".progress") if upload is not None else None


def write_progress(token: str, *, done: int, total: int) -> None:
    path = _file(token)
    if path is None:
        return
    temporary = path.with_suffix(".progress-new")
    temporary.write_text(json.dumps({"done": done, "total": total}), encoding="utf-8")
    temporary.replace(path)


def read_progress(token: str) -> tuple[int, int] | None:
    """(lines done, lines in all), or None before the job has started reading."""
    path = _file(token)
    if path is None or not path.is_file():
        return None
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
        return int(found["done"]), int(found["total"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def clear_progress(token: str) -> None:
    path = _file(token)
    if path is not None:
        path.unlink(missing_ok=True)
