"""What `krutt import deals|calendar|undo|history` print: summaries as text or JSON, progress."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from tqdm import tqdm  # type: ignore[import-untyped]

from krutt.cli.commands.common import print_json, say, table
from krutt.domain.messages import Message, Param, gettext_noop, plural_noop
from krutt.importers.crm_presets import PRESETS
from krutt.importers.problems import Problem
from krutt.services.import_calendar import CalendarImport, calendar_message
from krutt.services.import_deals import DealsImport
from krutt.services.undo_import import Restored


class Progress:
    """A progress bar on stderr for a long import (tqdm); only on a terminal."""

    def __init__(self, bar: tqdm) -> None:
        self.bar = bar

    @classmethod
    def for_lines(cls, data: bytes, label: str) -> Progress | None:
        if not sys.stderr.isatty():
            return None
        total = data.count(b"\n") + 1
        return cls(
            tqdm(
                total=total,
                desc=label,
                unit=" lines",
                unit_scale=True,
                file=sys.stderr,
                **_QUIET_BAR,
            )
        )

    @classmethod
    def for_phases(cls, label: str) -> Progress | None:
        # A calendar is read, expanded and written in phases of unknown length: a bar that
        # says it is working, with the time spent.
        if not sys.stderr.isatty():
            return None
        return cls(
            tqdm(desc=label, bar_format="{desc}: … {elapsed}", file=sys.stderr, **_QUIET_BAR)
        )

    def lines(self, line: int) -> None:
        self.bar.update(max(0, line - self.bar.n))

    def done(self) -> None:
        self.bar.close()


# The bar disappears when done (the summary follows) and redraws at most five times a second.
_QUIET_BAR: dict[str, Any] = {"leave": False, "mininterval": 0.2}


def _preset_name(key: str, lang: str) -> str:
    """The CRM's name as the manager reads it («Generisk» for the generic layout)."""
    from krutt.web.messages import in_language, tr

    if key not in PRESETS:
        return "?"
    with in_language(lang):
        return tr(PRESETS[key].name)


def _say(text: str, lang: str, **params: Param) -> str:
    return say(Message(text, params), lang)


def _problems(problems: Sequence[Problem], lang: str) -> list[dict[str, Any]]:
    return [{"line": p.line, "message": say(p.message, lang)} for p in problems]


def report_problems(problems: Sequence[Problem], *, file: Path, lang: str) -> None:
    """Each problem as `FILE:LINE: message` on stderr, then one line saying nothing was written."""
    for problem in problems:
        where = f"{file.name}:{problem.line}" if problem.line else file.name
        sys.stderr.write(f"{where}: {say(problem.message, lang)}\n")
    sys.stderr.write(
        "krutt: "
        + say(
            Message.counted(
                plural_noop(
                    "{file}: {count} problem; nothing was written.",
                    "{file}: {count} problems; nothing was written.",
                ),
                "count",
                {"file": file.name, "count": len(problems)},
            ),
            lang,
        )
        + "\n"
    )


