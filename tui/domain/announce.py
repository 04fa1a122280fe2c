"""The words of each moment of a session, in a written and a spoken form.

One place says what each moment is called, so every way of telling it agrees:
the hold screen's cues (a desktop notification's title and body, the words a
speech program says) and the plain mode for screen readers (one line per
event) all take their text from here.

- `written`: one plain line, digits and all: "Hold 1 of 25: Side Knee Drop, left side, 30 seconds. Lie on your back...".
- `spoken`: words for a speech program, numbers in words: "Side knee drop, left side, thirty seconds".
- `title` and `body`: a short notification: "Hold 1 of 25" / "Side Knee Drop, left side, 30 seconds".

Exercise names and instructions come from routine files and are untrusted:
these functions only place them in sentences; whoever shows or speaks the
result makes it safe for where it goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from tui.domain.cues import LAST_SECONDS, Moment
from tui.domain.plan import Phase, PlannedHold

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
         "sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_GROUPS = ((1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand"))


def number_words(number: int) -> str:
    """A whole number in English words: 0 -> `zero`, 45 -> `forty-five`, 130 -> `one hundred thirty`."""
    if number < 0:
        return "minus " + number_words(-number)
    if number < 20:
        return _ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        return f"{_ONES[hundreds]} hundred" + (f" {number_words(rest)}" if rest else "")
    for size, name in _GROUPS:
        if number >= size:
            count, rest = divmod(number, size)
            return f"{number_words(count)} {name}" + (f" {number_words(rest)}" if rest else "")
    raise AssertionError("unreachable")  # pragma: no cover


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """`1 second`, `30 seconds`, `0 holds`."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def counted_words(number: int, noun: str, plural: str | None = None) -> str:
    """`one second`, `thirty seconds`."""
    return f"{number_words(number)} {noun if number == 1 else plural or noun + 's'}"


def duration(seconds: float) -> str:
    """Whole seconds written out: `30 seconds`, `1 minute`, `2 minutes 5 seconds`."""
    minutes, rest = divmod(max(0, round(seconds)), 60)
    if minutes == 0:
        return counted(rest, "second")
    return counted(minutes, "minute") + (f" {counted(rest, 'second')}" if rest else "")


def duration_words(seconds: float) -> str:
    """Whole seconds in words: `thirty seconds`, `one minute`, `two minutes five seconds`."""
    minutes, rest = divmod(max(0, round(seconds)), 60)
    if minutes == 0:
        return counted_words(rest, "second")
    return counted_words(minutes, "minute") + (f" {counted_words(rest, 'second')}" if rest else "")


def side_text(side: str | None) -> str:
    """`left side`, `right side`, or '' for an exercise without sides."""
    return f"{side} side" if side else ""


def sentence_case(name: str) -> str:
    """A title-cased name as a speech program reads a phrase: `Side Knee Drop` -> `Side knee drop`.

    Only plain capitalised words after the first are lowered: `McKenzie` and `USA` stay as they are.
    """
    words = name.split()
    return " ".join(words[:1] + [word.lower() if word.istitle() and len(word) > 1 else word for word in words[1:]])


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _joined(*parts: str) -> str:
    return ", ".join(part for part in parts if part)


@dataclass(frozen=True)
class Announcement:
    """What to say at one moment, written and spoken."""

    moment: Moment | None
    """The kind of moment, which picks the bell pattern; None for a line that has no cue (seconds left)."""
    title: str
    """A notification's title: `Hold 1 of 25`."""
    body: str
    """A notification's body: `Side Knee Drop, left side, 30 seconds`."""
    written: str
    """The plain line for a screen reader: `Hold 1 of 25: Side Knee Drop, left side, 30 seconds. Lie on your back...`."""
    spoken: str
    """The words for a speech program: `Side knee drop, left side, thirty seconds`."""


def get_ready(hold: PlannedHold, seconds: float) -> Announcement:
    """Before a new exercise: `Get ready 5 seconds: Side Knee Drop, left side`."""
    what = _joined(hold.exercise.name, side_text(hold.side))
    return Announcement(
        Moment.GET_READY, "Get ready", f"{what}, in {duration(seconds)}",
        f"Get ready {duration(seconds)}: {what}",
        f"Get ready: {_joined(sentence_case(hold.exercise.name), side_text(hold.side))}.",
    )


