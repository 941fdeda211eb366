"""Uploaded files kept between the preview and the commit, under a name krutt makes up.

The user's file name is shown, never used as a path: the file is stored as
`<data dir>/uploads/<random token>.upload` (mode 0600) and found again by the token,
which only the uploader's session knows. Size and type are checked on the bytes before
anything else reads them; files left behind are removed after a day. The preview worked
out for an upload and its choices is kept beside it, so a reload does not read it again.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import secrets
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from krutt.domain.messages import gettext_noop
from krutt.importers.workbooks import XLS_MAGIC, XLSX_MAGIC
from krutt.web.config import data_dir

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
KEEP_SECONDS = 24 * 60 * 60
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
_BINARY = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf", "7-Zip"),
)

TOO_LARGE = gettext_noop("The file is larger than 50 MB; export a shorter period.")
EMPTY = gettext_noop("The file is empty.")
NOT_DEALS = gettext_noop(
    "This is not a CSV or Excel file; export the deals from your CRM as CSV or XLSX."
)
NOT_TABLE = gettext_noop("This is not a CSV or Excel file; save it as CSV or XLSX.")
NOT_CALENDAR = gettext_noop("This is not a calendar file; export the calendar as iCalendar (.ics).")


class UploadRefused(Exception):
    """The upload cannot be used; `message` is the msgid to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def content_kind(head: bytes) -> str:
    """What the first bytes of a file say it is: `spreadsheet`, `calendar`, `text` or `binary`."""
    if head.startswith((XLSX_MAGIC, XLS_MAGIC)):
        return "spreadsheet"
    if any(head.startswith(magic) for magic, _ in _BINARY):
        return "binary"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head[2:].decode("utf-16-le" if head[:1] == b"\xff" else "utf-16-be", "replace")
    else:
        if b"\x00" in head:
            return "binary"
        text = head.decode("utf-8", "replace")
    if text.lstrip("\ufeff \t\r\n").upper().startswith("BEGIN:VCALENDAR"):
        return "calendar"
    return "text"


def check_upload(kind: str, head: bytes, size: int) -> None:
    """Refuse a file too large, empty, or of the wrong type for `kind` (deals or calendar)."""
    if size > MAX_UPLOAD_BYTES:
        raise UploadRefused(TOO_LARGE)
    if size == 0 or not head.strip():
        raise UploadRefused(EMPTY)
    found = content_kind(head)
    if kind == "calendar" and found != "calendar":
        raise UploadRefused(NOT_CALENDAR)
    if kind == "deals" and found not in ("spreadsheet", "text"):
        raise UploadRefused(NOT_DEALS)
    if kind in ("sellers", "performance") and found not in ("spreadsheet", "text"):
        raise UploadRefused(NOT_TABLE)


def _folder() -> Path:
    folder = data_dir() / "uploads"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def store_upload(kind: str, chunks: Iterable[bytes], size: int) -> str:
    """Check the file and keep it; the token to find it by. Raises UploadRefused."""
    purge_uploads()
    rest = iter(chunks)
    head = b""
    for chunk in rest:
        head += chunk
        if len(head) >= 4096:
            break
    check_upload(kind, head[:4096], size)
    token = secrets.token_urlsafe(24)
    path = _folder() / f"{token}.upload"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(head)
            written = len(head)
            for chunk in rest:
                written += len(chunk)
                if written > MAX_UPLOAD_BYTES:
                    raise UploadRefused(TOO_LARGE)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return token


def upload_path(token: str) -> Path | None:
    """The kept file for this token, or None (a token krutt did not make finds nothing)."""
    if not isinstance(token, str) or not _TOKEN.match(token):
        return None
    path = _folder() / f"{token}.upload"
    return path if path.is_file() else None


def discard_upload(token: str) -> None:
    path = upload_path(token)
    if path is not None:
        path.unlink(missing_ok=True)
        for kept in _folder().glob(f"{token}.*.preview"):
            kept.unlink(missing_ok=True)


def _preview_path(token: str, choices: Mapping[str, Any]) -> Path | None:
    if upload_path(token) is None:
        return None
    key = hashlib.sha256(json.dumps(choices, sort_keys=True, default=str).encode()).hexdigest()
    return _folder() / f"{token}.{key[:24]}.preview"


def kept_preview(token: str, choices: Mapping[str, Any]) -> Any | None:
    """The preview worked out before for this upload and these choices, or None.

    Kept beside the upload (mode 0600, written only by krutt itself), so a reload does
    not read the file again: for a large or hostile spreadsheet that is the costly part.
    """
    path = _preview_path(token, choices)
    if path is None or not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)  # noqa: S301 - krutt's own file, never the user's bytes
    except Exception:  # a preview kept by an older krutt: work it out again
        path.unlink(missing_ok=True)
        return None


def keep_preview(token: str, choices: Mapping[str, Any], outcome: Any) -> None:
    path = _preview_path(token, choices)
    if path is None:
        return
    partial = path.with_suffix(".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        pickle.dump(outcome, handle, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(path)


def purge_uploads(now: float | None = None) -> None:
    """Remove kept files older than a day (previews that were never committed)."""
    limit = (now if now is not None else time.time()) - KEEP_SECONDS
    for path in [*_folder().glob("*.upload"), *_folder().glob("*.preview")]:
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:
            continue