def report_deals(
    outcome: DealsImport,
    *,
    file: Path,
    lang: str,
    as_json: bool,
    dry_run: bool,
    batch: int | None,
) -> int:
    """The deal import's summary; exit 2 when problems kept the file out."""
    summary, read = outcome.summary, outcome.read
    if as_json:
        from krutt.web.answers.imports import deals_json

        print_json(deals_json(outcome, file=str(file), lang=lang, dry_run=dry_run, batch=batch))
        return 2 if summary.problems else 0
    lines = [
        _say(
            gettext_noop("{file}: {crm} export (recognised), header on line {line}, {encoding}.")
            if read.detected
            else gettext_noop("{file}: {crm} export, header on line {line}, {encoding}."),
            lang,
            file=file.name,
            crm=_preset_name(read.preset, lang),
            line=read.header_line,
            encoding=read.encoding or "?",
        ),
        _say(
            gettext_noop("Columns: {mapping}."),
            lang,
            mapping=", ".join(f"{k} ← {v}" for k, v in read.mapping.items()) or "–",
        ),
    ]
    for owner in outcome.unknown_owners:
        lines.append(
            _say(
                gettext_noop(
                    "Unknown owner {owner} (lines {lines}; won {amount}): {reason} "
                    "Their deals are not counted."
                ),
                lang,
                owner=owner.owner or "–",
                lines=_line_list(owner.lines),
                amount=owner.won_amount,
                reason=say(owner.reason, lang),
            )
        )
    if summary.problems:
        print("\n".join(lines))
        report_problems(summary.problems, file=file, lang=lang)
        return 2
    for skipped in outcome.read.skipped:
        lines.append(
            _say(
                gettext_noop("Skipped line {line}: {reason}"),
                lang,
                line=skipped.line,
                reason=say(skipped.reason, lang),
            )
        )
    text = (
        gettext_noop(
            "{read} rows read; would create {created}, update {updated}, leave {unchanged} "
            "unchanged; {skipped} skipped."
        )
        if dry_run
        else gettext_noop(
            "{read} rows read; {created} created, {updated} updated, {unchanged} unchanged; "
            "{skipped} skipped."
        )
    )
    lines.append(
        _say(
            text,
            lang,
            read=summary.read,
            created=summary.created,
            updated=summary.updated,
            unchanged=summary.unchanged,
            skipped=summary.skipped,
        )
    )
    if outcome.months:
        lines.append(
            _say(
                gettext_noop(
                    "Monthly actuals {first}–{last}: {changed} changed, {unchanged} unchanged; "
                    "segments recomputed for {sellers} seller(s)."
                ),
                lang,
                first=str(outcome.months[0]),
                last=str(outcome.months[-1]),
                changed=outcome.actuals_changed,
                unchanged=outcome.actuals_unchanged,
                sellers=len(outcome.refreshed),
            )
        )
    lines.append(_closing(dry_run, batch, lang))
    print("\n".join(lines))
    return 0


def report_calendar(
    outcome: CalendarImport,
    *,
    file: Path,
    manager: str,
    lang: str,
    as_json: bool,
    dry_run: bool,
    batch: int | None,
    warnings: Sequence[Message] = (),
) -> int:
    """The calendar import's summary; exit 2 when problems kept the file out."""
    summary, calendar, busy = outcome.summary, outcome.calendar, outcome.busy
    zone = calendar.zone
    first = calendar.start.astimezone(zone).date()
    last = calendar.end.astimezone(zone).date() - timedelta(days=1)
    if as_json:
        from krutt.web.answers.imports import calendar_json

        print_json(
            calendar_json(
                outcome,
                file=str(file),
                manager=manager,
                lang=lang,
                dry_run=dry_run,
                batch=batch,
                warnings=warnings,
            )
        )
        return 2 if summary.problems else 0
    lines = [
        _say(
            gettext_noop(
                "{file}: {events} events, {occurrences} occurrences from {first} to {last}."
            ),
            lang,
            file=file.name,
            events=calendar.events,
            occurrences=summary.read,
            first=first,
            last=last,
        )
    ]
    for item in outcome.review:
        start = item.start.astimezone(zone).strftime("%Y-%m-%d %H:%M") if item.start else None
        when = {"start": start} if start else {}
        lines.append(
            _say(
                _REVIEW_LINES[item.not_read, bool(when)],
                lang,
                line=item.line,
                summary=item.summary or "–",
                reason=say(item.reason, lang),
                **when,
            )
        )
    for unknown in getattr(outcome, "unmatched", []):
        lines.append(
            _say(
                gettext_noop(
                    "{address} ({meetings}) matched no seller; if it is one: "
                    "krutt seller alias S {address}"
                ),
                lang,
                address=unknown.address,
                meetings=_say(
                    gettext_noop("{count} meetings")
                    if unknown.events != 1
                    else gettext_noop("1 meeting"),
                    lang,
                    **({"count": unknown.events} if unknown.events != 1 else {}),
                ),
            )
        )
    if summary.problems:
        print("\n".join(lines))
        report_problems(summary.problems, file=file, lang=lang)
        return 2
    text = (
        gettext_noop(
            "Time entries: would create {created}, update {updated}, remove {removed}, "
            "leave {unchanged} unchanged; {skipped} occurrences are not time with sellers."
        )
        if dry_run
        else gettext_noop(
            "Time entries: {created} created, {updated} updated, {removed} removed, "
            "{unchanged} unchanged; {skipped} occurrences are not time with sellers."
        )
    )
    lines.append(
        _say(
            text,
            lang,
            created=summary.created,
            updated=summary.updated,
            removed=summary.removed,
            unchanged=summary.unchanged,
            skipped=summary.skipped,
        )
    )
    lines.append(
        _say(
            gettext_noop(
                "Busy time: {created} created, {updated} updated, {removed} removed, "
                "{unchanged} unchanged."
            ),
            lang,
            created=busy.created,
            updated=busy.updated,
            removed=busy.removed,
            unchanged=busy.unchanged,
        )
    )
    named = calendar_message(outcome)
    if named is not None:
        lines.append(say(named, lang))
    lines += ["! " + say(w, lang) for w in warnings]
    lines.append(_closing(dry_run, batch, lang))
    print("\n".join(lines))
    return 0


