"""How the domain reports bad input: one problem per field, in the user's words."""

from __future__ import annotations

from dataclasses import dataclass


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
