"""VirtualTable: a table of many rows that draws only the lines on screen.

Textual's DataTable keeps a styled cell for every row and column and measures
each one as it is added: ten years of journal rows took seconds to go in and
megabytes to keep. This table keeps the caller's own list of rows (not a copy)
and asks a column for a cell only when its line is drawn, so showing,
filtering or scrolling ten thousand rows costs what a screenful costs.

Columns are chosen by the width there is (`fit`): a column marked `keep`
always shows (narrowed down to its `min_width` if it must), the others go in
the order of their `drop` rank as the table narrows, and one `grow` column
takes what is left. A row is known by its key, so when the rows change (an
edit, a filter, older rows read in above) the cursor stays on the same row.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, ClassVar, Generic, Sequence, TypeVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.ui.user_text import plain_rich

R = TypeVar("R")
"""A row: whatever the columns make their cells from."""

EDGE = 1
"""Blank cells before the first column."""
GAP = 2
"""Blank cells between two columns."""


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: its heading, how a row's cell is made, and how it gives way when the table is narrow."""

    key: str
    """What the column is known by."""
    heading: str
    """Shown above it."""
    cell: Callable[[R], Text | str]
    """A row's cell: a str is shown plain and harmless (never markup); cut with an ellipsis when wider than the column."""
    width: int
    """Cells it takes when there is room (at least the heading's)."""
    keep: bool = False
    """Shown at every width (the table's reason to be)."""
    min_width: int | None = None
    """For a kept column: how narrow it may get before the table cuts its right edge (None: never narrower)."""
    drop: int = 0
    """For a column not kept: the lowest rank goes first as the table narrows."""
    grow_to: int | None = None
    """Takes the width left over, up to this many cells (its `width` is then the least it is shown at)."""


def fit_columns(columns: Sequence[Column[R]], width: int) -> list[tuple[Column[R], int]]:
    """The columns shown in `width` cells, in their order, each with the cells it gets.

    Columns not kept are dropped by rank until the rest fit; then kept columns
    narrow down to their `min_width`; then the `grow_to` column takes what is left.
    """
    shown = [replace(column, width=max(column.width, len(column.heading))) for column in columns]

    def total(cols: Sequence[Column[R]]) -> int:
        return EDGE + sum(c.width for c in cols) + GAP * max(0, len(cols) - 1)

    for column in sorted((c for c in shown if not c.keep), key=lambda c: c.drop):
        if total(shown) <= width:
            break
        shown.remove(column)
    widths = {c.key: c.width for c in shown}
    over = total(shown) - width
    for column in shown:
        if over <= 0:
            break
        if column.keep and column.min_width is not None and column.width > column.min_width:
            give = min(over, column.width - column.min_width)
            widths[column.key] -= give
            over -= give
    left = -over
    for column in shown:
        if left > 0 and column.grow_to is not None and column.grow_to > column.width:
            give = min(left, column.grow_to - column.width)
            widths[column.key] += give
            left -= give
    return [(column, widths[column.key]) for column in shown]


