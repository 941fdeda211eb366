"""Mutated CSV and .ics bytes through `krutt import`: never a crash, never half an import."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli.snapshots import snapshot
from tests.conftest import DATA

CSV = b"".join((DATA / "crm" / "hubspot-deals.csv").read_bytes().splitlines(keepends=True)[:40])
ICS = (DATA / "calendars" / "google-export.ics").read_bytes()
MANAGER = "ingrid.berg@nordlys.example"


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """The file with a few bytes flipped, cut, inserted or lines repeated."""
    data = bytearray(original)
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        if not data:
            break
        at = draw(st.integers(min_value=0, max_value=len(data) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert", "repeat", "truncate"]))
        if action == "flip":
            data[at] = draw(st.integers(min_value=0, max_value=255))
        elif action == "cut":
            del data[at : at + draw(st.integers(min_value=1, max_value=200))]
        elif action == "insert":
            noise = draw(
                st.one_of(
                    st.binary(max_size=40),
                    st.sampled_from(
                        [b";", b",", b'"', b"\r", b"\n", b"\xff\xfe", b"=1+2", b"END:VEVENT\n"]
                    ),
                )
            )
            data[at:at] = noise
        elif action == "repeat":
            end = data.find(b"\n", at)
            data[at:at] = data[at : end + 1 if end >= 0 else len(data)]
        else:
            del data[at:]
    return bytes(data)


FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(data=mutated(CSV))
def test_a_mutated_deal_export_imports_or_is_refused_whole(sample_team, tmp_path, data):
    path = tmp_path / "deals.csv"
    path.write_bytes(data)
    before = snapshot()

    result = sample_team("import", "deals", path, "--lang", "en")

    assert result.code in (0, 2), result.err
    if result.code == 2:
        assert result.err.splitlines()[-1].endswith("nothing was written.")
        assert snapshot() == before


@FUZZ
@given(data=mutated(ICS))
def test_a_mutated_calendar_imports_or_is_refused_whole(sample_team, tmp_path: Path, data):
    path = tmp_path / "calendar.ics"
    path.write_bytes(data)
    before = snapshot()

    result = sample_team(
        "import",
        "calendar",
        path,
        "--manager",
        MANAGER,
        "--from",
        "2026-10-26",
        "--to",
        "2026-11-15",
        "--lang",
        "en",
    )

    assert result.code in (0, 2), result.err
    if result.code == 2:
        assert result.err.splitlines()[-1].endswith("nothing was written.")
        assert snapshot() == before
