"""How the domain reports bad input: one problem per field, in the user's words."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


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


def load_json_file(raw: bytes | str, what: str) -> Any:
    """Parse a file the user handed us; a ValidationError on `file` says why it is not `what`."""
    try:
        return json.loads(raw)
    except UnicodeDecodeError:
        raise ValidationError(Problem("file", "is not UTF-8 text")) from None
    except json.JSONDecodeError as error:
        raise ValidationError(Problem("file", f"is not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})")) from None
    except RecursionError:
        # Deeply nested arrays or objects exhaust the parser's stack.
        raise ValidationError(Problem("file", f"is nested too deeply to be {what}")) from None
