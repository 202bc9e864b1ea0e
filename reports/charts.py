"""Charts rendered on the server as SVG: pure functions, no ORM, no request.

The same markup goes inline into the dashboard and into the PDF reports
(WeasyPrint), so every chart is plain SVG: explicit ``width``, ``height`` and
``viewBox``, presentation attributes instead of a ``<style>`` element (one
inline ``<style>`` would restyle the whole page), no script, no external font,
image or link. Text is German, numbers are formatted by kimportal.money, every
text is escaped, and the output is deterministic: the same input gives the
same string, so a chart can be cached, compared and stored with a report.

Coordinates are computed with Decimals like the money they draw and written
with one decimal place.

Accessibility: each chart is ``<svg role="img" aria-labelledby="ID-title ID-desc">``
with a ``<title>`` and a ``<desc>`` that lists the figures; ``bar_table`` and
``step_table`` give the same figures as a table for a fallback (and for print).

The API:

- ``bar_chart(categories, series, *, chart_id, title, description, unit, stacked, notes) -> str``
  horizontal bars, one row per category; one series gives plain bars, several
  give grouped bars (side by side) or, with ``stacked=True``, stacked bars.
- ``step_chart(series, *, chart_id, title, description, start, end, unit, markers) -> str``
  a value that changes at dates (a balance), drawn as steps from ``start`` to
  ``end``, with vertical marker lines (an expiry date) labelled in the plot.
- ``bar_table(...)`` / ``step_table(...) -> DataTable``: the same figures as rows.
- ``Series``, ``StepSeries``, ``Marker``, ``Band``: the input; ``EURO``, ``FTE``, ``DAYS``: units.
- ``Chart``: a chart's id, title, description, SVG and table, as pages and PDFs embed it.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from html import escape
import re

from kimportal.money import format_fte, format_money, format_number, to_decimal

ZERO = Decimal("0")
ONE = Decimal("1")

FONT = "system-ui, 'Segoe UI', 'DejaVu Sans', Arial, sans-serif"
INK = "#1d2733"
MUTED = "#5b6775"
GRID = "#d5dbe2"
MARKER = "#a4161a"
# Colours of the series, in order; the accent of the stylesheet first. Each is
# distinguishable from the next for the common colour-vision deficiencies, and
# every bar also carries its figure as text.
PALETTE = ("#00577d", "#f2a900", "#7fb8d4", "#5b6775", "#a4161a")

# Average advance of a character as a share of the font size (for layout only).
CHAR_WIDTH = Decimal("0.58")
# The category labels of a bar chart take at most this share of its width.
LABEL_SHARE = Decimal("0.34")
EMPTY_TEXT = "Keine Daten für diese Auswahl."


# --------------------------------------------------------------------------- units


@dataclass(frozen=True)
class Unit:
    """How a figure is written: ``format`` for the figure, ``name`` for the axis."""

    name: str
    format: Callable[[Decimal], str]


def _with_suffix(suffix: str) -> Callable[[Decimal], str]:
    return lambda value: f"{format_fte(value)}\u00a0{suffix}"


EURO = Unit("Euro", lambda value: format_money(value))
FTE = Unit("VZÄ", _with_suffix("VZÄ"))
DAYS = Unit("Tage pro Woche", _with_suffix("Tage"))


# --------------------------------------------------------------------------- input


@dataclass(frozen=True)
class Series:
    """One series of a bar chart: a name (legend, table heading) and one value per category."""

    name: str
    values: tuple[Decimal, ...]
    color: str | None = None


@dataclass(frozen=True)
class StepSeries:
    """A value that holds from each point's date until the next point.

    ``usable_until``: after this date the line is drawn dashed and grey (a
    coverage source whose balance can no longer be used).
    """

    name: str
    points: tuple[tuple[date, Decimal], ...]
    usable_until: date | None = None
    color: str | None = None


@dataclass(frozen=True)
class Marker:
    """A vertical line at a date, labelled (e.g. "verwendbar bis 30.11.2021")."""

    day: date
    label: str


@dataclass(frozen=True)
class Band:
    """A shaded stretch of time, labelled (e.g. the fiscal year the page is about)."""

    start: date
    end: date
    label: str


@dataclass(frozen=True)
class DataTable:
    """A chart's figures as a table: the first column heads the row; ``text_columns`` counts
    the columns at the end that hold text (a remark) rather than figures."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    text_columns: int = 0

    def _numeric(self, index: int) -> bool:
        return 0 < index < len(self.headers) - self.text_columns

    @property
    def head(self) -> list[tuple[str, bool]]:
        """(heading, is a figure) per column, for a template."""
        return [(heading, self._numeric(index)) for index, heading in enumerate(self.headers)]

    @property
    def body(self) -> list[list[tuple[str, bool]]]:
        """Each row as (cell, is a figure) per column, for a template."""
        return [[(cell, self._numeric(index)) for index, cell in enumerate(row)] for row in self.rows]


