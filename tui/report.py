"""The report to take to a clinician, laid out: one self-contained HTML page, or Markdown to paste.

The HTML needs nothing from the network (no fonts, scripts or images from
elsewhere: the charts are inline SVG) and prints on A4 and Letter alike: the
page's margins come from `@page`, everything else is sized in percent. It reads
in black and white: the two pain series differ by line (solid, dashed) and
marker (circle, square) and are labelled; bars carry their numbers. Every
text from the user or the data dir goes through `safe_text` and, in HTML,
`html.escape`. No Textual here: `backrelief report` and the app both use it.
"""

from __future__ import annotations

import html
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Sequence

from tui.domain.report import Entry, ReportData
from tui.domain.text import safe_text

if TYPE_CHECKING:
    from tui.storage.store import Store

FORMATS = ("html", "md")
"""The formats `backrelief report --format` writes."""
CHART_WIDTH = 680
"""The charts' drawing width (they scale to the page)."""
PAIN_HEIGHT = 220
"""The pain chart's drawing height."""
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 16, 34
"""The room around a chart's plot area, for its axis labels."""


def _h(text: object, multiline: bool = False) -> str:
    """User text as harmless HTML text."""
    return html.escape(safe_text(str(text), multiline=multiline))


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def pain_chart(data: ReportData) -> str:
    """Pain before (solid line, circles) and after (dashed line, squares) each session, 0-10, over the days."""
    width, height = CHART_WIDTH, PAIN_HEIGHT
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    span = max(1, (data.until - data.since).days)

    def x(day: date) -> float:
        return LEFT + plot_w * (day - data.since).days / span

    def y(value: int) -> float:
        return TOP + plot_h * (1 - value / 10)

    parts = [f'<svg class="chart pain" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="Pain before and after each session, 0 to 10">']
    for value in (0, 5, 10):
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{width - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}"/>'
                     f'<text class="axis" x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{value}</text>')
    parts.append(f'<text class="axis" x="{LEFT}" y="{height - 8}">{data.since.isoformat()}</text>'
                 f'<text class="axis" x="{width - RIGHT}" y="{height - 8}" text-anchor="end">{data.until.isoformat()}</text>')
    for series, dash, marker in (("before", "", "circle"), ("after", ' stroke-dasharray="6 4"', "square")):
        points = [(x(p.day), y(getattr(p, series))) for p in data.pain if getattr(p, series) is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(f'<polyline class="line-{series}" points="{path}" fill="none"{dash}/>')
        for px, py in points:
            if marker == "circle":
                parts.append(f'<circle class="pt-{series}" cx="{px:.1f}" cy="{py:.1f}" r="3.5"/>')
            else:
                parts.append(f'<rect class="pt-{series}" x="{px - 3.5:.1f}" y="{py - 3.5:.1f}" width="7" height="7"/>')
    parts.append("</svg>")
    return "".join(parts)


def weeks_chart(data: ReportData) -> str:
    """Sessions done each week (hatched bars), with the plan's number as a dashed outline where there was one."""
    width, height = CHART_WIDTH, 200
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    top = max([1] + [w.done for w in data.weeks] + [w.planned or 0 for w in data.weeks])
    slot = plot_w / max(1, len(data.weeks))
    bar = max(4.0, slot * 0.6)
    parts = [f'<svg class="chart weeks" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="Sessions done each week, against the plan">',
             '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
             'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
             '<line x1="0" y1="0" x2="0" y2="6" stroke="#000" stroke-width="3"/></pattern></defs>',
             f'<line class="grid" x1="{LEFT}" x2="{width - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}"/>']
    for index, week in enumerate(data.weeks):
        left = LEFT + slot * index + (slot - bar) / 2
        done_h = plot_h * week.done / top
        parts.append(f'<rect class="bar-done" x="{left:.1f}" y="{TOP + plot_h - done_h:.1f}" width="{bar:.1f}" '
                     f'height="{done_h:.1f}" fill="url(#hatch)" stroke="#000"/>')
        if week.planned is not None:
            plan_h = plot_h * week.planned / top
            parts.append(f'<rect class="bar-planned" x="{left - 2:.1f}" y="{TOP + plot_h - plan_h:.1f}" '
                         f'width="{bar + 4:.1f}" height="{plan_h:.1f}" fill="none" stroke="#000" stroke-dasharray="4 3"/>')
        label = f"{week.done}/{week.planned}" if week.planned is not None else str(week.done)
        parts.append(f'<text class="value" x="{left + bar / 2:.1f}" y="{TOP + plot_h - max(done_h, plot_h * (week.planned or 0) / top) - 4:.1f}" '
                     f'text-anchor="middle">{label}</text>')
        if len(data.weeks) <= 14 or index % 2 == 0:
            parts.append(f'<text class="axis" x="{left + bar / 2:.1f}" y="{height - 14}" text-anchor="middle">'
                         f'{week.start.strftime("%d %b")}</text>')
    parts.append("</svg>")
    return "".join(parts)


def discomfort_chart(data: ReportData) -> str:
    """Each exercise's average discomfort, 0-10, as a labelled bar (with how many ratings and the highest)."""
    row = 26
    name_w = 190
    width, height = CHART_WIDTH, TOP + row * len(data.discomfort) + 24
    plot_w = width - name_w - 150
    parts = [f'<svg class="chart discomfort" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="Average discomfort per exercise, 0 to 10">']
    for index, item in enumerate(data.discomfort):
        top = TOP + row * index
        parts.append(f'<text class="label" x="{name_w - 8}" y="{top + 15}" text-anchor="end">{_h(item.name)}</text>'
                     f'<rect class="track" x="{name_w}" y="{top + 3}" width="{plot_w}" height="16" fill="none" stroke="#888"/>'
                     f'<rect class="bar-discomfort" x="{name_w}" y="{top + 3}" width="{plot_w * item.average / 10:.1f}" '
                     f'height="16" fill="url(#hatch2)" stroke="#000"/>'
                     f'<text class="value" x="{name_w + plot_w + 8}" y="{top + 15}">{item.average:.1f} / 10 '
                     f'({len(item.ratings)}×, worst {max(item.ratings)})</text>')
    parts.insert(1, '<defs><pattern id="hatch2" width="5" height="5" patternUnits="userSpaceOnUse">'
                    '<rect width="5" height="5" fill="#fff"/><circle cx="2.5" cy="2.5" r="1.3" fill="#000"/></pattern></defs>')
    parts.append("</svg>")
    return "".join(parts)


STYLE = """
@page { margin: 15mm 14mm; }
* { box-sizing: border-box; }
body { font-family: Georgia, "Times New Roman", serif; color: #000; background: #fff; margin: 0 auto;
       max-width: 180mm; font-size: 11pt; line-height: 1.35; }
h1 { font-size: 18pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; border-bottom: 1px solid #000; break-after: avoid; page-break-after: avoid; }
section, figure, table, .safety { break-inside: avoid; page-break-inside: avoid; }
figure { margin: 0; }
figcaption { font-size: 9.5pt; }
svg.chart { width: 100%; height: auto; display: block; }
svg .grid { stroke: #999; stroke-width: 1; }
svg .axis, svg .value, svg .label { font: 11px sans-serif; fill: #000; }
svg .line-before, svg .line-after { stroke: #000; stroke-width: 1.6; }
svg .pt-before { fill: #000; }
svg .pt-after { fill: #fff; stroke: #000; stroke-width: 1.4; }
table { border-collapse: collapse; width: 100%; font-size: 10pt; }
th, td { border: 1px solid #000; padding: 1mm 2mm; text-align: left; vertical-align: top; }
.key { font-size: 9.5pt; }
.safety { border: 2px solid #000; padding: 2mm 3mm; margin-top: 6mm; white-space: pre-line; }
.muted { font-style: italic; }
@media screen { body { padding: 12mm 0; } }
"""
"""Print first: black on white, borders and patterns instead of colour."""


def _list(entries: Sequence[Entry], empty: str) -> str:
    if not entries:
        return f'<p class="muted">{_h(empty)}</p>'
    rows = "".join(f"<tr><td>{_h(_when(e.at))}</td><td>{_h(e.text)}</td><td>{_h(e.detail, multiline=True)}</td></tr>"
                   for e in entries)
    return f"<table><tbody>{rows}</tbody></table>"


def render_html(data: ReportData, safety_note: str) -> str:
    """The report as one self-contained HTML page."""
    period = f"{data.since.isoformat()} to {data.until.isoformat()}"
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Back stretching report, {period}</title><style>{STYLE}</style></head><body>",
        "<h1>Back stretching report</h1>",
        f"<p>{period}: {data.sessions} sessions, {data.completed} completed. "
        "Pain is rated 0 (none) to 10 (worst), as is discomfort during a stretch.</p>",
        "<h2>Pain before and after each session</h2>",
    ]
    if data.pain:
        parts.append(f"<figure>{pain_chart(data)}<figcaption class=\"key\">● solid line: pain before; "
                     "□ dashed line: pain after.</figcaption></figure>")
    else:
        parts.append('<p class="muted">No pain ratings in this period.</p>')
    parts.append("<h2>Sessions per week</h2>")
    parts.append(f"<figure>{weeks_chart(data)}<figcaption class=\"key\">Hatched bar: sessions done; dashed outline "
                 "and the number after the slash: sessions the plan asked for (weeks starting Monday).</figcaption></figure>")
    parts.append("<h2>Discomfort per exercise</h2>")
    if data.discomfort:
        parts.append(f"<figure>{discomfort_chart(data)}<figcaption class=\"key\">Average rating after the stretch, "
                     "with how many ratings and the worst.</figcaption></figure>")
    else:
        parts.append('<p class="muted">No stretch was rated in this period.</p>')
    parts.append("<h2>“Something is wrong” reports</h2>")
    parts.append(_list(data.events, "None in this period."))
    parts.append("<h2>Warning-sign answers</h2>")
    parts.append(_list(data.screenings, "None in this period."))
    parts.append("<h2>Notes</h2>")
    parts.append(_list(data.notes, "No notes in this period."))
    parts.append("<h2>The routine as planned</h2>")
    if data.routines:
        for routine in data.routines:
            steps = "".join(f"<li>{_h(step)}</li>" for step in routine.steps)
            parts.append(f"<section><p><b>{_h(routine.name)}</b>: {_h(routine.plan)}</p><ol>{steps}</ol></section>")
    else:
        parts.append('<p class="muted">No routine was planned at the end of this period.</p>')
    parts.append(f'<div class="safety"><b>Safety note.</b> {_h(safety_note, multiline=True)}</div>')
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _md(text: object, multiline: bool = False) -> str:
    """User text for Markdown: harmless, and its Markdown characters taken literally."""
    shown = safe_text(str(text), multiline=multiline)
    return "".join("\\" + c if c in "\\`*_[]<>|#" else c for c in shown)


