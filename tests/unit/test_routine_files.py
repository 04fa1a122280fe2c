"""Routine files the user names, as the command line and the menu's dialog both read and write them."""

from __future__ import annotations

import pytest

from tui.domain.routines import MAX_FILE_BYTES
from tui.storage.routine_files import (
    RoutineFileClash,
    RoutineFileProblem,
    export_routine_file,
    import_routine_file,
    read_named_file,
)
from tui.storage.store import Store


def test_an_exported_routine_imports_again_only_as_a_copy(tmp_path):
    store = Store.open(tmp_path / "data")
    path = export_routine_file(store.routines, "back-spasm-relief", tmp_path / "relief.json")
    with pytest.raises(RoutineFileClash) as clash:
        import_routine_file(store.routines, path)
    assert clash.value.again == "import it as 'Back spasm relief (copy)'"
    assert str(clash.value).startswith(f"{path}: ")
    copy = import_routine_file(store.routines, path, as_copy=True)
    assert copy.name == "Back spasm relief (copy)" and store.routines.get(copy.id) == copy


def test_an_export_asks_before_replacing_a_file_unless_told_to(tmp_path):
    store = Store.open(tmp_path / "data")
    target = tmp_path / "mine.json"
    target.write_text("keep me")
    with pytest.raises(RoutineFileClash) as clash:
        export_routine_file(store.routines, "back-spasm-relief", target, replace=False)
    assert clash.value.again == "replace it" and target.read_text() == "keep me"
    export_routine_file(store.routines, "back-spasm-relief", target, replace=True)
    assert '"backrelief-routine"' in target.read_text()


@pytest.mark.parametrize("make, words", [
    (lambda p: p.mkdir(), "is a directory"),
    (lambda p: None, "cannot use"),
])
def test_a_file_that_cannot_be_read_is_one_line_naming_it(tmp_path, make, words):
    path = tmp_path / "routine.json"
    make(path)
    with pytest.raises(RoutineFileProblem) as problem:
        import_routine_file(Store.open(tmp_path / "data").routines, path)
    assert words in str(problem.value) and str(path) in str(problem.value) and "\n" not in str(problem.value)


def test_a_file_is_read_one_byte_past_the_limit_so_too_large_can_be_said(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * (MAX_FILE_BYTES + 100))
    assert len(read_named_file(path, MAX_FILE_BYTES)) == MAX_FILE_BYTES + 1
    with pytest.raises(RoutineFileProblem, match="big.json"):
        import_routine_file(Store.open(tmp_path / "data").routines, path)
