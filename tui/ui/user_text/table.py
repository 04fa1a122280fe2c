"""PlainTable: Textual's DataTable behind the user-text boundary (see `tui.ui.user_text`).

A module of its own so that only the screens with a table load Textual's DataTable;
the menu, drawn at start-up, has none.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from tui.ui.user_text import plain_rich


def _cell(value: Any) -> Any:
    """A table cell: a str as one line of plain, harmless Rich Text (a str cell would be read as markup)."""
    return plain_rich(value) if isinstance(value, str) else value


class PlainTable(DataTable):
    """Textual's DataTable, except that str cells and headings are shown as they are (made harmless), never as markup."""

    def add_column(self, label: Any, *, width: int | None = None, key: str | None = None,
                   default: Any = None) -> ColumnKey:
        """Add a column; a str heading is plain text."""
        return super().add_column(_cell(label), width=width, key=key, default=default)

    def add_row(self, *cells: Any, height: int | None = 1, key: str | None = None, label: Any = None) -> RowKey:
        """Add a row; str cells are plain text."""
        return super().add_row(*(_cell(c) for c in cells), height=height, key=key,
                               label=None if label is None else _cell(label))

    def update_cell(self, row_key: Any, column_key: Any, value: Any, *, update_width: bool = False) -> None:
        """Change one cell; a str is plain text."""
        super().update_cell(row_key, column_key, _cell(value), update_width=update_width)

    def update_cell_at(self, coordinate: Any, value: Any, *, update_width: bool = False) -> None:
        """Change the cell at `coordinate`; a str is plain text."""
        super().update_cell_at(coordinate, _cell(value), update_width=update_width)

    def action_scroll_home(self) -> None:
        """Home: the first row, in a table of rows (Textual's DataTable only scrolls to the left edge)."""
        if self.cursor_type == "row" and self.row_count:
            self.move_cursor(row=0)
        super().action_scroll_home()

    def action_scroll_end(self) -> None:
        """End: the last row, in a table of rows (the columns stay where they are: the first ones say which hold)."""
        if self.cursor_type == "row":
            if self.row_count:
                self.move_cursor(row=self.row_count - 1)
            return
        super().action_scroll_end()