class VirtualTable(ScrollView, Generic[R], can_focus=True):
    """Rows with a row cursor; only the lines on screen are made. `enter` (or a click on the cursor row) selects."""

    DEFAULT_CSS = """
    VirtualTable {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;  /* the columns keep their width when the rows come to need a scrollbar */
        &:focus {
            background-tint: $foreground 5%;
            & > .virtual-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        & > .virtual-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .virtual-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .virtual-table--stripe {
            background: $surface-lighten-1 50%;
        }
        &:dark > .virtual-table--stripe {
            background: $surface-darken-1 40%;
        }
        & > .virtual-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=True, repaint=False)
    """The heading and every row: rows read in below the screen change the scrollbar, not the lines on screen."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header", "virtual-table--cursor", "virtual-table--stripe",
    }
    """The heading line, the cursor row, and every second row (zebra stripes)."""

    BINDINGS = [
        Binding("enter", "select", "Select", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
    ]

    class RowSelected(Message):
        """A row was chosen: `enter`, or a click on the cursor row."""

        def __init__(self, table: VirtualTable, row: object) -> None:
            super().__init__()
            self.table = table
            """The table it came from."""
            self.row = row
            """The row chosen."""

        @property
        def control(self) -> VirtualTable:
            """The table (so `@on(VirtualTable.RowSelected, "#id")` can pick a table)."""
            return self.table

    def __init__(self, columns: Sequence[Column[R]], key: Callable[[R], str], *, name: str | None = None,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._columns: list[Column[R]] = list(columns)
        self._key = key
        self._rows: Sequence[R] = []
        self._shown: list[tuple[Column[R], int]] = []
        self._fitted_to = -1
        self._cursor = 0
        self._cursor_key: str | None = None
        self._lines: LRUCache[tuple, Strip] = LRUCache(256)

    # -- what it shows --------------------------------------------------

    @property
    def rows(self) -> Sequence[R]:
        """The rows, in the order shown (the caller's own sequence)."""
        return self._rows

    @property
    def row_count(self) -> int:
        """How many rows there are (not only those on screen)."""
        return len(self._rows)

    @property
    def cursor_row(self) -> int:
        """The index of the row under the cursor (0 when there are none)."""
        return self._cursor

    @property
    def cursor_value(self) -> R | None:
        """The row under the cursor, or None when there are none."""
        return self._rows[self._cursor] if self._rows else None

    @property
    def shown_columns(self) -> list[str]:
        """The keys of the columns that fit the width the table has now."""
        self._fit()
        return [column.key for column, _ in self._shown]

    def shown_cells(self, index: int) -> list[str]:
        """The text of each cell of a row as it fits its column now (cut with an ellipsis where too long)."""
        self._fit()
        row = self._rows[index]
        cells = []
        for column, width in self._shown:
            cell = column.cell(row)
            shown = cell.copy() if isinstance(cell, Text) else plain_rich(cell)
            shown.truncate(width, overflow="ellipsis")
            cells.append(shown.plain)
        return cells

    def set_columns(self, columns: Sequence[Column[R]]) -> None:
        """Change the columns (a wider routine name came in, say); they are fitted again.

        Lines are drawn again only when what fits the width changes: a column
        not shown, or wider where there is no room, changes nothing on screen.
        """
        columns = list(columns)
        if columns == self._columns:
            return
        before = [(column, width) for column, width in self._shown]
        self._columns = columns
        self._fitted_to = -1
        self._fit()
        if self._shown != before:
            self._changed()

    def set_rows(self, rows: Sequence[R], keep: str | None = None) -> None:
        """Show `rows` (kept, not copied); the cursor goes to the row with key `keep`, else stays on its row.

        A row no longer there leaves the cursor at the same index (the next row
        down), or on the last row.
        """
        self._rows = rows
        target = keep if keep is not None else self._cursor_key
        index = self.index_of(target) if target is not None else None
        self._set_cursor(self._cursor if index is None else index)
        self._changed()

    def rows_inserted(self, at: int, count: int) -> None:
        """`count` rows were put in the shown sequence at `at`: the cursor and the view stay on their rows."""
        if count <= 0:
            return
        if self._cursor_key is None:
            self._set_cursor(0)  # the first rows
        elif at <= self._cursor:
            self._cursor += count
        self._measure()  # first: the view can only scroll as far as the rows go
        top = self.scroll_offset.y
        if at < top or (at == top and top > 0):
            self._shift_view(top + count)  # the rows on screen stay on screen
        elif at < top + self._page:
            self.refresh()  # they go in on screen (lines are kept by row, not by place: none is stale)

    def _shift_view(self, top: int) -> None:
        """Scroll to `top` where the lines on screen are the same as before (rows went in above them).

        Only the scrollbar moves: a scroll would redraw every line on screen as
        it is (Textual redraws a ScrollView whose offset changes), and rows come
        in above a reader of the oldest rows a few times while the journal is read.
        """
        self.set_reactive(VirtualTable.scroll_target_y, float(top))
        self.set_reactive(VirtualTable.scroll_y, float(top))
        if self.show_vertical_scrollbar:
            self.vertical_scrollbar.position = top

    def index_of(self, key: str | None) -> int | None:
        """The index of the row with this key, or None (one pass over the rows)."""
        if key is None:
            return None
        for index, row in enumerate(self._rows):
            if self._key(row) == key:
                return index
        return None

    def move_cursor(self, row: int) -> None:
        """Put the cursor on the row at this index (clamped to the rows there are) and scroll it into view."""
        self._set_cursor(row)
        self._scroll_to_cursor()
        self.refresh()

    def _set_cursor(self, index: int) -> None:
        self._cursor = max(0, min(index, len(self._rows) - 1))
        self._cursor_key = self._key(self._rows[self._cursor]) if self._rows else None

    def _changed(self) -> None:
        self._lines.clear()
        self._measure()
        self._scroll_to_cursor()
        self.refresh()

    def _measure(self) -> None:
        """The scrollable height: the heading and every row."""
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._rows) + 1)

    # -- moving ---------------------------------------------------------

    @property
    def _page(self) -> int:
        """Rows on screen at once (the heading takes a line)."""
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        top = self.scroll_offset.y
        if self._cursor < top:
            self.set_scroll(None, self._cursor)
        elif self._cursor >= top + self._page:
            self.set_scroll(None, self._cursor - self._page + 1)

    def action_cursor_up(self) -> None:
        """One row up."""
        self.move_cursor(self._cursor - 1)

    def action_cursor_down(self) -> None:
        """One row down."""
        self.move_cursor(self._cursor + 1)

    def action_page_up(self) -> None:
        """A screenful up."""
        self.move_cursor(self._cursor - self._page)

    def action_page_down(self) -> None:
        """A screenful down."""
        self.move_cursor(self._cursor + self._page)

    def action_first(self) -> None:
        """The first row."""
        self.move_cursor(0)

    def action_last(self) -> None:
        """The last row."""
        self.move_cursor(len(self._rows) - 1)

    def action_select(self) -> None:
        """Say which row was chosen."""
        if self._rows:
            self.post_message(self.RowSelected(self, self._rows[self._cursor]))

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return  # the heading
        index = self.scroll_offset.y + offset.y - 1
        if 0 <= index < len(self._rows):
            again = index == self._cursor
            self.move_cursor(index)
            if again:
                self.action_select()

    # -- drawing --------------------------------------------------------

    def _fit(self) -> None:
        width = self.scrollable_content_region.width
        if width != self._fitted_to:
            self._fitted_to = width
            shown = fit_columns(self._columns, width)
            if shown != self._shown:
                self._shown = shown
                self._lines.clear()

    def on_resize(self) -> None:
        # Textual redraws a widget whose size changed; the columns are fitted again as it draws.
        self._measure()
        self._scroll_to_cursor()
        # Drawn again once the new size is laid out: in a real terminal the lines can be drawn at the new size
        # before this scroll, and stay so (the cursor row left below a shorter screen).
        self.call_after_refresh(self._follow_resize)

    def _follow_resize(self) -> None:
        self._scroll_to_cursor()
        if self.scroll_offset.y:  # at the top nothing moved: no second drawing of the first frame's lines
            self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()

    def _on_focus(self, event: events.Focus) -> None:
        self._lines.clear()
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self._lines.clear()
        self.refresh()

    def _line(self, cells: list[Text | str], style: Style, width: int) -> Strip:
        """One line of `width` cells on `style`: each cell cut or padded to its column."""
        line = Text(" " * EDGE, no_wrap=True, end="")
        for index, (cell, (_, cell_width)) in enumerate(zip(cells, self._shown)):
            if index:
                line.append(" " * GAP)
            shown = cell.copy() if isinstance(cell, Text) else plain_rich(cell)
            shown.truncate(cell_width, overflow="ellipsis", pad=True)
            line.append_text(shown)
        line.truncate(width, pad=True)
        # The row's style under each cell's own (a red `!` stays red on the cursor row).
        return Strip(Segment.apply_style(line.render(self.app.console), style), width)

    def render_line(self, y: int) -> Strip:
        self._fit()
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            key: tuple = ("heading",)
            strip = self._lines.get(key)
            if strip is None:
                style = base + self.get_component_rich_style("virtual-table--header")
                strip = self._lines[key] = self._line([c.heading for c, _ in self._shown], style, width)
            return strip
        index = self.scroll_offset.y + y - 1
        if index >= len(self._rows):
            return Strip.blank(width, base)
        row = self._rows[index]
        cursor = index == self._cursor
        key = (self._key(row), cursor, index % 2)
        strip = self._lines.get(key)
        if strip is None:
            style = base
            if cursor:
                style = base + self.get_component_rich_style("virtual-table--cursor")
            elif index % 2:
                style = base + self.get_component_rich_style("virtual-table--stripe")
            strip = self._lines[key] = self._line([column.cell(row) for column, _ in self._shown], style, width)
        return strip

