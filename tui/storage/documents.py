"""Converters between domain objects and their stored and exported documents.

The session document is the one `journal list --json` and `journal export`
print, and `journal import` reads back.
"""

from __future__ import annotations

import io
import json
import sys
from datetime import datetime
from typing import Any, Iterable, overload

from tui.domain.bounds import COUNT_LIMITS, check_count, check_moment, check_seconds
from tui.domain.exercises import ID_PATTERN, SIDES, describe, type_name
from tui.domain.problems import Problem, ValidationError, load_json_file
from tui.domain.routines import STEP_LIMITS
from tui.domain.sessions import (
    DISCOMFORT_LIMITS,
    EVENTS_MAX,
    NOTE_MAX,
    PAIN_LIMITS,
    STATUSES,
    HoldRecord,
    ProblemReport,
    Session,
    StepRating,
)
from tui.domain.text import json_text

CSV_COLUMNS = (
    "id", "routine_id", "routine_name", "started_at", "ended_at", "status",
    "holds_done", "holds_planned", "seconds_held", "pain_before", "pain_after", "note", "holds",
    "events", "step_ratings",
)
"""Columns of `journal export --format csv`; `holds`, `events` and `step_ratings` hold their lists as JSON."""
JSON_CELLS = ("holds", "events", "step_ratings")
"""The CSV columns whose cell is a list written as JSON text."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a CSV cell as a formula; such a cell gets a leading `'`."""


_SIDES = {None: None, "left": "left", "right": "right"}
"""The sides a hold may have, so each read hold shares one string."""


@overload
def format_time(moment: datetime) -> str: ...
@overload
def format_time(moment: None) -> None: ...
@overload
def format_time(moment: datetime | None) -> str | None: ...
def format_time(moment: datetime | None) -> str | None:
    """ISO 8601 with the UTC offset, to the second."""
    return None if moment is None else moment.isoformat(timespec="seconds")


def parse_time(value: Any, where: str) -> datetime:
    """An aware datetime from ISO 8601 text, from 1970 to 100 years ahead, or ValidationError naming `where`."""
    if not isinstance(value, str):
        raise ValidationError(Problem(where, f"must be an ISO 8601 date and time, not {type_name(value)}"))
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(Problem(where, f"is not an ISO 8601 date and time: {describe(value)}")) from None
    if moment.tzinfo is None:
        raise ValidationError(Problem(where, f"needs a UTC offset (like +00:00): {describe(value)}"))
    return check_moment(moment, where)


def hold_to_dict(hold: HoldRecord) -> dict[str, Any]:
    """The document of a hold record."""
    return {
        "exercise": hold.exercise,
        "side": hold.side,
        "rep": hold.rep,
        "planned_seconds": hold.planned_seconds,
        "held_seconds": hold.held_seconds,
        "completed": hold.completed,
    }


def hold_from_dict(data: Any, where: str) -> HoldRecord:
    """A hold record from its document, checked."""
    if not isinstance(data, dict):
        raise ValidationError(Problem(where, f"must be an object, not {type_name(data)}"))
    exercise = data.get("exercise")
    if not isinstance(exercise, str) or not exercise:
        raise ValidationError(Problem(f"{where}.exercise", f"must be an exercise id, not {describe(exercise)}"))
    side = data.get("side")
    if side not in (None, "left", "right"):
        raise ValidationError(Problem(f"{where}.side", f"must be left, right or null, not {describe(side)}"))
    check_count(data.get("rep"), f"{where}.rep", low=1)
    check_seconds(data.get("planned_seconds"), f"{where}.planned_seconds", low=1, whole=True)
    held = check_seconds(data.get("held_seconds"), f"{where}.held_seconds")
    if not isinstance(data.get("completed"), bool):
        raise ValidationError(Problem(f"{where}.completed", "must be true or false"))
    # Years of journal repeat the same few ids: one string each, not one per hold read.
    return HoldRecord(sys.intern(exercise), _SIDES[side], data["rep"], data["planned_seconds"], float(held), data["completed"])


def event_to_dict(event: ProblemReport) -> dict[str, Any]:
    """The document of a problem reported with `!` (an item of a session's `events`)."""
    return {"at": format_time(event.at), "kind": event.kind, "note": event.note}


def event_from_dict(data: Any, where: str) -> ProblemReport:
    """A reported problem from its document, checked."""
    if not isinstance(data, dict):
        raise ValidationError(Problem(where, f"must be an object, not {type_name(data)}"))
    at = parse_time(data.get("at"), f"{where}.at")
    kind = data.get("kind")
    from tui.domain.warning_signs import PROBLEM_KINDS  # the warning signs load when first needed, not at start-up

    if kind not in PROBLEM_KINDS:
        raise ValidationError(Problem(f"{where}.kind", f"must be one of {', '.join(PROBLEM_KINDS)}, not {describe(kind)}"))
    return ProblemReport(at=at, kind=kind, note=check_note(data.get("note", ""), f"{where}.note"))