@dataclass(frozen=True)
class Chart:
    """What a page or a PDF embeds: ``svg`` inline, ``table`` as its fallback."""

    id: str
    title: str
    description: str
    svg: str
    table: DataTable


# --------------------------------------------------------------------------- helpers


def _num(value: Decimal) -> str:
    """A coordinate with one decimal place, without a trailing ",0" (SVG wants a dot)."""
    text = f"{to_decimal(value).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}"
    return text[:-2] if text.endswith(".0") else text


def _text_width(text: str, size: int) -> Decimal:
    return len(text) * size * CHAR_WIDTH


def _fit(text: str, width: Decimal, size: int) -> str:
    """The text, shortened with an ellipsis to fit the width."""
    limit = int(width / (size * CHAR_WIDTH))
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 1)].rstrip() + "…"


def _wrap(text: str, width: Decimal, size: int, max_lines: int = 3) -> list[str]:
    """The text in lines that fit the width, breaking after a dash (" – ") first, then between words;
    what does not fit into ``max_lines`` is cut with an ellipsis."""
    limit = max(int(width / (size * CHAR_WIDTH)), 1)
    if len(text) <= limit:
        return [text]
    head, dash, tail = text.partition(" – ")
    if dash and len(head) + 2 <= limit:
        return [f"{head} –", *_wrap(tail, width, size, max_lines - 1)] if max_lines > 1 else [_fit(text, width, size)]
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [" ".join(lines[max_lines - 1:])]
    return [_fit(line, width, size) for line in lines]


def _lines(x, middle, lines: list[str], *, size: int, line_height: Decimal, tooltip: str) -> str:
    """Right-aligned lines of text centred on ``middle``, in one <text> (so it reads as one label)."""
    first = middle - line_height * (len(lines) - 1) / 2 + Decimal(size) / 3
    spans = "".join(
        f'<tspan x="{_num(x)}" y="{_num(first + line_height * number)}">{escape(line)}</tspan>'
        for number, line in enumerate(lines))
    title = f"<title>{escape(tooltip)}</title>" if " ".join(lines) != tooltip else ""
    return f'<text font-size="{size}" fill="{INK}" text-anchor="end">{title}{spans}</text>'


def _safe_id(chart_id: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "-", chart_id).strip("-")
    if not cleaned or not cleaned[0].isalpha():
        cleaned = f"chart-{cleaned}".rstrip("-")
    return cleaned


