"""Plain mode: a session as one plain line per event, for screen readers and slow links.

`backrelief start ROUTINE --plain` (or the `plain_mode` setting, or `TERM=dumb`)
runs the same engine and recorder as the hold screen, but writes lines instead
of drawing: no cursor movement, no colours, no redraws, so a screen reader (over
SSH, the user's own) reads each line once. Nothing here imports Textual.

- `narration`: which lines a session's moments give, and when (pure, clock-driven).
- `terminal`: the keyboard in cbreak mode, and the terminal put back on every way out.
- `session`: the whole plain session, check-ins to journal.
"""
