"""One seller's data as a ZIP: `seller.json`, the same sections as formula-safe CSV, a README.

The document is plain data (sections of rows); this module only writes it down. Each
section becomes `<section>.csv` with the union of its rows' columns in first-seen order;
a value that is itself a list or mapping goes into its cell as JSON. The archive's
entries carry a fixed timestamp, so the same data always gives the same bytes.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from krutt.exporters.csv_safe import Cell, write_csv

FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def _rows(section: Any) -> list[Mapping[str, Any]]:
    if isinstance(section, Mapping):
        return [section]
    if isinstance(section, Sequence) and not isinstance(section, str):
        return [row for row in section if isinstance(row, Mapping)]
    return []


def _cell(value: Any) -> Cell:
    if isinstance(value, Mapping | list | tuple):
        return json.dumps(value, ensure_ascii=False, default=_plain, sort_keys=True)
    if value is None or isinstance(value, str | int | float | Decimal | date | datetime):
        return value
    return str(value)


def section_csv(section: Any) -> str:
    """A section as CSV text: one row per record, columns in the order they first appear."""
    rows = _rows(section)
    header: list[str] = []
    for row in rows:
        header += [key for key in row if key not in header]
    stream = io.StringIO()
    write_csv(stream, header, ([_cell(row.get(key)) for key in header] for row in rows))
    return stream.getvalue()


def seller_archive(*, document: Mapping[str, Any], readme: str) -> bytes:
    """The ZIP a seller downloads: seller.json, one CSV per section, README.txt."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def put(name: str, text: str) -> None:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, text.encode("utf-8"))

        put("README.txt", readme)
        put(
            "seller.json",
            json.dumps(document, ensure_ascii=False, indent=2, default=_plain) + "\n",
        )
        for key, section in document.items():
            put(f"{key}.csv", section_csv(section))
    return buffer.getvalue()
