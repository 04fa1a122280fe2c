"""WarningSignList: tiers of warning signs as a list, each headed by what to do."""

from __future__ import annotations

from typing import Any, Iterable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tui.domain.warning_signs import NOT_A_DIAGNOSIS, SOURCES, TIERS, Tier
from tui.ui.user_text import PlainStatic


def _bullets(items: Iterable[str]) -> Table:
    """Items under a bullet each, wrapped lines lining up with the text, not the bullet."""
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(width=3, justify="right", no_wrap=True)
    table.add_column(ratio=1)
    for item in items:
        table.add_row("•", Text(item))
    return table


def signs_renderable(tiers: Iterable[Tier] = TIERS, sources: bool = False, note: bool = False) -> Group:
    """The tiers, each its title and action in bold and its signs below; then the note and the sources if asked.

    Built from `Text`, never markup, so nothing in the wording can be read as a style.
    """
    parts: list[RenderableType] = []
    for index, tier in enumerate(tiers):
        if index:
            parts.append(Text(""))
        parts.append(Text(f"{tier.title}: {tier.action}", style="bold"))
        parts.append(_bullets(s.text for s in tier.signs))
    if note:
        parts += [Text(""), Text(NOT_A_DIAGNOSIS, style="italic")]
    if sources:
        heading = Text("Sources", style="bold")
        heading.append(" (facts from these; the wording is backrelief's own)", style="not bold")
        parts += [Text(""), heading, _bullets(f"{source.name}: {source.where}" for source in SOURCES)]
    return Group(*parts)


class WarningSignList(PlainStatic):
    """Some or all of the tiers, optionally with the not-a-diagnosis note and the sources."""

    def __init__(self, tiers: Iterable[Tier] = TIERS, sources: bool = False, note: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(signs_renderable(tuple(tiers), sources, note), **kwargs)
