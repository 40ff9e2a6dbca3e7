"""Small charts as inline SVG, drawn on the server: no JavaScript, no CDN, nothing for a strict
Content-Security-Policy to block. Every label is escaped; colours are SVG attributes, not CSS."""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#1d3557", "#2a9d8f", "#e9c46a", "#e76f51", "#8d99ae"]


@dataclass
class Series:
    label: str
    values: list[float]
    colour: str = ""


def _legend(series: list[Series], y: int) -> str:
    parts, x = [], 0
    for s in series:
        parts.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" rx="2" fill="{s.colour}"/>'
            f'<text x="{x + 18}" y="{y + 11}" font-size="12" fill="#333">{escape(s.label)}</text>'
        )
        x += 30 + 8 * len(s.label)
    return "".join(parts)


def nice_top(value: float) -> tuple[float, float]:
    """A round top for the scale and the step between its four gridlines (5 → 8 by 2, 22 → 40 by
    10), so the axis reads in whole numbers."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if 4 * step >= value:
                return 4 * step, step
        magnitude *= 10


def _colour(series: list[Series]) -> list[Series]:
    for i, s in enumerate(series):
        s.colour = s.colour or PALETTE[i % len(PALETTE)]
    return series


def bar_chart(
    *,
    title: str,
    labels: list[str],
    series: list[Series],
    height: int = 260,
    stacked: bool = False,
    notes: list[str] | None = None,
) -> SafeString:
    """Vertical bars, one group (or stack) per label; ``notes`` are written above each group
    (e.g. "+2"). Labels thin out when there are too many to read."""
    series = _colour(series)
    if not labels:
        return mark_safe("")
    highest = max(
        [sum(values) for values in zip(*[s.values for s in series], strict=True)]
        if stacked
        else [v for s in series for v in s.values]
    )
    top, step = nice_top(highest * (1.1 if notes else 1))
    left, plot_h, plot_top = 40, height - 80, 24
    group_w = max(20, min(80, 760 // max(len(labels), 1)))
    every = max(1, -(-56 // group_w))  # a label needs about 56 units
    width = left + group_w * len(labels) + 10
    bar_w = (group_w - 6) / (1 if stacked else len(series))
    out = [
        f'<svg class="crm-chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>",
    ]
    for n in range(5):  # gridlines and their values
        y = plot_top + plot_h - plot_h * n / 4
        out.append(
            f'<line x1="{left}" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#555">{step * n:g}</text>'
        )
    for i, label in enumerate(labels):
        x0 = left + i * group_w + 3
        base = highest_y = plot_top + plot_h
        for j, s in enumerate(series):
            value = s.values[i]
            h = plot_h * value / top
            x = x0 if stacked else x0 + j * bar_w
            y = base - h
            highest_y = min(highest_y, y)
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 1:.1f}" height="{h:.1f}" '
                f'fill="{s.colour}"><title>{escape(label)}: {escape(s.label)} {value:g}</title></rect>'
            )
            if stacked:
                base = y
        centre = x0 + (group_w - 6) / 2
        if notes and notes[i]:
            out.append(
                f'<text x="{centre:.1f}" y="{highest_y - 4:.1f}" font-size="10" text-anchor="middle" '
                f'fill="#333">{escape(notes[i])}</text>'
            )
        if i % every == 0:
            out.append(
                f'<text x="{centre:.1f}" y="{plot_top + plot_h + 16}" font-size="11" '
                f'text-anchor="middle" fill="#333">{escape(label)}</text>'
            )
    out.append(f'<g transform="translate({left},{height - 18})">{_legend(series, 0)}</g></svg>')
    return mark_safe("".join(out))


def hbar_chart(
    *, title: str, labels: list[str], series: list[Series], stacked: bool = True
) -> SafeString:
    """Horizontal bars, one row per label (long names such as events and clubs stay readable)."""
    series = _colour(series)
    if not labels:
        return mark_safe("")
    totals = [sum(values) for values in zip(*[s.values for s in series], strict=True)]
    top = (max(totals) if stacked else max(v for s in series for v in s.values)) or 1
    label_w, plot_w, row_h = 230, 480, 26
    height = 20 + row_h * len(labels) + 30
    width = label_w + plot_w + 50
    out = [
        f'<svg class="crm-chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>"
    ]
    for i, label in enumerate(labels):
        y = 10 + i * row_h
        short = label if len(label) <= 34 else label[:33] + "…"
        out.append(
            f'<text x="{label_w - 8}" y="{y + 15}" font-size="12" text-anchor="end" '
            f'fill="#333">{escape(short)}</text>'
        )
        x = label_w
        sub_h = (row_h - 6) / (1 if stacked else len(series))
        for j, s in enumerate(series):
            value = s.values[i]
            w = plot_w * value / top
            bar_y = y + 2 + (0 if stacked else j * sub_h)
            out.append(
                f'<rect x="{x:.1f}" y="{bar_y:.1f}" width="{w:.1f}" height="{sub_h - 1:.1f}" '
                f'fill="{s.colour}"><title>{escape(label)}: {escape(s.label)} {value:g}</title></rect>'
            )
            if stacked:
                x += w
            else:
                out.append(
                    f'<text x="{x + w + 4:.1f}" y="{bar_y + sub_h - 2:.1f}" font-size="10" '
                    f'fill="#333">{value:g}</text>'
                )
        end = label_w + plot_w * (totals[i] / top if stacked else 0) + 6
        if stacked:
            out.append(
                f'<text x="{end:.1f}" y="{y + 15}" font-size="11" fill="#333">{totals[i]:g}</text>'
            )
    out.append(f'<g transform="translate({label_w},{height - 16})">{_legend(series, 0)}</g></svg>')
    return mark_safe("".join(out))