# Keyed by (left out as unreadable, start known): with no start, the line and subject
# name the event, and no empty place is printed.
_REVIEW_LINES = {
    (False, True): gettext_noop("To review (line {line}, {start}) {summary}: {reason}"),
    (False, False): gettext_noop("To review (line {line}) {summary}: {reason}"),
    (True, True): gettext_noop("Not read (line {line}, {start}) {summary}: {reason}"),
    (True, False): gettext_noop("Not read (line {line}) {summary}: {reason}"),
}


def _closing(dry_run: bool, batch: int | None, lang: str) -> str:
    if dry_run:
        return _say(gettext_noop("Dry run: nothing was written."), lang)
    if batch is None:
        return _say(gettext_noop("Nothing changed."), lang)
    return _say(
        gettext_noop("Import {id} committed; undo it with: krutt import undo {id}"),
        lang,
        id=batch,
    )


def _line_list(lines: Sequence[int]) -> str:
    shown = ", ".join(str(n) for n in lines[:10])
    return shown + (" …" if len(lines) > 10 else "")


def report_undo(batch: Any, restored: Restored, *, lang: str, as_json: bool) -> int:
    if as_json:
        from krutt.web.answers.imports import undo_document

        print_json(undo_document(batch, restored))
        return 0
    print(
        _say(
            gettext_noop(
                "Import {id} ({file}) undone: {removed} rows removed, {restored} put back, "
                "{actuals} monthly actuals restored."
            ),
            lang,
            id=batch.pk,
            file=batch.filename,
            removed=restored.removed,
            restored=restored.restored,
            actuals=restored.actuals,
        )
    )
    return 0


def report_history(batches: Sequence[Any], *, organisation: Any, lang: str, as_json: bool) -> int:
    from krutt.web.answers.imports import history_document

    rows = history_document(batches, organisation=organisation)
    if as_json:
        print_json(rows)
        return 0
    if not rows:
        print(_say(gettext_noop("No imports yet."), lang))
        return 0
    print(
        table(
            ["#", "when", "kind", "file", "by", "created", "updated", "undone"],
            [
                [
                    str(r["batch"]),
                    r["at"][:16].replace("T", " "),
                    r["kind"],
                    r["file"],
                    r["by"] or r["channel"],
                    str(r["counts"].get("created", "")),
                    str(r["counts"].get("updated", "")),
                    (r["undone_at"] or "")[:16].replace("T", " "),
                ]
                for r in rows
            ],
            right={0, 5, 6},
        )
    )
    return 0
