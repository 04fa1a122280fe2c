"""Accepting a progression: a custom routine changes in place, a built-in one gets the user's copy and its plan."""

from datetime import date, timedelta

from tests.unit.test_progression import run
from tui.domain.progression import suggest
from tui.domain.schedule import make_plan

DAY = date(2026, 11, 20)


def test_first_step_up_of_a_built_in_makes_the_users_copy_and_the_plan_follows_it(store):
    builtin = store.routines.get("back-spasm-relief")
    store.plans.set(make_plan(builtin.id, builtin.name, 2), DAY - timedelta(days=10))
    for day in range(3):
        store.journal.add(run(builtin, day))
    offer = store.suggestions([builtin], DAY).get(builtin.id)
    assert offer is not None and offer.kind == "step up"
    copy = store.accept_suggestion(builtin, offer, DAY)
    assert copy.name == "Back spasm relief (mine)" and not copy.builtin
    assert getattr(copy.steps[offer.step - 1], offer.field) == offer.after
    assert store.routines.get("back-spasm-relief").steps == builtin.steps  # the built-in stays as shipped
    assert store.plans.plan_for(copy.id, DAY).per_day == 2
    assert store.plans.plan_for(builtin.id, DAY) is None
    assert store.plans.plan_for(builtin.id, DAY - timedelta(days=1)) is not None  # the past keeps its plan


def test_a_custom_routine_changes_in_place(store):
    builtin = store.routines.get("back-spasm-relief")
    mine = store.routines.duplicate(builtin.id)
    for day in range(3):
        store.journal.add(run(mine, day))
    offer = suggest(mine, store.routines.exercises(), store.journal.list())
    changed = store.accept_suggestion(mine, offer, DAY)
    assert changed.id == mine.id and changed.name == mine.name
    assert store.routines.get(mine.id) == changed
    assert len(store.routines.list()) == 2
