"""How the domain reports bad input: one problem per field, in the user's words."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterator


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field."""

    field: str
    """Where the problem is, as a path a person can follow (`steps[2].reps`)."""
    reason: str
    """What is wrong and what would be right."""

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}" if self.field else self.reason


class ValidationError(ValueError):
    """Raised when input breaks a limit; carries every problem found."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems: list[Problem] = problems if isinstance(problems, list) else [problems]
        """Every problem found, the first one the most useful to show."""
        super().__init__(str(self.problems[0]) if self.problems else "invalid input")


class UnusableNumber(ValueError):
    """JSON text holds a number that cannot be read: too long, or (read strictly) NaN or an infinity."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        """Where it is (`steps[2].reps`; '' at the top)."""
        self.reason = reason
        """What it is, in a few words."""
        super().__init__(f"{path}: {reason}" if path else reason)


class _Unusable:
    """Stands in for an unusable number while parsing, so the error can say where it was."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


def parse_json(raw: bytes | str, root: str = "", strict: bool = False) -> Any:
    """`json.loads`, except that a whole number too long to read raises UnusableNumber saying where.

    Python's parser fails with a bare ValueError on a whole number of more than
    4,300 digits; this names the field instead (`root` names the items of a
    top-level list: `sessions` gives `sessions[0].holds_planned`). `NaN`,
    `Infinity` and numbers too large for a float (`1e400`, read as infinity)
    come back as floats for the reader of each field to refuse by name, as it
    refuses any number out of its bounds. `strict=True` refuses `NaN` and
    `Infinity` here too: they are not JSON, and a data file holding them was
    not written by the app.
    """
    found: list[_Unusable] = []

    def unusable(reason: str) -> _Unusable:
        found.append(_Unusable(reason))
        return found[-1]

    def constant(text: str) -> _Unusable:
        return unusable(f"{text} is not a number JSON allows")

    def whole(text: str) -> int | _Unusable:
        try:
            return int(text)
        except ValueError:  # past Python's digit limit for reading whole numbers
            return unusable(f"a {len(text.lstrip('-')):,}-digit number is too long to read")

    hooks: dict[str, Any] = {"parse_constant": constant} if strict else {}
    try:
        value = json.loads(raw, **hooks)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise
    except ValueError:
        # Only a whole number too long to read gets here: read again, marking it (the slow way, so only now).
        value = json.loads(raw, parse_int=whole, **hooks)
    if found:
        path, first = next(_unusable(value, root))
        raise UnusableNumber(path, first.reason)
    return value


def _unusable(value: Any, root: str) -> Iterator[tuple[str, _Unusable]]:
    """Every unusable number in a parsed document, with its path, in document order."""
    stack: list[tuple[str, Any]] = [(root, value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, _Unusable):
            yield path, item
        elif isinstance(item, dict):
            stack.extend((_key_path(path, key), child) for key, child in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((f"{path}[{index}]", child) for index, child in reversed(list(enumerate(item))))


def _key_path(path: str, key: str) -> str:
    if not key.isidentifier():
        return f"{path}[{key!r}]"
    return f"{path}.{key}" if path else key


def load_json_file(raw: bytes | str, what: str, root: str = "") -> Any:
    """Parse a file the user handed us; a ValidationError on `file` (or the field holding
    an unusable number) says why it is not `what`."""
    try:
        return parse_json(raw, root)
    except UnicodeDecodeError:
        raise ValidationError(Problem("file", "is not UTF-8 text")) from None
    except json.JSONDecodeError as error:
        raise ValidationError(Problem("file", f"is not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})")) from None
    except UnusableNumber as error:
        # A number that is the file, or an item of a list the format does not name, is the file's problem.
        field = error.path if error.path and not error.path.startswith("[") else "file"
        raise ValidationError(Problem(field, error.reason)) from None
    except RecursionError:
        # Deeply nested arrays or objects exhaust the parser's stack.
        raise ValidationError(Problem("file", f"is nested too deeply to be {what}")) from None
