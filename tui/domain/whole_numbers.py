"""Whole numbers typed by the user: one rule and one way of saying what is wrong.

Every field and option that takes a whole number reads it here: the builder and
the exercise editor (hold, reps, rest), settings (seconds), the session editor
and the pain check-in (pain), the plan (sessions a day) and the command line
(`--pain-before`, `--per-day`, `--limit`, `--port`).

The rule: spaces around are ignored; what is left must be ASCII digits only
(int() would also take `+5`, `1_0` and other scripts' digits); leading zeros are
allowed. The messages, which callers put after the field's name:
- `must be a whole number from 1 to 600, not 'x'` (not a whole number at all);
- `must be from 1 to 600, not 601` (a whole number out of range; thousands of
  digits are said as `a 5,001-digit number`).
With a unit: `must be a whole number of seconds from 0 to 30`, `must be from 0
to 30 seconds`. `exercises.check_whole`, which checks numbers read from files,
says the same through `not_whole` and `out_of_range`.
"""

from __future__ import annotations

MAX_DIGITS = 18
"""Longest run of digits read with no upper limit (`--limit`); more reads as `UNBOUNDED`."""
UNBOUNDED = 10**MAX_DIGITS
"""What a number past MAX_DIGITS digits reads as where there is no upper limit: more than anything counted."""


def not_whole(limits: tuple[int, int | None], shown: str, unit: str = "") -> str:
    """`must be a whole number from 1 to 600, not 'x'` (`of 1 or more` with no upper limit)."""
    low, high = limits
    span = f"of {low} or more" if high is None else f"from {low} to {high}"
    return f"must be a whole number{unit and ' of ' + unit} {span}, not {shown}"


def out_of_range(limits: tuple[int, int | None], shown: str, unit: str = "") -> str:
    """`must be from 1 to 600, not 601` (`must be 1 or more` with no upper limit)."""
    low, high = limits
    span = f"{low} or more" if high is None else f"from {low} to {high}"
    return f"must be {span}{unit and ' ' + unit}, not {shown}"


def parse_whole(text: str, limits: tuple[int, int | None], unit: str = "") -> int:
    """The whole number typed in `text`, within `limits` (high None: no upper limit).

    Raises ValueError with a message to put after the field's name (see the module).
    """
    stripped = text.strip()
    if not (stripped.isascii() and stripped.isdigit()):
        raise ValueError(not_whole(limits, _shown(stripped), unit))
    low, high = limits
    digits = stripped.lstrip("0") or "0"
    if high is None and len(digits) > MAX_DIGITS:
        return UNBOUNDED
    # int() refuses thousands of digits, and a message should not print them.
    if high is not None and len(digits) > len(str(high)):
        shown = digits if len(digits) <= 20 else f"a {len(digits):,}-digit number"
        raise ValueError(out_of_range(limits, shown, unit))
    value = int(digits)
    if value < low or (high is not None and value > high):
        raise ValueError(out_of_range(limits, str(value), unit))
    return value


def whole_or_text(text: str, longest: int = 12) -> int | str:
    """A typed whole number as an int, by `parse_whole`'s rule; anything else (or more than `longest`
    digits) as it was typed, for a check that names it in the same words (`exercises.check_whole`)."""
    try:
        return parse_whole(text, (0, 10**longest - 1))
    except ValueError:
        return text


def _shown(text: str) -> str:
    """What was typed, quoted and cut short for a message."""
    return repr(text if len(text) <= 20 else text[:17] + "...")