def _scale(maximum: Decimal, ticks: int = 5) -> tuple[Decimal, Decimal]:
    """A round axis end and step for values from 0 to ``maximum`` (1, 2, 2.5 or 5 × 10^k)."""
    maximum = max(to_decimal(maximum), ZERO)
    if maximum == 0:
        return ONE, ONE
    raw = maximum / ticks
    magnitude = Decimal(1).scaleb(raw.adjusted())
    step = next(m * magnitude for m in (ONE, Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
                if m * magnitude >= raw)
    top = (maximum / step).to_integral_value(rounding=ROUND_CEILING) * step
    return top, step


def _tick_text(value: Decimal, unit: Unit) -> str:
    if unit is EURO:
        return format_money(value)
    value = value.normalize()
    return format_number(value, max(0, -value.as_tuple().exponent))


def _text(x, y, content: str, *, size: int = 12, anchor: str = "start", fill: str = INK, weight: str = "",
          style: str = "", tooltip: str = "") -> str:
    attributes = f'x="{_num(x)}" y="{_num(y)}" font-size="{size}" fill="{fill}"'
    if anchor != "start":
        attributes += f' text-anchor="{anchor}"'
    if weight:
        attributes += f' font-weight="{weight}"'
    if style:
        attributes += f' font-style="{style}"'
    inner = escape(content)
    if tooltip and tooltip != content:
        inner = f"<title>{escape(tooltip)}</title>{inner}"
    return f"<text {attributes}>{inner}</text>"


def _svg(chart_id: str, title: str, description: str, width: int, height: int, body: list[str]) -> str:
    chart_id = _safe_id(chart_id)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="{escape(FONT)}" class="chart">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _empty(chart_id: str, title: str, description: str, width: int) -> str:
    height = 80
    body = [
        f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" fill="#f6f8fa" stroke="{GRID}"/>',
        _text(Decimal(width) / 2, Decimal(height) / 2 + 4, EMPTY_TEXT, size=13, anchor="middle", fill=MUTED),
    ]
    return _svg(chart_id, title, f"{description} {EMPTY_TEXT}".strip(), width, height, body)


def _legend(names: Sequence[str], colors: Sequence[str], x: Decimal, y: Decimal, *, line: bool = False) -> list[str]:
    parts = []
    for name, color in zip(names, colors):
        if line:
            parts.append(f'<line x1="{_num(x)}" y1="{_num(y - 4)}" x2="{_num(x + 16)}" y2="{_num(y - 4)}" '
                         f'stroke="{color}" stroke-width="3"/>')
        else:
            parts.append(f'<rect x="{_num(x)}" y="{_num(y - 10)}" width="12" height="12" fill="{color}"/>')
        parts.append(_text(x + 20, y, name, size=12))
        x += 20 + _text_width(name, 12) + 18
    return parts


def _colors(series) -> list[str]:
    return [s.color or PALETTE[index % len(PALETTE)] for index, s in enumerate(series)]


def _summary(parts: Sequence[str]) -> str:
    return "; ".join(parts) + "." if parts else ""


# --------------------------------------------------------------------------- bars


def bar_chart(categories: Sequence[str], series: Sequence[Series], *, chart_id: str, title: str,
              description: str = "", unit: Unit = EURO, stacked: bool = False,
              notes: Sequence[str] = (), width: int = 520) -> str:
    """Horizontal bars, one row per category, from zero to a round axis end.

    One series: plain bars. Several: grouped (one bar per series, side by side),
    or stacked (``stacked=True``, the row's total after the bar). ``notes`` has
    one text per category (or is empty); a row whose values are all zero shows
    its note instead of a bar (e.g. "kein Bedarf"). Negative values are drawn
    as zero and written as they are. No categories or no series: a chart that
    says there are no data.
    """
    categories = list(categories)
    series = [Series(s.name, tuple(to_decimal(v) for v in s.values), s.color) for s in series]
    if not categories or not series:
        return _empty(chart_id, title, description, width)
    if any(len(s.values) != len(categories) for s in series):
        raise ValueError("Every series needs one value per category.")
    notes = list(notes) or [""] * len(categories)
    colors = _colors(series)
    grouped = len(series) > 1 and not stacked

    def row_total(index):
        return sum((max(s.values[index], ZERO) for s in series), ZERO)

    extent = max((row_total(i) for i in range(len(categories))) if stacked else
                 (max(v, ZERO) for s in series for v in s.values))
    top, step = _scale(extent)

    label_size, value_size, line_height = 12, 11, Decimal(14)
    label_width = min(max(_text_width(c, label_size) for c in categories), Decimal(width) * LABEL_SHARE) + 12
    labels = [_wrap(c, label_width - 12, label_size) for c in categories]
    value_width = max(_text_width(unit.format(extent), value_size) + 14, Decimal(56))
    left, right = label_width, Decimal(width) - value_width
    plot = right - left
    bar = Decimal(11) if grouped else Decimal(16)
    bars_height = bar * len(series) if grouped else bar
    row = max(bars_height, line_height * max(len(lines) for lines in labels) - 4) + 10
    legend_height = Decimal(24) if len(series) > 1 else ZERO
    plot_top = legend_height + 6
    plot_bottom = plot_top + row * len(categories)
    height = int(plot_bottom + 38)

    def x_of(value: Decimal) -> Decimal:
        return left + plot * max(value, ZERO) / top

    body: list[str] = []
    if len(series) > 1:
        body += _legend([s.name for s in series], colors, left, Decimal(16))
    # Every tick gets a grid line; labels are thinned out where they would overlap.
    label_every = int(((_text_width(_tick_text(top, unit), 10) + 8) * top / (plot * step)).to_integral_value(
        rounding=ROUND_CEILING)) or 1
    tick, number = ZERO, 0
    while tick <= top:
        x = x_of(tick)
        body.append(f'<line x1="{_num(x)}" y1="{_num(plot_top)}" x2="{_num(x)}" y2="{_num(plot_bottom)}" '
                    f'stroke="{GRID}" stroke-width="1"/>')
        if number % label_every == 0:
            body.append(_text(x, plot_bottom + 15, _tick_text(tick, unit), size=10, anchor="middle", fill=MUTED))
        tick, number = tick + step, number + 1
    body.append(_text(left + plot / 2, plot_bottom + 32, unit.name, size=11, anchor="middle", fill=MUTED))

    for index, category in enumerate(categories):
        middle = plot_top + row * index + row / 2
        body.append(_lines(label_width - 8, middle, labels[index], size=label_size, line_height=line_height,
                           tooltip=category))
        values = [s.values[index] for s in series]
        if all(v == 0 for v in values) and notes[index]:
            body.append(_text(left + 6, middle + 4, _fit(notes[index], plot, value_size),
                              size=value_size, fill=MUTED, style="italic", tooltip=notes[index]))
            continue
        y = middle - bars_height / 2
        offset = left
        for number, (item, color) in enumerate(zip(series, colors)):
            value = item.values[index]
            bar_y = y + bar * number if grouped else y
            start = offset if stacked else left
            end = start + (x_of(value) - left)
            tooltip = f"{category}, {item.name}: {unit.format(value)}" if len(series) > 1 else \
                f"{category}: {unit.format(value)}"
            body.append(f'<rect x="{_num(start)}" y="{_num(bar_y)}" width="{_num(end - start)}" '
                        f'height="{_num(bar - 1 if grouped else bar)}" fill="{color}">'
                        f"<title>{escape(tooltip)}</title></rect>")
            if stacked:
                offset = end
            else:
                body.append(_text(end + 4, bar_y + bar / 2 + 4, unit.format(value), size=value_size))
        if stacked:
            body.append(_text(offset + 4, middle + 4, unit.format(row_total(index)), size=value_size,
                              weight="600"))
    body.append(f'<line x1="{_num(left)}" y1="{_num(plot_top)}" x2="{_num(left)}" y2="{_num(plot_bottom)}" '
                f'stroke="{INK}" stroke-width="1"/>')

    figures = []
    for index, category in enumerate(categories):
        values = ", ".join(
            f"{s.name} {unit.format(s.values[index])}" if len(series) > 1 else unit.format(s.values[index])
            for s in series)
        figures.append(f"{category}: {values}" + (f" ({notes[index]})" if notes[index] else ""))
    return _svg(chart_id, title, f"{description} {_summary(figures)}".strip(), width, height, body)


def bar_table(categories: Sequence[str], series: Sequence[Series], *, caption: str, category_heading: str,
              unit: Unit = EURO, notes: Sequence[str] = (), total: bool = False) -> DataTable:
    """The figures of ``bar_chart`` as rows; ``total`` adds a row "Summe"."""
    categories = list(categories)
    notes = list(notes)
    headers = (category_heading, *(s.name for s in series)) + (("Bemerkung",) if any(notes) else ())
    rows = []
    for index, category in enumerate(categories):
        cells = [unit.format(to_decimal(s.values[index])) for s in series]
        rows.append((category, *cells) + ((notes[index],) if any(notes) else ()))
    if total and categories:
        sums = [unit.format(sum((to_decimal(v) for v in s.values), ZERO)) for s in series]
        rows.append(("Summe", *sums) + (("",) if any(notes) else ()))
    return DataTable(caption, headers, tuple(rows), text_columns=1 if any(notes) else 0)


# --------------------------------------------------------------------------- steps


def _month_label(day: date) -> str:
    return f"{day:%m/%Y}"


def _months(start: date, end: date) -> list[date]:
    months, current = [], start.replace(day=1)
    while current <= end:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def step_chart(series: Sequence[StepSeries], *, chart_id: str, title: str, start: date, end: date,
               description: str = "", unit: Unit = EURO, markers: Sequence[Marker] = (),
               band: Band | None = None, width: int = 520, height: int = 260) -> str:
    """Values that hold until the next point, drawn as steps over time from ``start`` to ``end``.

    ``end`` is the last day shown. Each series starts at its first point; after
    its ``usable_until`` it goes on dashed and grey. A marker is a vertical
    line with its label at a date inside the range (outside, it is only named
    in the description). ``band`` shades a stretch of the range. No series with points, or an end before the start: a
    chart that says there are no data.
    """
    series = [s for s in series if s.points]
    if not series or end < start:
        return _empty(chart_id, title, description, width)
    colors = _colors(series)
    extent = max(max(to_decimal(v), ZERO) for s in series for _, v in s.points)
    top, step = _scale(extent)

    tick_size = 10
    left = max(_text_width(_tick_text(top, unit), tick_size) + 14, Decimal(40))
    right = Decimal(width) - 16
    plot_top, plot_bottom = Decimal(34), Decimal(height) - 38
    days = Decimal((end - start).days + 1)

    def x_of(day: date) -> Decimal:
        day = min(max(day, start), end)
        return left + (right - left) * Decimal((day - start).days) / days

    def y_of(value: Decimal) -> Decimal:
        return plot_bottom - (plot_bottom - plot_top) * max(to_decimal(value), ZERO) / top

    body: list[str] = _legend([s.name for s in series], colors, left, Decimal(16), line=True)
    if band is not None and band.start <= end and band.end >= start:
        x0, x1 = x_of(band.start), x_of(band.end)
        body.append(f'<rect x="{_num(x0)}" y="{_num(plot_top)}" width="{_num(x1 - x0)}" '
                    f'height="{_num(plot_bottom - plot_top)}" fill="#eef2f5"/>')
        body.append(_text((x0 + x1) / 2, plot_bottom - 6, band.label, size=10, anchor="middle", fill=MUTED))
    tick = ZERO
    while tick <= top:
        y = y_of(tick)
        body.append(f'<line x1="{_num(left)}" y1="{_num(y)}" x2="{_num(right)}" y2="{_num(y)}" '
                    f'stroke="{GRID}" stroke-width="1"/>')
        body.append(_text(left - 6, y + 4, _tick_text(tick, unit), size=tick_size, anchor="end", fill=MUTED))
        tick += step
    months = _months(start, end)
    every = max(1, -(-len(months) // 7))
    for month in months[::every]:
        x = x_of(month)
        body.append(f'<line x1="{_num(x)}" y1="{_num(plot_bottom)}" x2="{_num(x)}" y2="{_num(plot_bottom + 4)}" '
                    f'stroke="{INK}" stroke-width="1"/>')
        body.append(_text(x, plot_bottom + 17, _month_label(month), size=tick_size, anchor="middle", fill=MUTED))
    body.append(f'<line x1="{_num(left)}" y1="{_num(plot_bottom)}" x2="{_num(right)}" y2="{_num(plot_bottom)}" '
                f'stroke="{INK}" stroke-width="1"/>')

    for item, color in zip(series, colors):
        points = sorted((day, to_decimal(value)) for day, value in item.points)
        cut = item.usable_until if item.usable_until is not None and item.usable_until < end else None
        solid, dashed = [], []
        for index, (day, value) in enumerate(points):
            following = points[index + 1][0] if index + 1 < len(points) else end
            if following < start or day > end:
                continue
            if cut is not None and day > cut:
                dashed.append((day, following, value))
            elif cut is not None and following > cut:
                solid.append((day, cut, value))
                dashed.append((cut, following, value))
            else:
                solid.append((day, following, value))
        body += _step_path(solid, x_of, y_of, f'stroke="{color}" stroke-width="2.5"')
        body += _step_path(dashed, x_of, y_of, f'stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="5 4"')

    for marker in markers:
        if not start <= marker.day <= end:
            continue
        x = x_of(marker.day)
        body.append(f'<line x1="{_num(x)}" y1="{_num(plot_top - 6)}" x2="{_num(x)}" y2="{_num(plot_bottom)}" '
                    f'stroke="{MARKER}" stroke-width="1.5" stroke-dasharray="4 3"/>')
        anchor, dx = ("start", 4) if x < (left + right) / 2 else ("end", -4)
        body.append(_text(x + dx, plot_top + 6, marker.label, size=11, anchor=anchor, fill=MARKER, weight="600"))

    figures = []
    for item in series:
        points = sorted(item.points)
        figures.append(f"{item.name}: {unit.format(points[0][1])} am {points[0][0]:%d.%m.%Y}, "
                       f"{unit.format(points[-1][1])} ab {points[-1][0]:%d.%m.%Y}")
    figures += [marker.label for marker in markers]
    span = f"Zeitraum {start:%d.%m.%Y} bis {end:%d.%m.%Y}."
    return _svg(chart_id, title, f"{description} {span} {_summary(figures)}".strip(), width, height, body)


def _step_path(steps, x_of, y_of, stroke: str) -> list[str]:
    if not steps:
        return []
    commands = []
    previous_end = None
    for day, following, value in steps:
        x0, x1, y = x_of(day), x_of(following), y_of(value)
        if previous_end is None or previous_end != day:
            commands.append(f"M{_num(x0)} {_num(y)}")
        else:
            commands.append(f"V{_num(y)}")
        commands.append(f"H{_num(x1)}")
        previous_end = following
    return [f'<path d="{" ".join(commands)}" fill="none" {stroke}/>']


def step_table(series: Sequence[StepSeries], *, caption: str, unit: Unit = EURO) -> DataTable:
    """One row per date at which a series changes; a series shows its value then, "—" before its first point."""
    days = sorted({day for s in series for day, _ in s.points})
    rows = []
    for day in days:
        cells = []
        for item in series:
            known = [value for point_day, value in sorted(item.points) if point_day <= day]
            cells.append(unit.format(to_decimal(known[-1])) if known else "—")
        rows.append((f"{day:%d.%m.%Y}", *cells))
    return DataTable(caption, ("Stand", *(s.name for s in series)), tuple(rows))