def hold_starts(hold: PlannedHold, number: int, total: int) -> Announcement:
    """A hold starts: `Hold 1 of 25: Side Knee Drop, left side, 30 seconds. Lie on your back...`."""
    title = f"Hold {number} of {total}"
    body = _joined(hold.exercise.name, side_text(hold.side), duration(hold.planned_seconds))
    instructions = _one_line(hold.exercise.instructions)
    return Announcement(
        Moment.HOLD, title, body,
        f"{title}: {body}" + (f". {instructions}" if instructions else ""),
        _joined(sentence_case(hold.exercise.name), side_text(hold.side), duration_words(hold.planned_seconds)),
    )


def switch_sides(hold: PlannedHold) -> Announcement:
    """Between the sides of one rep (`hold` is the side to come): `Switch to the right side`."""
    line = f"Switch to the {side_text(hold.side) or 'other side'}"
    return Announcement(Moment.SWITCH, "Switch sides", f"{hold.exercise.name}, {side_text(hold.side) or 'other side'} next",
                        line, line)


def rest(seconds: float, next_hold: PlannedHold) -> Announcement:
    """A rest between reps: `Rest 10 seconds`."""
    upcoming = _joined(next_hold.exercise.name, side_text(next_hold.side))
    return Announcement(Moment.REST, "Rest", f"{duration(seconds)}, then {upcoming}",
                        f"Rest {duration(seconds)}", f"Rest, {duration_words(seconds)}")


def last_seconds(hold: PlannedHold) -> Announcement:
    """The count at the end of a hold: `3 seconds left` / `Three, two, one`."""
    left = f"{counted(LAST_SECONDS, 'second')} left"
    count = ", ".join(number_words(n) for n in range(LAST_SECONDS, 0, -1))
    return Announcement(Moment.LAST_SECONDS, left[:1].upper() + left[1:], hold.exercise.name, left,
                        count[:1].upper() + count[1:])


def halfway(hold: PlannedHold, seconds_left: float) -> Announcement:
    """Halfway through a long hold: `Halfway: 15 seconds left` (a part second counts whole, as on the countdown)."""
    left = duration(ceil(seconds_left))
    return Announcement(Moment.HALFWAY, "Halfway", f"{left} left of {hold.exercise.name}", f"Halfway: {left} left",
                        "Halfway")


def session_done(done: int, planned: int, stopped: bool = False) -> Announcement:
    """The end: `Done: 25 of 25 holds`; `Done: 20 of 27 holds (7 skipped)` when it ran to its end with holds
    skipped; `Stopped after 5 of 27 holds` when the user ended it early."""
    holds = f"{done} of {counted(planned, 'hold')}"
    if stopped:
        return Announcement(Moment.DONE, "Stopped", f"after {holds}", f"Stopped after {holds}",
                            "Stopped. How is your pain now?")
    holds += f" ({planned - done} skipped)" if done < planned else ""
    return Announcement(Moment.DONE, "Done", holds, f"Done: {holds}", "Done. How is your pain now?")


def seconds_left(seconds: float) -> Announcement:
    """Time left in a phase, a plain line with no cue of its own: `10 seconds left`."""
    return Announcement(None, "Time left", f"{duration(seconds)} left", f"{duration(seconds)} left",
                        f"{duration_words(seconds)} left")


def phase_started(phase: Phase, hold: PlannedHold, number: int, total: int, seconds: float) -> Announcement:
    """The announcement of a phase that just began.

    `hold` is the hold the phase is or leads to, `number` its place (from 1) among `total` holds, and
    `seconds` the phase's length. For `Phase.DONE`, use `session_done`: it needs the holds done.
    """
    if phase is Phase.GET_READY:
        return get_ready(hold, seconds)
    if phase is Phase.HOLD:
        return hold_starts(hold, number, total)
    if phase is Phase.SWITCH:
        return switch_sides(hold)
    if phase is Phase.REST:
        return rest(seconds, hold)
    raise ValueError(f"no announcement of its own for {phase}: use session_done")
