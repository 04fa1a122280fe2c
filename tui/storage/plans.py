"""PlanRepository: each routine's plan, with the versions before it, in `plans.json`.

Every change is one transaction that reads the versions, applies the domain's
rule (`PlanHistory.with_plan`, `without`, `moved`) and writes them back, so
two copies of the app changing plans at once lose nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Callable

from tui.domain.problems import ValidationError
from tui.domain.schedule import Plan, PlanHistory, version_from_dict
from tui.storage.datadir import DataDir
from tui.storage.files import DataFileError, read_all, transaction

TABLE = "plans"
"""The table of plan versions in the file."""


class PlanRepository:
    """Reads and changes the plans (tui/domain/schedule.py says what they mean)."""

    def __init__(self, data_dir: DataDir) -> None:
        self.data_dir = data_dir
        """Where the plans file lives."""

    def history(self) -> PlanHistory:
        """Every plan version stored; DataFileError names the file when one cannot be read."""
        return self._decode(read_all(self.data_dir.plans).get(TABLE, {}))

    def current(self, day: date) -> list[Plan]:
        """The plans followed on `day`, by routine name."""
        return self.history().in_force(day)

    def plan_for(self, routine_id: str, day: date) -> Plan | None:
        """The plan a routine follows on `day`, or None."""
        return self.history().plan_for(routine_id, day)

    def set(self, plan: Plan, day: date) -> Plan:
        """Follow `plan` from `day` on (a change made earlier that day is replaced)."""
        self._change(lambda history: history.with_plan(plan, day))
        return plan

    def clear(self, routine_id: str, day: date) -> Plan | None:
        """Stop the routine's plan from `day` on; the plan that was cleared, or None when it had none."""
        before = self._change(lambda history: history.without(routine_id, day))
        return before.plan_for(routine_id, day)

    def move(self, from_id: str, to_id: str, to_name: str, day: date) -> Plan | None:
        """Pass the plan of `from_id` to `to_id` from `day` on (a routine replaced by the user's copy).

        The days before stay judged by the original routine's plan and sessions.
        Returns the plan as `to_id` now follows it, or None when `from_id` had none.
        """
        after = self._change(lambda history: history.moved(from_id, to_id, to_name, day), after=True)
        return after.plan_for(to_id, day)

    def _change(self, rule: Callable[[PlanHistory], PlanHistory], after: bool = False) -> PlanHistory:
        """Apply `rule` (PlanHistory -> PlanHistory) in one transaction; the history before (or `after`) it."""
        with transaction(self.data_dir.plans) as db:
            table = db.table(TABLE)
            before = self._decode({str(doc.doc_id): dict(doc) for doc in table.all()})
            changed = rule(before)
            if changed != before:
                table.truncate()
                table.insert_multiple(version.to_dict() for version in changed.versions)
        return changed if after else before

    def _decode(self, documents: dict[str, dict]) -> PlanHistory:
        try:
            return PlanHistory(version_from_dict(doc) for doc in documents.values())
        except ValidationError as error:
            # Valid JSON, but not a plan (edited by hand?): name the file, leave it be.
            raise DataFileError(" ".join(
                f"Data file {self.data_dir.plans} holds a plan that cannot be read ({error}); "
                "it was left untouched: repair it or move it aside.".split()
            )) from None
