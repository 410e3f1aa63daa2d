"""Charts as inline SVG drawn on the server (WeasyPrint runs no JavaScript, so no ECharts in PDFs)."""

from __future__ import annotations

from html import escape

PALETTE = ("#b71c1c", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037")


def bar_chart(items: list[tuple[str, float]], *, width: int = 640, bar_height: int = 22,
              unit: str = "", title: str = "") -> str:
    """A horizontal bar chart: one labelled bar per (label, value), described for screen readers."""
    if not items:
        return '<p class="chart-empty">（无数据）</p>'
    label_w = 200
    top = max(v for _, v in items) or 1
    height = bar_height * len(items) + 10
    rows = []
    for i, (label, value) in enumerate(items):
        y = 5 + i * bar_height
        w = max(1.0, (width - label_w - 70) * value / top)
        rows.append(
            f'<text x="{label_w - 6}" y="{y + bar_height * 0.68:.1f}" text-anchor="end" '
            f'font-size="12">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{bar_height - 6}" '
            f'fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + bar_height * 0.68:.1f}" font-size="12">'
            f"{value:g}{escape(unit)}</text>")
    summary = "；".join(f"{label} {value:g}{unit}" for label, value in items)
    return _svg(width, height, f"{title}：{summary}" if title else summary, rows)


def _svg(width: int, height: int, description: str, parts: list[str]) -> str:
    """An SVG image with its text alternative (role=img needs one)."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(description)}">'
            f'<title>{escape(description)}</title>{"".join(parts)}</svg>')


def line_chart(points: list[tuple[str, float | None]], *, width: int = 640, height: int = 200,
               threshold: float | None = None, percent: bool = True, title: str = "") -> str:
    """A line chart of daily values with an optional dashed threshold line (e.g. the 5% veto line)."""
    if not points:
        return '<p class="chart-empty">（无数据）</p>'
    left, right, top, bottom = 44, 10, 10, 28
    values = [v for _, v in points if v is not None]
    peak = max([*values, threshold or 0, 0.01])
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(points) - 1, 1)

    def y_of(v: float) -> float:
        return top + plot_h - plot_h * v / peak

    fmt = (lambda v: f"{v:.0%}") if percent else (lambda v: f"{v:g}")
    parts = [f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
             'stroke="#999"/>',
             f'<text x="{left - 4}" y="{top + 10}" text-anchor="end" font-size="10">{fmt(peak)}</text>',
             f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" font-size="10">{fmt(0)}</text>']
    if threshold is not None:
        y = y_of(threshold)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
                     'stroke="#b71c1c" stroke-dasharray="4 3"/>'
                     f'<text x="{width - right}" y="{y - 3:.1f}" text-anchor="end" font-size="10" '
                     f'fill="#b71c1c">{fmt(threshold)}</text>')
    path: list[str] = []
    for i, (label, value) in enumerate(points):
        x = left + i * step
        if value is not None:
            path.append(f"{'M' if not path else 'L'}{x:.1f},{y_of(value):.1f}")
            parts.append(f'<circle cx="{x:.1f}" cy="{y_of(value):.1f}" r="2.5" fill="#1565c0"/>')
        if i % max(1, len(points) // 8) == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" '
                         f'font-size="10">{escape(label)}</text>')
    if path:
        parts.append(f'<path d="{" ".join(path)}" fill="none" stroke="#1565c0" stroke-width="1.5"/>')
    shown = "；".join(f"{label}日 {fmt(v)}" for label, v in points if v is not None) or "无数据"
    line = f"，红色虚线 {fmt(threshold)}" if threshold is not None else ""
    return _svg(width, height, f"{title or '每日数值'}{line}：{shown}", parts)
