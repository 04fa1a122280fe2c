"""ScreeningRepository: the answers to the warning-sign question, each with its time.

Kept in their own file (`screenings.json`), apart from the settings: they are
a record of what the person said about their health, which a report lists,
not a preference. Answers are only ever added.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from tui.storage.datadir import DataDir
from tui.storage.files import DataFileError, read_all, transaction

if TYPE_CHECKING:
    from tui.domain.warning_signs import ScreeningAnswer

TABLE = "answers"
"""The table the answers are kept in."""


class ScreeningRepository:
    """Adds and lists answers to the warning-sign question."""

    def __init__(self, data_dir: DataDir) -> None:
        self.data_dir = data_dir
        """Where the answers live."""

    def add(self, answer: ScreeningAnswer) -> ScreeningAnswer:
        """Store one answer."""
        with transaction(self.data_dir.screenings) as db:
            db.table(TABLE).insert(_to_dict(answer))
        return answer

    def list(self) -> list[ScreeningAnswer]:
        """Every answer, oldest first; DataFileError names the file if one cannot be read."""
        path = self.data_dir.screenings
        answers = []
        for doc_id, doc in read_all(path).get(TABLE, {}).items():
            try:
                answers.append(_from_dict(doc))
            except (KeyError, TypeError, ValueError) as error:
                raise DataFileError(f"Data file {path} holds an answer that cannot be read (answer {doc_id}: "
                                    f"{error}); it was left untouched: repair it or move it aside.") from None
        return sorted(answers, key=lambda a: a.at)


def _to_dict(answer: ScreeningAnswer) -> dict:
    return {"at": answer.at.isoformat(), "answer": answer.answer}


def _from_dict(doc: dict) -> ScreeningAnswer:
    from tui.domain.warning_signs import ScreeningAnswer  # not needed for the menu's first frame

    return ScreeningAnswer(at=datetime.fromisoformat(doc["at"]), answer=doc["answer"])