def rating_to_dict(rating: StepRating) -> dict[str, Any]:
    """The document of how one step felt (an item of a session's `step_ratings`)."""
    return {"step": rating.step, "exercise": rating.exercise, "discomfort": rating.discomfort}


def rating_from_dict(data: Any, where: str, steps: int) -> StepRating:
    """How one step felt, from its document, checked; `steps` is the most steps the session can have."""
    if not isinstance(data, dict):
        raise ValidationError(Problem(where, f"must be an object, not {type_name(data)}"))
    step = data.get("step")
    if steps < 1:
        raise ValidationError(Problem(f"{where}.step", "names a step, but the session has no holds planned"))
    step = check_count(step, f"{where}.step", 1, steps)
    exercise = data.get("exercise")
    if not isinstance(exercise, str) or not ID_PATTERN.fullmatch(exercise):
        raise ValidationError(Problem(f"{where}.exercise", f"must be an exercise id (lower-case letters, digits and "
                                                           f"dashes), not {describe(exercise)}"))
    discomfort = data.get("discomfort")
    low, high = DISCOMFORT_LIMITS
    if isinstance(discomfort, bool) or not isinstance(discomfort, int) or not low <= discomfort <= high:
        raise ValidationError(Problem(f"{where}.discomfort", f"must be a whole number from {low} to {high}, "
                                                             f"not {describe(discomfort)}"))
    return StepRating(step=step, exercise=sys.intern(exercise), discomfort=discomfort)


def check_note(value: Any, where: str) -> str:
    """A note (a session's, or a reported problem's): text of at most NOTE_MAX characters; null reads as ''."""
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > NOTE_MAX:
        raise ValidationError(Problem(where, f"must be text of at most {NOTE_MAX} characters"))
    return value


def events_from_list(value: Any, where: str) -> tuple[ProblemReport, ...]:
    """A session's reported problems from its `events` list, checked; null reads as none."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ValidationError(Problem(where, f"must be a list, not {type_name(value)}"))
    if len(value) > EVENTS_MAX:
        raise ValidationError(Problem(where, f"has {len(value):,} problems; at most {EVENTS_MAX}"))
    return tuple(event_from_dict(item, f"{where}[{i}]") for i, item in enumerate(value))


def ratings_from_list(value: Any, where: str, holds_planned: int) -> tuple[StepRating, ...]:
    """A session's step ratings from its `step_ratings` list, checked: one per step at most; null reads as none."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ValidationError(Problem(where, f"must be a list, not {type_name(value)}"))
    # Every step has at least one hold, so a session has at most as many steps as holds planned.
    steps = min(STEP_LIMITS[1], holds_planned)
    if len(value) > steps:
        raise ValidationError(Problem(where, f"has {len(value):,} ratings; the session has at most {steps} steps"))
    ratings: list[StepRating] = []
    for i, item in enumerate(value):
        rating = rating_from_dict(item, f"{where}[{i}]", steps)
        if any(r.step == rating.step for r in ratings):
            raise ValidationError(Problem(f"{where}[{i}].step", f"rates step {rating.step} a second time"))
        ratings.append(rating)
    return tuple(ratings)


def session_to_dict(session: Session) -> dict[str, Any]:
    """The document of a session, as PRODUCT.md gives it; `events` and `step_ratings` only when there are some
    (absent means none, so older sessions read and write exactly as before)."""
    document: dict[str, Any] = {
        "id": session.id,
        "routine_id": session.routine_id,
        "routine_name": session.routine_name,
        "started_at": format_time(session.started_at),
        "ended_at": format_time(session.ended_at),
        "status": session.status,
        "holds_done": session.holds_done,
        "holds_planned": session.holds_planned,
        "seconds_held": session.seconds_held,
        "pain_before": session.pain_before,
        "pain_after": session.pain_after,
        "note": session.note,
        "holds": [hold_to_dict(h) for h in session.holds],
    }
    if session.events:
        document["events"] = [event_to_dict(e) for e in session.events]
    if session.step_ratings:
        document["step_ratings"] = [rating_to_dict(r) for r in session.step_ratings]
    return document


