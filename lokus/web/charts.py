"""Small inline SVG charts (pure functions): no script, no external library, labels escaped."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

BAR = "#2f6f8f"
TEXT = "#333333"
GRID = "#dddddd"


def _short(label: str, limit: int = 32) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _svg(width: int, height: int, body: list[str], title: str) -> Markup:
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'font-family="system-ui, sans-serif" font-size="12">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def bar_chart(pairs: Sequence[tuple[object, int]], title: str = "") -> Markup:
    """Vertical bars, one per (label, count), labels under the bars and counts above."""
    if not pairs:
        return Markup("")
    peak = max(v for _, v in pairs) or 1
    step, bar_w, top, plot_h = 48, 32, 20, 160
    width, height = max(240, 40 + step * len(pairs)), top + plot_h + 30
    body = [f'<line x1="30" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" stroke="{GRID}"/>']
    for i, (label, value) in enumerate(pairs):
        h = round(plot_h * value / peak)
        x = 40 + i * step
        y = top + plot_h - h
        body.append(
            f'<rect class="bar" x="{x}" y="{y}" width="{bar_w}" height="{h}" fill="{BAR}">'
            f"<title>{escape(label)}: {value}</title></rect>"
        )
        body.append(
            f'<text x="{x + bar_w / 2}" y="{y - 4}" text-anchor="middle" fill="{TEXT}">{value}</text>'
        )
        body.append(
            f'<text x="{x + bar_w / 2}" y="{top + plot_h + 16}" text-anchor="middle" fill="{TEXT}">'
            f"{escape(label)}</text>"
        )
    return _svg(width, height, body, title)


def hbar_chart(
    pairs: Sequence[tuple[object, int]],
    title: str = "",
    limit: int = 15,
    links: Mapping[object, str] | None = None,
) -> Markup:
    """Horizontal bars, one row per (label, count), largest first, at most `limit` rows;
    a label found in `links` links to that (site-relative) address."""
    pairs = sorted(pairs, key=lambda p: (-p[1], str(p[0])))[:limit]
    if not pairs:
        return Markup("")
    peak = max(v for _, v in pairs) or 1
    label_w, plot_w, row_h = 240, 300, 24
    width, height = label_w + plot_w + 50, 10 + row_h * len(pairs)
    body = []
    for i, (label, value) in enumerate(pairs):
        y = 6 + i * row_h
        w = max(2, round(plot_w * value / peak))
        text = _short(str(label))
        label_svg = (
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" fill="{TEXT}">{escape(text)}</text>'
        )
        if links and label in links:
            label_svg = f'<a href="{escape(links[label])}">{label_svg}</a>'
        body.append(label_svg)
        body.append(
            f'<rect class="bar" x="{label_w}" y="{y}" width="{w}" height="{row_h - 8}" fill="{BAR}">'
            f"<title>{escape(label)}: {value}</title></rect>"
        )
        body.append(f'<text x="{label_w + w + 6}" y="{y + 13}" fill="{TEXT}">{value}</text>')
    return _svg(width, height, body, title)


def heatmap(cells: Mapping[str, Mapping[int, int]], title: str = "", limit: int = 12) -> Markup:
    """Rows of topics, columns of years, each cell shaded by its count (the count written in it)."""
    if not cells:
        return Markup("")
    topics = sorted(cells, key=lambda t: (-sum(cells[t].values()), t))[:limit]
    years = sorted({y for t in topics for y in cells[t]})
    if not years:
        return Markup("")
    peak = max(cells[t].get(y, 0) for t in topics for y in years) or 1
    label_w, cell, top = 240, 40, 22
    width, height = label_w + cell * len(years) + 10, top + cell * len(topics) + 4
    body = [
        f'<text x="{label_w + i * cell + cell / 2}" y="15" text-anchor="middle" fill="{TEXT}">{y}</text>'
        for i, y in enumerate(years)
    ]
    for r, topic in enumerate(topics):
        y = top + r * cell
        text = _short(topic)
        body.append(
            f'<text x="{label_w - 6}" y="{y + cell / 2 + 4}" text-anchor="end" fill="{TEXT}">'
            f"{escape(text)}</text>"
        )
        for c, year in enumerate(years):
            value = cells[topic].get(year, 0)
            opacity = 0.08 if value == 0 else 0.25 + 0.75 * value / peak
            x = label_w + c * cell
            body.append(
                f'<rect x="{x + 1}" y="{y + 1}" width="{cell - 2}" height="{cell - 2}" fill="{BAR}" '
                f'fill-opacity="{opacity:.2f}"><title>{escape(topic)} {year}: {value}</title></rect>'
            )
            if value:
                colour = "#ffffff" if value / peak > 0.5 else TEXT
                body.append(
                    f'<text x="{x + cell / 2}" y="{y + cell / 2 + 4}" text-anchor="middle" '
                    f'fill="{colour}">{value}</text>'
                )
    return _svg(width, height, body, title)