def render_markdown(data: ReportData, safety_note: str) -> str:
    """The report as Markdown, for pasting into a message."""
    lines = [f"# Back stretching report, {data.since.isoformat()} to {data.until.isoformat()}", "",
             f"{data.sessions} sessions, {data.completed} completed. Pain and discomfort are rated 0 (none) to 10 (worst).",
             "", "## Pain before and after each session", ""]
    if data.pain:
        lines += ["| Day | Before | After |", "|---|---|---|"]
        lines += [f"| {p.day.isoformat()} | {'' if p.before is None else p.before} | {'' if p.after is None else p.after} |"
                  for p in data.pain]
    else:
        lines.append("No pain ratings in this period.")
    lines += ["", "## Sessions per week", "", "| Week of | Done | Planned |", "|---|---|---|"]
    lines += [f"| {w.start.isoformat()} | {w.done} | {'' if w.planned is None else w.planned} |" for w in data.weeks]
    lines += ["", "## Discomfort per exercise", ""]
    if data.discomfort:
        lines += ["| Exercise | Average | Ratings | Worst |", "|---|---|---|---|"]
        lines += [f"| {_md(d.name)} | {d.average:.1f} | {len(d.ratings)} | {max(d.ratings)} |" for d in data.discomfort]
    else:
        lines.append("No stretch was rated in this period.")
    for title, entries in (("“Something is wrong” reports", data.events), ("Warning-sign answers", data.screenings),
                           ("Notes", data.notes)):
        lines += ["", f"## {title}", ""]
        lines += [f"- {_when(e.at)}: {_md(e.text)}" + (f": {_md(e.detail)}" if e.detail else "") for e in entries] or [
            "None in this period."]
    lines += ["", "## The routine as planned", ""]
    for routine in data.routines:
        lines.append(f"- **{_md(routine.name)}**: {_md(routine.plan)}")
        lines += [f"  {n}. {_md(step)}" for n, step in enumerate(routine.steps, 1)]
    if not data.routines:
        lines.append("No routine was planned at the end of this period.")
    lines += ["", "## Safety note", "", _md(safety_note, multiline=True), ""]
    return "\n".join(lines)


def render(data: ReportData, safety_note: str, file_format: str) -> str:
    """The report in `file_format` (one of FORMATS)."""
    return render_markdown(data, safety_note) if file_format == "md" else render_html(data, safety_note)


def report_data(store: Store, since: date, until: date, zone: tzinfo) -> ReportData:
    """Gather a report of `since`..`until` from a data dir's `Store` (DataFileError when a file cannot be read)."""
    from datetime import timedelta

    from tui.domain.report import gather

    return gather(store.sessions(since=since - timedelta(days=1)), since, until, zone, store.plans.history(),
                  store.screenings.list(), store.routines.list(), store.routines.exercises())