def _pain(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not PAIN_LIMITS[0] <= value <= PAIN_LIMITS[1]:
        raise ValidationError(Problem(where, f"must be a whole number from 0 to 10 or null, not {describe(value)}"))
    return value


def session_from_dict(data: Any, where: str = "session") -> Session:
    """A session from its document, every field checked; ValidationError names the first bad one."""
    if not isinstance(data, dict):
        raise ValidationError(Problem(where, f"must be an object, not {type_name(data)}"))
    for key in ("id", "routine_id", "routine_name"):
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(Problem(f"{where}.{key}", f"must be non-empty text, not {describe(value)}"))
    status = data.get("status")
    if status not in STATUSES:
        raise ValidationError(Problem(f"{where}.status", f"must be one of {', '.join(STATUSES)}, not {describe(status)}"))
    started = parse_time(data.get("started_at"), f"{where}.started_at")
    ended = None if data.get("ended_at") is None else parse_time(data["ended_at"], f"{where}.ended_at")
    if ended is not None and ended < started:
        raise ValidationError(Problem(f"{where}.ended_at", "is before started_at"))
    planned = check_count(data.get("holds_planned"), f"{where}.holds_planned")
    note = check_note(data.get("note", ""), f"{where}.note")
    raw_holds = data.get("holds", [])
    if not isinstance(raw_holds, list):
        raise ValidationError(Problem(f"{where}.holds", f"must be a list, not {type_name(raw_holds)}"))
    if len(raw_holds) > COUNT_LIMITS[1]:
        raise ValidationError(Problem(f"{where}.holds", f"has {len(raw_holds):,} holds; at most {COUNT_LIMITS[1]:,}"))
    holds = tuple(hold_from_dict(h, f"{where}.holds[{i}]") for i, h in enumerate(raw_holds))
    return Session(
        id=data["id"],
        routine_id=data["routine_id"],
        routine_name=data["routine_name"],
        started_at=started,
        ended_at=ended,
        status=status,
        holds_planned=planned,
        holds=holds,
        pain_before=_pain(data.get("pain_before"), f"{where}.pain_before"),
        pain_after=_pain(data.get("pain_after"), f"{where}.pain_after"),
        note=note,
        events=events_from_list(data.get("events"), f"{where}.events"),
        step_ratings=ratings_from_list(data.get("step_ratings"), f"{where}.step_ratings", planned),
    )


def sessions_to_json(sessions: Iterable[Session]) -> str:
    """A JSON array of session documents (newest first when given so), safe to print (see `json_text`)."""
    return json_text([session_to_dict(s) for s in sessions]) + "\n"


def sessions_to_csv(sessions: Iterable[Session]) -> str:
    """CSV with a header row; notes keep commas, quotes and newlines (RFC 4180 quoting).

    A text cell starting with one of FORMULA_STARTS gets a leading `'`, so a
    spreadsheet shows it as text instead of running it (`=HYPERLINK(...)` in a
    shared note). Number cells are never negative, so they are left as numbers.
    """
    import csv  # only exports need it

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for session in sessions:
        row = session_to_dict(session)
        for column in JSON_CELLS:
            row[column] = json.dumps(row.get(column, []), ensure_ascii=False, separators=(",", ":"))
        writer.writerow({k: "" if v is None else _as_text_cell(v) for k, v in row.items()})
    return out.getvalue()


def _as_text_cell(value: Any) -> Any:
    """A text value a spreadsheet would read as a formula, with a `'` before it; anything else as it is."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


EXPORT_FORMATS = ("csv", "json")
"""The formats the journal exports to, each also the file extension that chooses it."""


def export_format(file_name: str | None) -> str | None:
    """The format a file's extension names (`sessions.CSV`: csv), or None when it names none of ours."""
    extension = file_name.rpartition(".")[2].lower() if file_name and "." in file_name else ""
    return extension if extension in EXPORT_FORMATS else None


def journal_export_text(sessions: Iterable[Session], file_format: str) -> str:
    """The journal export file in `file_format` (csv or json): what both the command line and the app write."""
    return sessions_to_csv(sessions) if file_format == "csv" else sessions_to_json(sessions)


def sessions_from_json(raw: bytes | str) -> list[Session]:
    """Sessions from a `journal export --format json` file; ValidationError names the problem."""
    data = load_json_file(raw, "a journal export", root="sessions")
    if not isinstance(data, list):
        raise ValidationError(Problem("file", f"must hold a JSON array of sessions, not {type_name(data)}"))
    return [session_from_dict(item, f"sessions[{i}]") for i, item in enumerate(data)]


__all__ = [
    "CSV_COLUMNS", "FORMULA_STARTS", "SIDES", "format_time", "parse_time", "hold_to_dict", "hold_from_dict",
    "event_to_dict", "event_from_dict", "rating_to_dict", "rating_from_dict", "check_note",
    "session_to_dict", "session_from_dict", "sessions_to_json", "sessions_to_csv", "sessions_from_json",
    "EXPORT_FORMATS", "export_format", "journal_export_text",
]
